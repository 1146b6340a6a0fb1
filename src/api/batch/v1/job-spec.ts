// batch/v1 JobSpec: the part of a Job that a CronJob's jobTemplate also carries. Its schema,
// the Job defaults Kubernetes applies (one pod at a time, six retries, NonIndexed, not
// suspended) and the validation both a Job and a jobTemplate go through.
import { obj, str, int32, int64, bool, enumStr, type Static } from '../../schema.js';
import { LabelSelector } from '../../meta/v1.js';
import { PodTemplateSpec } from '../../core/v1/pod-spec.js';
import { validatePodTemplateSpec } from '../../core/v1/pod-validation.js';
import { checkFormat } from '../../validation/meta.js';
import { dns1123Subdomain } from '../../validation/names.js';
import { child, invalid, notSupported, required, tooLong, type FieldError } from '../../../lib/field-errors.js';
import { nonNegative } from '../../apps/v1/index.js';
import { PodFailurePolicy, SuccessPolicy, validatePodFailurePolicy, validateSuccessPolicy } from './job-policies.js';

export const COMPLETION_MODES = ['NonIndexed', 'Indexed'] as const;
export const POD_REPLACEMENT_POLICIES = ['TerminatingOrFailed', 'Failed'] as const;
const JOB_RESTART_POLICIES = ['OnFailure', 'Never'] as const;

/** Limits Kubernetes puts on Indexed Jobs so index bookkeeping stays small. */
const MAX_INDEXED_PARALLELISM = 100_000;
const MAX_FAILED_INDEXES = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const HIGH_COMPLETIONS_LIMIT = 10_000;
const MAX_MANAGED_BY = 63;

export const JobSpec = obj(
  'The desired behaviour of a Job.',
  {
    parallelism: int32('Most pods running at once; defaults to 1. 0 pauses the Job.'),
    completions: int32(
      'Successful pods needed for the Job to complete. Unset means any success completes it (a work queue); defaults to 1 when parallelism is unset too.',
    ),
    activeDeadlineSeconds: int64('Seconds after startTime the Job may stay active before it is failed with reason DeadlineExceeded.'),
    podFailurePolicy: PodFailurePolicy,
    successPolicy: SuccessPolicy,
    backoffLimit: int32('Failed pods tolerated before the Job is marked failed; defaults to 6.'),
    backoffLimitPerIndex: int32('Failures tolerated per index of an Indexed Job before that index is marked failed.'),
    maxFailedIndexes: int32('Failed indexes tolerated before the whole Job fails; needs backoffLimitPerIndex.'),
    selector: LabelSelector,
    manualSelector: bool(
      'Leave unset: the server then picks a unique selector and labels the pods with it. When true you supply the selector and must keep it unique yourself.',
    ),
    template: PodTemplateSpec,
    ttlSecondsAfterFinished: int32('Seconds after the Job finishes (Complete or Failed) before it is deleted automatically.'),
    completionMode: enumStr(
      'NonIndexed (default): the Job completes after `completions` successes. Indexed: each pod gets an index 0..completions-1 and each index must succeed once.',
      COMPLETION_MODES,
    ),
    suspend: bool('While true no pods are created and running ones are stopped; defaults to false.'),
    podReplacementPolicy: enumStr(
      'When to create a replacement pod: TerminatingOrFailed (default) as soon as the old one is terminating; Failed only once it has fully stopped.',
      POD_REPLACEMENT_POLICIES,
    ),
    managedBy: str('Controller that syncs this Job (domain-prefixed path); the built-in Job controller when unset.'),
  },
  { id: 'io.k8s.api.batch.v1.JobSpec', required: ['template'] },
);
export type JobSpec = Static<typeof JobSpec>;

/** Kubernetes' Job defaults (not applied to a CronJob's jobTemplate, which Kubernetes leaves as written). */
export function defaultJobSpec(spec: JobSpec): void {
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  // With per-index backoff, the global limit would only get in the way, so it is made unlimited.
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2_147_483_647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
  }
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
}

function validateIndexedLimits(s: Partial<JobSpec>, path: string): FieldError[] {
  const out: FieldError[] = [];
  const p = (f: string): string => child(path, f);
  if (s.completions === undefined) out.push(required(p('completions'), 'when completion mode is Indexed'));
  if ((s.parallelism ?? 0) > MAX_INDEXED_PARALLELISM) {
    out.push(invalid(p('parallelism'), s.parallelism, `must be less than or equal to ${MAX_INDEXED_PARALLELISM} when completion mode is Indexed`));
  }
  if (s.maxFailedIndexes !== undefined) {
    if (s.completions !== undefined && s.maxFailedIndexes > s.completions) {
      out.push(invalid(p('maxFailedIndexes'), s.maxFailedIndexes, 'must be less than or equal to completions'));
    }
    if (s.maxFailedIndexes > MAX_FAILED_INDEXES) {
      out.push(invalid(p('maxFailedIndexes'), s.maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
    }
  }
  if ((s.completions ?? 0) > COMPLETIONS_SOFT_LIMIT && s.backoffLimitPerIndex !== undefined) {
    const why = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
    if (s.maxFailedIndexes === undefined) out.push(required(p('maxFailedIndexes'), `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
    else if (s.maxFailedIndexes > HIGH_COMPLETIONS_LIMIT) {
      out.push(invalid(p('maxFailedIndexes'), s.maxFailedIndexes, `must be less than or equal to ${HIGH_COMPLETIONS_LIMIT} ${why}`));
    }
    if ((s.parallelism ?? 0) > HIGH_COMPLETIONS_LIMIT) {
      out.push(invalid(p('parallelism'), s.parallelism, `must be less than or equal to ${HIGH_COMPLETIONS_LIMIT} ${why}`));
    }
  }
  return out;
}

function validateManagedBy(value: string, path: string): FieldError[] {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const out = checkFormat(path, value.slice(0, slash), dns1123Subdomain);
  if (value.length > MAX_MANAGED_BY) out.push(tooLong(path, value, MAX_MANAGED_BY));
  return out;
}

/** Pods of a Job must end, so the restart policy may not be Always (the pod default). */
function validateJobRestartPolicy(restartPolicy: string | undefined, path: string): FieldError[] {
  if (!restartPolicy || restartPolicy === 'Always') return [required(path, 'valid values: "OnFailure", "Never"')];
  if (!(JOB_RESTART_POLICIES as readonly string[]).includes(restartPolicy)) return [notSupported(path, restartPolicy, JOB_RESTART_POLICIES)];
  return [];
}

/** The checks a Job spec and a CronJob's job template share (selector rules differ, so they are the caller's). */
export function validateJobSpecCommon(spec: JobSpec | undefined, path: string): FieldError[] {
  const s: Partial<JobSpec> = spec ?? {};
  const p = (f: string): string => child(path, f);
  const out: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'] as const) {
    out.push(...nonNegative(p(f), s[f]));
  }
  if (s.maxFailedIndexes !== undefined && s.backoffLimitPerIndex === undefined) {
    out.push(required(p('backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  }
  if (s.completionMode !== undefined && !COMPLETION_MODES.includes(s.completionMode)) {
    out.push(notSupported(p('completionMode'), s.completionMode, COMPLETION_MODES));
  }
  const indexed = s.completionMode === 'Indexed';
  if (indexed) out.push(...validateIndexedLimits(s, path));
  else {
    if (s.backoffLimitPerIndex !== undefined) out.push(invalid(p('backoffLimitPerIndex'), s.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (s.maxFailedIndexes !== undefined) out.push(invalid(p('maxFailedIndexes'), s.maxFailedIndexes, 'requires indexed completion mode'));
  }
  // A missing template is checked as an empty one, so the error names the missing containers.
  out.push(...validatePodTemplateSpec(s.template, p('template')));
  if (s.template?.spec) out.push(...validateJobRestartPolicy(s.template.spec.restartPolicy, p('template.spec.restartPolicy')));
  if (s.podFailurePolicy) {
    // With OnFailure the kubelet restarts containers in place, so no failed pod is left to judge.
    const restart = s.template?.spec?.restartPolicy;
    if (restart === 'OnFailure') {
      out.push(invalid(p('template.spec.restartPolicy'), restart, 'only "Never" is supported when podFailurePolicy is specified'));
    }
    out.push(
      ...validatePodFailurePolicy(s.podFailurePolicy, { path: p('podFailurePolicy'), pod: s.template?.spec, backoffLimitPerIndex: s.backoffLimitPerIndex }),
    );
  }
  if (s.successPolicy) {
    if (!indexed) out.push(invalid(p('successPolicy'), s.successPolicy, 'requires indexed completion mode'));
    else out.push(...validateSuccessPolicy(s.successPolicy, { path: p('successPolicy'), completions: s.completions }));
  }
  if (s.podReplacementPolicy !== undefined) {
    const allowed = s.podFailurePolicy ? (['Failed'] as const) : POD_REPLACEMENT_POLICIES;
    if (!(allowed as readonly string[]).includes(s.podReplacementPolicy)) out.push(notSupported(p('podReplacementPolicy'), s.podReplacementPolicy, allowed));
  }
  if (s.managedBy !== undefined) out.push(...validateManagedBy(s.managedBy, p('managedBy')));
  return out;
}
