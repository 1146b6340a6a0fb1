import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cronJobKind, validateTimeZone, type CronJob } from './cronjob.js';
import { batchV1Kinds } from './index.js';
import { formatFieldError } from '../../../lib/field-errors.js';
import type { ApiObject } from '../../kind.js';

type Spec = NonNullable<CronJob['spec']>;

function cronJob(mutate: (s: Spec) => void = () => {}): ApiObject {
  const cj: CronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'report', namespace: 'default' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'report', image: 'busybox' }], restartPolicy: 'OnFailure' } } } },
    },
  };
  mutate(cj.spec as Spec);
  return cj as unknown as ApiObject;
}

const spec = (o: ApiObject): Spec => (o as unknown as CronJob).spec as Spec;

function errors(o: ApiObject, old?: ApiObject): string[] {
  cronJobKind.defaults(o);
  return cronJobKind.validate(o, old).map(formatFieldError);
}

describe('CronJob defaults', () => {
  it('fills in policy, suspend and history limits, and pod defaults but not Job defaults', () => {
    const cj = cronJob();
    cronJobKind.defaults(cj);
    const s = spec(cj);
    assert.equal(s.concurrencyPolicy, 'Allow');
    assert.equal(s.suspend, false);
    assert.equal(s.successfulJobsHistoryLimit, 3);
    assert.equal(s.failedJobsHistoryLimit, 1);
    assert.equal(s.jobTemplate.spec?.template.spec?.dnsPolicy, 'ClusterFirst');
    assert.equal(s.jobTemplate.spec?.backoffLimit, undefined);
  });
});

describe('CronJob validation', () => {
  it('accepts a plain cronjob and the @ shorthands', () => {
    assert.deepEqual(errors(cronJob()), []);
    assert.deepEqual(errors(cronJob((s) => (s.schedule = '@daily'))), []);
  });

  it('requires a parseable schedule', () => {
    assert.deepEqual(errors(cronJob((s) => (s.schedule = ''))), ['spec.schedule: Required value']);
    assert.deepEqual(errors(cronJob((s) => (s.schedule = '* * *'))), ['spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: "* * *"']);
    assert.deepEqual(errors(cronJob((s) => (s.schedule = '61 * * * *'))), ['spec.schedule: Invalid value: "61 * * * *": minute value 61 is outside 0-59']);
    assert.deepEqual(errors(cronJob((s) => (s.schedule = 'CRON_TZ=UTC 0 * * * *'))), [
      'spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
  });

  it('checks the time zone against the IANA database', () => {
    assert.deepEqual(errors(cronJob((s) => (s.timeZone = 'Europe/Berlin'))), []);
    assert.deepEqual(errors(cronJob((s) => (s.timeZone = 'Mars/Olympus'))), ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
    assert.deepEqual(validateTimeZone('europe/berlin', 'tz').length, 1);
    assert.deepEqual(validateTimeZone('Etc/UTC', 'tz'), []);
    assert.deepEqual(validateTimeZone('UTC', 'tz'), []);
    assert.match(formatFieldError(validateTimeZone('Local', 'tz')[0]!), /must be an explicit time zone/);
    assert.match(formatFieldError(validateTimeZone('', 'tz')[0]!), /must be nil or non-empty string/);
  });

  it('checks the concurrency policy, counters and name length', () => {
    assert.deepEqual(errors(cronJob((s) => (s.concurrencyPolicy = 'Sometimes' as 'Allow'))), [
      'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ]);
    assert.deepEqual(errors(cronJob((s) => (s.successfulJobsHistoryLimit = -1))), [
      'spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
    ]);
    const long = cronJob();
    (long as unknown as CronJob).metadata!.name = 'a'.repeat(53);
    assert.deepEqual(errors(long), [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]);
  });

  it('validates the job template like a Job spec, without a selector', () => {
    assert.deepEqual(errors(cronJob((s) => (s.jobTemplate.spec!.template.spec!.restartPolicy = 'Always'))), [
      'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
    assert.deepEqual(errors(cronJob((s) => (s.jobTemplate.spec!.selector = { matchLabels: { a: 'b' } }))), [
      'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
    ]);
    assert.deepEqual(errors(cronJob((s) => (s.jobTemplate.spec!.manualSelector = true))), [
      'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
    ]);
    assert.deepEqual(errors(cronJob((s) => (s.jobTemplate.spec!.parallelism = -1))), [
      'spec.jobTemplate.spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });
});

describe('batchV1Kinds', () => {
  it('lists jobs and cronjobs with their names', () => {
    assert.deepEqual(
      batchV1Kinds.map((k) => [k.apiVersion, k.plural, k.shortNames]),
      [
        ['batch/v1', 'jobs', []],
        ['batch/v1', 'cronjobs', ['cj']],
      ],
    );
  });
});
