import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jobKind, generateJobSelector, type Job } from './job.js';
import { formatFieldError } from '../../../lib/field-errors.js';
import type { ApiObject } from '../../kind.js';

type Spec = NonNullable<Job['spec']>;

function job(mutate: (s: Spec, j: Job) => void = () => {}): Job {
  const j: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default' },
    spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } },
  };
  mutate(j.spec as Spec, j);
  return j;
}

const api = (j: Job): ApiObject => j as unknown as ApiObject;

/** What the apiserver does on create: defaults, uid, selector generation, validation. */
function create(j: Job): string[] {
  jobKind.defaults(api(j));
  j.metadata = { ...j.metadata, uid: 'u-1' };
  generateJobSelector(j);
  return jobKind.validate(api(j), undefined).map(formatFieldError);
}

describe('Job defaults', () => {
  it('defaults a single-pod job', () => {
    const j = job();
    jobKind.defaults(api(j));
    const s = j.spec as Spec;
    assert.equal(s.parallelism, 1);
    assert.equal(s.completions, 1);
    assert.equal(s.backoffLimit, 6);
    assert.equal(s.completionMode, 'NonIndexed');
    assert.equal(s.suspend, false);
    assert.equal(s.podReplacementPolicy, 'TerminatingOrFailed');
    assert.equal(s.manualSelector, undefined);
    assert.equal(s.template.spec?.dnsPolicy, 'ClusterFirst');
  });

  it('leaves completions unset for a work queue (parallelism given)', () => {
    const j = job((s) => (s.parallelism = 3));
    jobKind.defaults(api(j));
    assert.equal(j.spec?.completions, undefined);
    assert.equal(j.spec?.parallelism, 3);
  });

  it('follows per-index backoff and pod failure policies', () => {
    const j = job((s) => {
      s.completionMode = 'Indexed';
      s.completions = 2;
      s.backoffLimitPerIndex = 1;
      s.podFailurePolicy = { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] };
    });
    jobKind.defaults(api(j));
    assert.equal(j.spec?.backoffLimit, 2147483647);
    assert.equal(j.spec?.podReplacementPolicy, 'Failed');
    assert.equal(j.spec?.podFailurePolicy?.rules[0]?.onPodConditions?.[0]?.status, 'True');
  });
});

describe('generateJobSelector', () => {
  it('labels the template and the job and selects on the uid', () => {
    const j = job();
    assert.deepEqual(create(j), []);
    const labels = {
      'batch.kubernetes.io/controller-uid': 'u-1',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': 'u-1',
      'job-name': 'pi',
    };
    assert.deepEqual(j.spec?.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    assert.deepEqual(j.spec?.template.metadata?.labels, labels);
    assert.deepEqual(j.metadata?.labels, labels);
  });

  it('keeps the user\'s own job labels and template labels', () => {
    const j = job((s, jj) => {
      jj.metadata!.labels = { team: 'x' };
      s.template.metadata = { labels: { app: 'pi' } };
    });
    assert.deepEqual(create(j), []);
    assert.deepEqual(j.metadata?.labels, { team: 'x' });
    assert.equal(j.spec?.template.metadata?.labels?.app, 'pi');
    assert.equal(j.spec?.template.metadata?.labels?.['job-name'], 'pi');
  });

  it('does nothing with manualSelector, which then needs a selector', () => {
    const j = job((s) => (s.manualSelector = true));
    assert.deepEqual(create(j), ['spec.selector: Required value']);
    assert.equal(j.spec?.template.metadata, undefined);
  });

  it('rejects template labels that contradict the generated ones', () => {
    const j = job((s) => (s.template.metadata = { labels: { 'controller-uid': 'someone-else' } }));
    const errs = create(j);
    assert.equal(errs.length, 1, errs.join('\n'));
    assert.match(errs[0] ?? '', /^spec\.template\.metadata\.labels\[controller-uid\]: Invalid value: \{.*"controller-uid":"someone-else".*\}: must be 'u-1'$/);
  });
});

describe('Job validation', () => {
  it('requires a restart policy of OnFailure or Never', () => {
    const always = job((s) => delete s.template.spec!.restartPolicy);
    assert.deepEqual(create(always), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });

  it('rejects negative counters and bad completion modes', () => {
    const j = job((s) => {
      s.parallelism = -1;
      s.backoffLimit = -2;
      s.activeDeadlineSeconds = -5;
    });
    assert.deepEqual(create(j), [
      'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      'spec.activeDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0',
      'spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0',
    ]);
    assert.deepEqual(create(job((s) => (s.completionMode = 'Sometimes' as 'Indexed'))), [
      'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
    ]);
  });

  it('applies the Indexed rules', () => {
    assert.deepEqual(
      create(
        job((s) => {
          s.completionMode = 'Indexed';
          s.parallelism = 2;
        }),
      ),
      ['spec.completions: Required value: when completion mode is Indexed'],
    );
    assert.deepEqual(create(job((s) => (s.backoffLimitPerIndex = 1))), ['spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode']);
    assert.deepEqual(create(job((s) => (s.successPolicy = { rules: [{ succeededCount: 1 }] }))), [
      'spec.successPolicy: Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode',
    ]);
    const indexed = job((s) => {
      s.completionMode = 'Indexed';
      s.completions = 5;
      s.successPolicy = { rules: [{ succeededIndexes: '0-2,4', succeededCount: 5 }] };
    });
    assert.deepEqual(create(indexed), [
      'spec.successPolicy.rules[0].succeededCount: Invalid value: 5: must be less than or equal to 4 (the number of indexes in the specified succeededIndexes field)',
    ]);
  });

  it('checks pod failure policies', () => {
    const j = job((s) => {
      s.template.spec!.restartPolicy = 'OnFailure';
      s.podFailurePolicy = {
        rules: [
          { action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 3] } },
          { action: 'FailIndex', onExitCodes: { containerName: 'nope', operator: 'NotIn', values: [2, 1] } },
          { action: 'Ignore' },
        ],
      };
      s.podReplacementPolicy = 'TerminatingOrFailed';
    });
    assert.deepEqual(create(j), [
      'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
      'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
      'spec.podFailurePolicy.rules[1].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
      'spec.podFailurePolicy.rules[1].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template',
      'spec.podFailurePolicy.rules[1].onExitCodes.values[1]: Invalid value: 1: must be ordered',
      'spec.podFailurePolicy.rules[2]: Invalid value: {"action":"Ignore"}: specifying one of OnExitCodes and OnPodConditions is required',
      'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
    ]);
  });

  it('keeps the selector and template fixed, except scheduling fields of a suspended unstarted job', () => {
    const old = job();
    create(old);
    const next = (mutate: (s: Spec) => void): Job => {
      const j = structuredClone(old);
      mutate(j.spec as Spec);
      return j;
    };
    const update = (j: Job, before: Job): string[] => jobKind.validate(api(j), api(before)).map(formatFieldError);
    assert.deepEqual(update(next((s) => (s.parallelism = 4)), old), []);
    const image = next((s) => (s.template.spec!.containers[0]!.image = 'perl:2'));
    assert.equal(update(image, old).length, 1);
    assert.match(update(image, old)[0] ?? '', /^spec\.template: Invalid value: .*: field is immutable$/);
    assert.deepEqual(update(next((s) => (s.completions = 3)), old), ['spec.completions: Invalid value: 3: field is immutable']);

    const suspended = structuredClone(old);
    suspended.spec!.suspend = true;
    const moved = structuredClone(suspended);
    moved.spec!.template.spec!.nodeSelector = { zone: 'a' };
    moved.spec!.template.metadata!.annotations = { queue: 'q1' };
    assert.deepEqual(update(moved, suspended), []);
    const started = structuredClone(suspended);
    started.status = { startTime: '2024-01-01T00:00:00Z' };
    assert.equal(update(moved, started).length, 1);
  });

  it('lets an Indexed job change completions only together with parallelism', () => {
    const old = job((s) => {
      s.completionMode = 'Indexed';
      s.completions = 2;
      s.parallelism = 2;
    });
    create(old);
    const both = structuredClone(old);
    both.spec!.completions = 4;
    both.spec!.parallelism = 4;
    assert.deepEqual(jobKind.validate(api(both), api(old)), []);
    const one = structuredClone(old);
    one.spec!.completions = 4;
    assert.deepEqual(jobKind.validate(api(one), api(old)).map(formatFieldError), [
      'spec.completions: Invalid value: 4: can only be modified in tandem with spec.parallelism',
    ]);
  });

  it('offers status.successful as a field selector', () => {
    assert.deepEqual(jobKind.fields(api(job())), { 'status.successful': '0' });
    assert.deepEqual(jobKind.fields(api(job((_s, j) => (j.status = { succeeded: 3 })))), { 'status.successful': '3' });
    assert.deepEqual(jobKind.shortNames, []);
    assert.deepEqual(jobKind.categories, ['all']);
  });
});
