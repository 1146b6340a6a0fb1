// Unit tests of the Job controller's pure pieces: index text, failure back-off, the pod failure
// policy, the pods it stamps from the template, which pods go first and how many it wants.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/index.js';
import type { Job } from '../../api/batch/v1/index.js';
import { nextBackoffRecord, remainingBackoffMs } from './backoff.js';
import { ensureCondition, terminalFor, newCondition, type JobStatus } from './conditions.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { COMPLETION_INDEX_KEY, completionIndex, firstPendingIndexes, formatIndexes, parseIndexes } from './indexes.js';
import { podsForRemoval, wantedActive } from './manage.js';
import { podFromTemplate } from './pod-control.js';
import { isPodFailed, removalOrder } from './pods.js';

const job = (spec: Partial<NonNullable<Job['spec']>> = {}): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'ns', uid: 'job-uid' },
  spec: {
    template: { metadata: { labels: { 'job-name': 'pi' } }, spec: { containers: [{ name: 'main', image: 'perl' }], initContainers: [{ name: 'init', image: 'busybox' }], restartPolicy: 'Never' } },
    ...spec,
  },
});

function pod(o: { name?: string; phase?: string; exit?: number; finishedAt?: string; index?: number; created?: string; node?: string; ready?: boolean; deleting?: boolean; conditions?: { type: string; status: string }[] } = {}): Pod {
  return {
    metadata: {
      name: o.name ?? 'p',
      namespace: 'ns',
      uid: o.name ?? 'p',
      creationTimestamp: o.created ?? '2024-01-01T00:00:00Z',
      ...(o.index !== undefined ? { annotations: { [COMPLETION_INDEX_KEY]: String(o.index) } } : {}),
      ...(o.deleting ? { deletionTimestamp: '2024-01-01T01:00:00Z' } : {}),
    },
    spec: { containers: [{ name: 'main', image: 'x' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: (o.phase ?? 'Pending') as 'Pending',
      conditions: [...(o.ready ? [{ type: 'Ready', status: 'True' as const }] : []), ...((o.conditions ?? []) as { type: string; status: 'True' }[])],
      ...(o.exit !== undefined || o.finishedAt
        ? { containerStatuses: [{ name: 'main', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: o.exit ?? 0, finishedAt: o.finishedAt } } }] }
        : {}),
    },
  };
}

describe('completion indexes', () => {
  it('formats runs of three or more as ranges and pairs as lists', () => {
    assert.equal(formatIndexes([1, 3, 4, 5, 7]), '1,3-5,7');
    assert.equal(formatIndexes([0, 1]), '0,1');
    assert.equal(formatIndexes([2, 0, 1, 1]), '0-2');
    assert.equal(formatIndexes([]), '');
  });

  it('parses interval text, skipping indexes beyond completions and malformed parts', () => {
    assert.deepEqual([...parseIndexes('1,3-5,7', 10)], [1, 3, 4, 5, 7]);
    assert.deepEqual([...parseIndexes('0-9,x', 3)], [0, 1, 2]);
    assert.deepEqual([...parseIndexes(undefined, 3)], []);
  });

  it('picks the lowest indexes with neither a success nor an active pod', () => {
    assert.deepEqual(firstPendingIndexes({ succeeded: new Set([0, 2]), active: new Set([1]), count: 2, completions: 6 }), [3, 4]);
    assert.deepEqual(firstPendingIndexes({ succeeded: new Set([0]), active: new Set(), count: 5, completions: 2 }), [1]);
  });

  it('reads a pod index only when it is a number below completions', () => {
    assert.equal(completionIndex(pod({ index: 2 }), 3), 2);
    assert.equal(completionIndex(pod({ index: 3 }), 3), undefined);
    assert.equal(completionIndex(pod(), 3), undefined);
  });
});

describe('failure back-off', () => {
  const t = (s: number): string => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString();
  const at = (s: number): number => Date.UTC(2024, 0, 1, 0, 0, s);

  it('waits 10 s after one failure, doubling per failure up to 6 minutes', () => {
    const one = nextBackoffRecord(undefined, { succeeded: [], failed: [pod({ phase: 'Failed', finishedAt: t(0) })] });
    assert.deepEqual(one, { failuresAfterLastSuccess: 1, lastFailureTime: at(0) });
    assert.equal(remainingBackoffMs(one, { now: at(4) }), 6_000);
    assert.equal(remainingBackoffMs(one, { now: at(10) }), 0);
    const three = nextBackoffRecord(one, { succeeded: [], failed: [pod({ finishedAt: t(20) }), pod({ finishedAt: t(30) })] });
    assert.equal(three.failuresAfterLastSuccess, 3);
    assert.equal(remainingBackoffMs(three, { now: at(30) }), 40_000);
    assert.equal(remainingBackoffMs({ failuresAfterLastSuccess: 30, lastFailureTime: at(0) }, { now: at(0) }), 360_000);
  });

  it('resets on a success, keeping only failures that came after it', () => {
    const prev = { failuresAfterLastSuccess: 4, lastFailureTime: at(0) };
    assert.deepEqual(nextBackoffRecord(prev, { succeeded: [pod({ finishedAt: t(10) })], failed: [] }), { failuresAfterLastSuccess: 0 });
    const mixed = nextBackoffRecord(prev, { succeeded: [pod({ finishedAt: t(10) })], failed: [pod({ finishedAt: t(5) }), pod({ finishedAt: t(15) })] });
    assert.deepEqual(mixed, { failuresAfterLastSuccess: 1, lastFailureTime: at(15) });
  });
});

describe('pod failure policy', () => {
  const policy = {
    rules: [
      { action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' as const }] },
      { action: 'FailJob' as const, onExitCodes: { containerName: 'main', operator: 'In' as const, values: [42] } },
      { action: 'Count' as const, onExitCodes: { operator: 'NotIn' as const, values: [1] } },
    ],
  };

  it('takes the first matching rule', () => {
    const failJob = matchPodFailurePolicy(policy, pod({ name: 'a', phase: 'Failed', exit: 42 }));
    assert.deepEqual(failJob, { countFailed: true, action: 'FailJob', failJobMessage: 'Container main for pod ns/a failed with exit code 42 matching FailJob rule at index 1' });
    assert.deepEqual(matchPodFailurePolicy(policy, pod({ phase: 'Failed', exit: 42, conditions: [{ type: 'DisruptionTarget', status: 'True' }] })), {
      countFailed: false,
      action: 'Ignore',
    });
    assert.deepEqual(matchPodFailurePolicy(policy, pod({ phase: 'Failed', exit: 3 })), { countFailed: true, action: 'Count' });
  });

  it('counts failures no rule matches, and never matches exit code 0', () => {
    assert.deepEqual(matchPodFailurePolicy(policy, pod({ phase: 'Failed', exit: 1 })), { countFailed: true });
    assert.deepEqual(matchPodFailurePolicy({ rules: [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1] } }] }, pod({ exit: 0 })), { countFailed: true });
  });
});

describe('pods', () => {
  it('stamps a pod from the template with owner, finalizer and, when Indexed, its index', () => {
    const p = podFromTemplate(job({ completionMode: 'Indexed' }), 3);
    assert.equal(p.metadata?.generateName, 'pi-3-');
    assert.deepEqual(p.metadata?.finalizers, ['batch.kubernetes.io/job-tracking']);
    assert.equal(p.metadata?.annotations?.[COMPLETION_INDEX_KEY], '3');
    assert.deepEqual(p.metadata?.labels, { 'job-name': 'pi', [COMPLETION_INDEX_KEY]: '3' });
    assert.equal(p.spec?.hostname, 'pi-3');
    assert.deepEqual(p.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true, blockOwnerDeletion: true }]);
    for (const c of [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])]) {
      assert.deepEqual(c.env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${COMPLETION_INDEX_KEY}']` } } }]);
    }
    const plain = podFromTemplate(job(), undefined);
    assert.equal(plain.metadata?.generateName, 'pi-');
    assert.equal(plain.spec?.hostname, undefined);
    assert.equal(plain.spec?.containers[0]?.env, undefined);
    assert.equal(podFromTemplate(job({ completionMode: 'Indexed' }), 7).metadata?.generateName, 'pi-7-');
  });

  it('counts deleted pods as failed unless only Failed pods are replaced', () => {
    assert.equal(isPodFailed(pod({ deleting: true }), job()), true);
    assert.equal(isPodFailed(pod({ deleting: true }), job({ podReplacementPolicy: 'Failed' })), false);
    assert.equal(isPodFailed(pod({ deleting: true, phase: 'Succeeded' }), job()), false);
  });

  it('removes unscheduled, then pending, then not-ready, then newer pods first', () => {
    const pods = [
      pod({ name: 'ready-old', node: 'n', phase: 'Running', ready: true, created: '2024-01-01T00:00:00Z' }),
      pod({ name: 'ready-new', node: 'n', phase: 'Running', ready: true, created: '2024-01-02T00:00:00Z' }),
      pod({ name: 'running', node: 'n', phase: 'Running' }),
      pod({ name: 'pending', node: 'n' }),
      pod({ name: 'unscheduled' }),
    ];
    assert.deepEqual(
      [...pods].sort(removalOrder).map((p) => p.metadata?.name),
      ['unscheduled', 'pending', 'running', 'ready-new', 'ready-old'],
    );
  });

  it('removes duplicate and out-of-range indexes of Indexed Jobs before anything else', () => {
    const ctx = { indexed: true, completions: 3 };
    const pods = [pod({ name: 'a0', index: 0, node: 'n', phase: 'Running', ready: true }), pod({ name: 'b0', index: 0 }), pod({ name: 'c1', index: 1 }), pod({ name: 'd9', index: 9 })];
    assert.deepEqual(
      podsForRemoval(ctx, { active: pods, atLeast: 0 }).map((p) => p.metadata?.name).sort(),
      ['b0', 'd9'],
    );
  });

  it('wants parallelism pods, capped by the completions still missing', () => {
    assert.equal(wantedActive({ job: job({ parallelism: 3, completions: 5 }), succeeded: 0 }, 0), 3);
    assert.equal(wantedActive({ job: job({ parallelism: 3, completions: 5 }), succeeded: 4 }, 3), 1);
    assert.equal(wantedActive({ job: job({ parallelism: 3 }), succeeded: 0 }, 1), 3);
    assert.equal(wantedActive({ job: job({ parallelism: 3 }), succeeded: 1 }, 2), 2, 'a work queue keeps what runs after a success');
  });
});

describe('conditions', () => {
  it('adds True conditions, replaces changed ones and never adds a False one', () => {
    const status: JobStatus = {};
    assert.equal(ensureCondition(status, { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed', now: 0 }), false);
    assert.equal(ensureCondition(status, { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended', now: 0 }), true);
    assert.equal(ensureCondition(status, { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended', now: 5000 }), false);
    assert.equal(ensureCondition(status, { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed', now: 5000 }), true);
    assert.deepEqual(status.conditions, [
      { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed', lastProbeTime: '1970-01-01T00:00:05Z', lastTransitionTime: '1970-01-01T00:00:05Z' },
    ]);
  });

  it('turns FailureTarget into Failed and SuccessCriteriaMet into Complete with the same reason', () => {
    const failed = terminalFor(newCondition({ type: 'FailureTarget', reason: 'DeadlineExceeded', message: 'm', now: 0 }), 1000);
    assert.deepEqual([failed.type, failed.reason, failed.message], ['Failed', 'DeadlineExceeded', 'm']);
    assert.equal(terminalFor(newCondition({ type: 'SuccessCriteriaMet', reason: 'r', message: 'm', now: 0 }), 0).type, 'Complete');
  });
});
