// batch/v1 CronJob: creates a Job from its jobTemplate on a cron schedule, optionally in a named
// time zone. Schema, Kubernetes defaults (concurrent runs allowed, three successful and one
// failed Job kept) and validation, including the schedule (parsed by lib/cron) and time zone.
import { obj, str, int32, int64, bool, enumStr, list, time, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { validateAnnotations, validateLabels, validateObjectMeta } from '../../validation/meta.js';
import { ObjectReference } from '../../core/v1/object-reference.js';
import { defaultPodSpec } from '../../core/v1/pod-defaults.js';
import { child, invalid, notSupported, required, type FieldError } from '../../../lib/field-errors.js';
import { parseCron } from '../../../lib/cron.js';
import { nonNegative } from '../../apps/v1/index.js';
import { JobSpec, validateJobSpecCommon } from './job-spec.js';

const P = 'io.k8s.api.batch.v1';

export const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'] as const;

/** Job names are <cronjob>-<minutes since epoch>, which adds 11 characters to a 63-character label. */
const MAX_CRONJOB_NAME = 52;

export const JobTemplateSpec = obj(
  'The Job a CronJob creates at each scheduled time: its metadata and spec.',
  {
    metadata: ObjectMeta,
    spec: JobSpec,
  },
  { id: `${P}.JobTemplateSpec` },
);
export type JobTemplateSpec = Static<typeof JobTemplateSpec>;

export const CronJobSpec = obj(
  'The schedule of a CronJob and the Job it runs.',
  {
    schedule: str('When to run, in cron format: "minute hour day-of-month month day-of-week" (e.g. "*/5 * * * *"), or @hourly, @daily, @weekly, @monthly, @yearly.'),
    timeZone: str('IANA time zone the schedule is read in, e.g. "Europe/Berlin"; the controller\'s zone (UTC) when unset.'),
    startingDeadlineSeconds: int64('Seconds after a missed scheduled time within which the Job may still be started; later runs are skipped.'),
    concurrencyPolicy: enumStr(
      'What to do when a run is due while the previous one is still active: Allow (default) runs both, Forbid skips the new run, Replace stops the old Job.',
      CONCURRENCY_POLICIES,
    ),
    suspend: bool('While true no new Jobs are started (running ones continue); defaults to false.'),
    jobTemplate: JobTemplateSpec,
    successfulJobsHistoryLimit: int32('Finished successful Jobs to keep; defaults to 3.'),
    failedJobsHistoryLimit: int32('Failed Jobs to keep; defaults to 1.'),
  },
  { id: `${P}.CronJobSpec`, required: ['schedule', 'jobTemplate'] },
);
export type CronJobSpec = Static<typeof CronJobSpec>;

export const CronJobStatus = obj(
  'The most recently observed state of a CronJob.',
  {
    active: list('Jobs of this CronJob that are running.', ObjectReference, { listType: 'atomic' }),
    lastScheduleTime: time('When a Job was last scheduled.'),
    lastSuccessfulTime: time('When a Job of this CronJob last completed successfully.'),
  },
  { id: `${P}.CronJobStatus` },
);

export const CronJob = obj(
  'Runs a Job on a repeating schedule.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: CronJobSpec,
    status: CronJobStatus,
  },
  { id: `${P}.CronJob`, ...describeKind('batch', 'v1', 'CronJob') },
);
export type CronJob = Static<typeof CronJob>;

export function defaultCronJob(cj: CronJob): void {
  const spec = cj.spec;
  if (!spec) return;
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  // Only pod defaults: the Job defaults are applied to each Job when it is created from the template.
  const pod = spec.jobTemplate?.spec?.template?.spec;
  if (pod) defaultPodSpec(pod);
}

/** IANA zone names as Go's time package accepts them: exact spelling, no "Local". */
export function validateTimeZone(tz: string | undefined, path: string): FieldError[] {
  if (tz === undefined) return [];
  if (tz === '') return [invalid(path, tz, 'timeZone must be nil or non-empty string')];
  if (tz.toLowerCase() === 'local') return [invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  const unknown = [invalid(path, tz, `unknown time zone ${tz}`)];
  if (tz.split('/').some((part) => part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part))) return unknown;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    // Intl forgives case ("europe/berlin"); zone files on disk do not, so neither do we.
    if (resolved !== tz && resolved.toLowerCase() === tz.toLowerCase()) return unknown;
  } catch {
    return unknown;
  }
  return [];
}

function validateSchedule(cj: CronJob, old: CronJob | undefined): FieldError[] {
  const path = 'spec.schedule';
  const schedule = cj.spec?.schedule;
  if (!schedule) return [required(path, '')];
  if (schedule.includes('TZ')) {
    // Kept only on objects that already had it; new ones must use the timeZone field.
    if (old?.spec?.schedule === schedule) return [];
    return [invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead')];
  }
  try {
    parseCron(schedule);
    return [];
  } catch (e) {
    return [invalid(path, schedule, e instanceof Error ? e.message : String(e))];
  }
}

function validateJobTemplate(t: JobTemplateSpec | undefined, path: string): FieldError[] {
  if (!t) return [required(path, '')];
  const specPath = child(path, 'spec');
  const out = [
    ...validateLabels(t.metadata?.labels, child(path, 'metadata.labels')),
    ...validateAnnotations(t.metadata?.annotations, child(path, 'metadata.annotations')),
  ];
  if (!t.spec) return [...out, required(specPath, '')];
  out.push(...validateJobSpecCommon(t.spec, specPath));
  // Each Job gets its own generated selector when it is created.
  if (t.spec.selector) out.push(invalid(child(specPath, 'selector'), t.spec.selector, '`selector` will be auto-generated'));
  if (t.spec.manualSelector === true) out.push(notSupported(child(specPath, 'manualSelector'), true, ['nil', 'false']));
  return out;
}

export const cronJobKind = defineKind({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  schema: CronJob,
  status: true,
  defaults: defaultCronJob,
  validate(cj, { old }) {
    const out = validateObjectMeta(cj.metadata, { namespaced: true });
    const name = cj.metadata?.name ?? '';
    if (!old && name.length > MAX_CRONJOB_NAME) out.push(invalid('metadata.name', name, `must be no more than ${MAX_CRONJOB_NAME} characters`));
    const spec: Partial<CronJobSpec> = cj.spec ?? {};
    out.push(...validateSchedule(cj, old));
    if (spec.schedule?.includes('TZ') && spec.timeZone !== undefined) {
      out.push(invalid('spec.schedule', spec.schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    }
    out.push(...validateTimeZone(spec.timeZone, 'spec.timeZone'));
    out.push(...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
    const cp = 'spec.concurrencyPolicy';
    if (!spec.concurrencyPolicy) out.push(required(cp, ''));
    else if (!CONCURRENCY_POLICIES.includes(spec.concurrencyPolicy)) out.push(notSupported(cp, spec.concurrencyPolicy, CONCURRENCY_POLICIES));
    out.push(...validateJobTemplate(spec.jobTemplate, 'spec.jobTemplate'));
    out.push(...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit));
    out.push(...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
    return out;
  },
});
