// The Job controller (and the TTL-after-finished controller) against a real tug server with no
// other controllers: pods are created up to parallelism, the kubelet's part is played by writing
// pod statuses, and the Job's status, conditions, events and pods are checked as a Kubernetes
// user would see them — including with the real kubectl 1.32.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jobKind, type Job } from '../../api/batch/v1/index.js';
import type { Pod } from '../../api/core/v1/index.js';
import { kubectlOk } from '../../../test/support/kubectl.js';
import { ttlAfterFinishedController } from '../ttlafterfinished/index.js';
import { jobController, JOB_TRACKING_FINALIZER, COMPLETION_INDEX_KEY } from './index.js';
import { createNamespace, eventsFor, eventually, finishPod, listPods, markRunning, startCluster, type Cluster } from '../testing/index.test.js';

type Spec = NonNullable<Job['spec']>;

function jobManifest(name: string, spec: Partial<Spec> = {}, restartPolicy: 'Never' | 'OnFailure' = 'Never'): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox' }], restartPolicy } }, ...spec },
  };
}

const isActive = (p: Pod): boolean => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata?.deletionTimestamp;
const condition = (job: Job, type: string): NonNullable<NonNullable<Job['status']>['conditions']>[number] | undefined =>
  job.status?.conditions?.find((c) => c.type === type && c.status === 'True');

describe('job controller against a real server', () => {
  let c: Cluster;
  let n = 0;
  const ns = (): string => `job-${++n}`;

  before(async () => {
    c = await startCluster();
    c.run(jobController, ttlAfterFinishedController);
  });
  after(async () => {
    if (process.env.JOB_TEST_LOGS) console.log(c.logs.join('\n'));
    await c.stop();
  });

  const create = async (namespace: string, j: Job): Promise<Job> => c.client.create<Job>(jobKind, namespace, j);
  const get = (namespace: string, name: string): Promise<Job> => c.client.get<Job>(jobKind, namespace, name);
  const podsOf = (namespace: string, name: string): Promise<Pod[]> => listPods(c.client, namespace, `batch.kubernetes.io/job-name=${name}`);

  it('runs completions with at most parallelism pods active, then completes', async () => {
    const namespace = ns();
    await createNamespace(c.client, namespace);
    await create(namespace, jobManifest('work', { completions: 4, parallelism: 2 }));
    for (let done = 0; done < 4; done++) {
      const active = await eventually(
        async () => {
          const pods = (await podsOf(namespace, 'work')).filter(isActive);
          assert.ok(pods.length <= 2, `more than parallelism active: ${pods.length}`);
          return pods.length === Math.min(2, 4 - done) ? pods : undefined;
        },
        { what: `active pods after ${done} completions` },
      );
      await finishPod(c.client, active[0] as Pod);
      await eventually(async () => ((await get(namespace, 'work')).status?.succeeded ?? 0) === done + 1, { what: `succeeded ${done + 1}` });
    }
    const job = await eventually(async () => {
      const j = await get(namespace, 'work');
      return condition(j, 'Complete') ? j : undefined;
    });
    const types = (job.status?.conditions ?? []).map((x) => [x.type, x.status, x.reason, x.message]);
    assert.deepEqual(types, [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ]);
    assert.equal(job.status?.succeeded, 4);
    assert.equal(job.status?.failed, undefined);
    assert.equal(job.status?.active, undefined);
    assert.equal(job.status?.ready, 0);
    assert.equal(job.status?.terminating, 0);
    assert.deepEqual(job.status?.uncountedTerminatedPods, {});
    assert.ok(job.status?.startTime && job.status.completionTime);
    const pods = await podsOf(namespace, 'work');
    assert.equal(pods.length, 4);
    for (const p of pods) {
      assert.ok(!(p.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER), 'finalizer removed once counted');
      assert.match(p.metadata?.name ?? '', /^work-[a-z0-9]{5}$/);
      assert.equal(p.metadata?.ownerReferences?.[0]?.kind, 'Job');
      assert.equal(p.metadata?.ownerReferences?.[0]?.controller, true);
      assert.equal(p.metadata?.labels?.['job-name'], 'work');
    }
    const events = await eventually(async () => {
      const evs = await eventsFor(c.client, namespace, 'work');
      return evs.some((e) => e.reason === 'Completed') ? evs : undefined;
    });
    assert.equal(events.filter((e) => e.reason === 'SuccessfulCreate' && e.message.startsWith('Created pod: work-')).length, 4);
    assert.ok(events.some((e) => e.reason === 'Completed' && e.message === 'Job completed'));
  });

  it('shows COMPLETIONS 2/2 and STATUS Complete in kubectl get jobs, and the pod counts in describe', async () => {
    const namespace = ns();
    await createNamespace(c.client, namespace);
    await create(namespace, jobManifest('pair', { completions: 2, parallelism: 2 }));
    const pods = await eventually(async () => {
      const p = (await podsOf(namespace, 'pair')).filter(isActive);
      return p.length === 2 ? p : undefined;
    });
    for (const p of pods) await finishPod(c.client, p);
    await eventually(async () => condition(await get(namespace, 'pair'), 'Complete'));
    const out = await kubectlOk(['get', 'jobs', '-n', namespace], { kubeconfig: c.server.kubeconfig });
    const [header, row] = out.trim().split('\n');
    assert.match(header ?? '', /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/);
    assert.match(row ?? '', /^pair\s+Complete\s+2\/2\s+\S+\s+\S+$/);
    const described = await kubectlOk(['describe', 'job', 'pair', '-n', namespace], { kubeconfig: c.server.kubeconfig });
    assert.match(described, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 2 Succeeded \/ 0 Failed/);
    assert.match(described, /Completed At:/);
  });

  it('retries failed pods until the backoff limit, then fails the Job', async () => {
    const namespace = ns();
    await createNamespace(c.client, namespace);
    await create(namespace, jobManifest('flaky', { backoffLimit: 2 }));
    for (let attempt = 1; attempt <= 3; attempt++) {
      const active = await eventually(async () => {
        const p = (await podsOf(namespace, 'flaky')).filter(isActive);
        assert.ok(p.length <= 1);
        return p.length === 1 ? p : undefined;
      });
      await finishPod(c.client, active[0] as Pod, { exitCode: 1 });
      await eventually(async () => ((await get(namespace, 'flaky')).status?.failed ?? 0) === attempt, { what: `failed ${attempt}` });
    }
    const job = await eventually(async () => {
      const j = await get(namespace, 'flaky');
      return condition(j, 'Failed') ? j : undefined;
    });
    const target = condition(job, 'FailureTarget');
    const failed = condition(job, 'Failed');
    assert.equal(target?.reason, 'BackoffLimitExceeded');
    assert.equal(failed?.reason, 'BackoffLimitExceeded');
    assert.equal(failed?.message, 'Job has reached the specified backoff limit');
    assert.equal(job.status?.failed, 3);
    assert.equal(job.status?.completionTime, undefined);
    assert.equal((await podsOf(namespace, 'flaky')).length, 3, 'no pod after the limit');
    const events = await eventually(async () => {
      const evs = await eventsFor(c.client, namespace, 'flaky');
      return evs.some((e) => e.reason === 'BackoffLimitExceeded') ? evs : undefined;
    });
    assert.ok(events.some((e) => e.type === 'Warning' && e.message === 'Job has reached the specified backoff limit'));
  });

  it('waits out the failure back-off before replacing a failed pod', async () => {
    const namespace = ns();
    await createNamespace(c.client, namespace);
    await create(namespace, jobManifest('patient'));
    const first = await eventually(async () => (await podsOf(namespace, 'patient'))[0]);
    await finishPod(c.client, first, { exitCode: 1, finishedAt: c.clock.now() });
    await eventually(async () => ((await get(namespace, 'patient')).status?.failed ?? 0) === 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await podsOf(namespace, 'patient')).length, 1, 'no replacement during the 10 s back-off');
    c.clock.advance(11_000);
    await eventually(async () => ((await podsOf(namespace, 'patient')).filter(isActive).length === 1 ? true : undefined), { what: 'replacement pod' });
  });

  it('fails the Job and stops its pods at activeDeadlineSeconds', async () => {
    const namespace = ns();
    await createNamespace(c.client, namespace);
    await create(namespace, jobManifest('slow', { activeDeadlineSeconds: 30, parallelism: 2, completions: 4 }));
    const running = await eventually(async () => {
      const p = (await podsOf(namespace, 'slow')).filter(isActive);
      return p.length === 2 ? p : undefined;
    });
    for (const p of running) await markRunning(c.client, p);
    await eventually(async () => (await get(namespace, 'slow')).status?.ready === 2, { what: 'ready 2' });
    c.clock.advance(31_000);
    const job = await eventually(async () => {
      const j = await get(namespace, 'slow');
      return condition(j, 'Failed') ? j : undefined;
    });
    assert.equal(condition(job, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(condition(job, 'Failed')?.message, 'Job was active longer than specified deadline');
    assert.equal(job.status?.failed, 2, 'stopped pods count as failed');
    assert.equal(job.status?.active, undefined);
    await eventually(async () => ((await podsOf(namespace, 'slow')).length === 0 ? true : undefined), { what: 'pods deleted' });
    const events = await eventually(async () => {
      const evs = await eventsFor(c.client, namespace, 'slow');
      return evs.some((e) => e.reason === 'DeadlineExceeded') ? evs : undefined;
    });
    assert.equal(events.filter((e) => e.reason === 'SuccessfulDelete').length, 2);
  });

  it('gives Indexed pods their index and completes when every index succeeded', async () => {
    const namespace = ns();
    await createNamespace(c.client, namespace);
    await create(namespace, jobManifest('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const byIndex = async (): Promise<Map<string, Pod>> => {
      const m = new Map<string, Pod>();
      for (const p of (await podsOf(namespace, 'idx')).filter(isActive)) m.set(p.metadata?.annotations?.[COMPLETION_INDEX_KEY] ?? '?', p);
      return m;
    };
    const pods = await eventually(async () => {
      const m = await byIndex();
      return m.size === 3 ? m : undefined;
    });
    assert.deepEqual([...pods.keys()].sort(), ['0', '1', '2']);
    for (const [ix, p] of pods) {
      assert.equal(p.metadata?.labels?.[COMPLETION_INDEX_KEY], ix);
      assert.equal(p.spec?.hostname, `idx-${ix}`);
      assert.match(p.metadata?.name ?? '', new RegExp(`^idx-${ix}-[a-z0-9]{5}$`));
      const env = p.spec?.containers[0]?.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX');
      assert.equal(env?.valueFrom?.fieldRef?.fieldPath, `metadata.annotations['${COMPLETION_INDEX_KEY}']`);
    }
    await finishPod(c.client, pods.get('1') as Pod);
    await eventually(async () => (await get(namespace, 'idx')).status?.completedIndexes === '1', { what: 'completedIndexes 1' });
    await finishPod(c.client, pods.get('0') as Pod, { exitCode: 1 });
    const again = await eventually(async () => {
      const m = await byIndex();
      const p = m.get('0');
      return p && p.metadata?.uid !== pods.get('0')?.metadata?.uid ? m : undefined;
    }, { what: 'index 0 recreated' });
    assert.equal(again.size, 2, 'only the failed index is replaced');
    await finishPod(c.client, again.get('0') as Pod);
    await finishPod(c.client, again.get('2') as Pod);
    const job = await eventually(async () => {
      const j = await get(namespace, 'idx');
      return condition(j, 'Complete') ? j : undefined;
    });
    assert.equal(job.status?.completedIndexes, '0-2');
    assert.equal(job.status?.succeeded, 3);
    assert.equal(job.status?.failed, 1);
  });

  it('suspends and resumes', async () => {
    const namespace = ns();
    await createNamespace(c.client, namespace);
    await create(namespace, jobManifest('sleepy', { suspend: true, parallelism: 2, completions: 2 }));
    let job = await eventually(async () => {
      const j = await get(namespace, 'sleepy');
      return condition(j, 'Suspended') ? j : undefined;
    });
    assert.equal(condition(job, 'Suspended')?.reason, 'JobSuspended');
    assert.equal(job.status?.startTime, undefined);
    assert.equal((await podsOf(namespace, 'sleepy')).length, 0);
    await c.client.patch(jobKind, namespace, 'sleepy', { type: 'merge', body: { spec: { suspend: false } } });
    await eventually(async () => ((await podsOf(namespace, 'sleepy')).filter(isActive).length === 2 ? true : undefined), { what: 'pods after resume' });
    job = await get(namespace, 'sleepy');
    const resumed = job.status?.conditions?.find((x) => x.type === 'Suspended');
    assert.equal(resumed?.status, 'False');
    assert.equal(resumed?.reason, 'JobResumed');
    assert.ok(job.status?.startTime);
    await c.client.patch(jobKind, namespace, 'sleepy', { type: 'merge', body: { spec: { suspend: true } } });
    await eventually(async () => ((await podsOf(namespace, 'sleepy')).length === 0 ? true : undefined), { what: 'pods deleted on suspend' });
    job = await eventually(async () => {
      const j = await get(namespace, 'sleepy');
      return condition(j, 'Suspended') && j.status?.active === undefined ? j : undefined;
    });
    assert.equal(job.status?.failed, undefined, 'suspending does not count failures');
    const reasons = (await eventsFor(c.client, namespace, 'sleepy')).map((e) => e.reason);
    assert.ok(reasons.includes('Suspended') && reasons.includes('Resumed'));
  });

  it('deletes a finished Job once ttlSecondsAfterFinished has passed', async () => {
    const namespace = ns();
    await createNamespace(c.client, namespace);
    await create(namespace, jobManifest('brief', { ttlSecondsAfterFinished: 100 }));
    const pod = await eventually(async () => (await podsOf(namespace, 'brief'))[0]);
    await finishPod(c.client, pod);
    await eventually(async () => condition(await get(namespace, 'brief'), 'Complete'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await get(namespace, 'brief')).metadata?.deletionTimestamp, undefined, 'kept during the TTL');
    c.clock.advance(101_000);
    // Deleted in the foreground: with no garbage collector running here it waits on its finalizer.
    const gone = await eventually(async () => {
      try {
        const j = await get(namespace, 'brief');
        return j.metadata?.deletionTimestamp ? j : undefined;
      } catch {
        return 'gone' as const;
      }
    });
    if (gone !== 'gone') assert.ok(gone.metadata?.finalizers?.includes('foregroundDeletion'));
  });

  it('fails the Job on a FailJob exit code and ignores disruptions', async () => {
    const namespace = ns();
    await createNamespace(c.client, namespace);
    await create(
      namespace,
      jobManifest('policy', {
        backoffLimit: 0,
        podFailurePolicy: {
          rules: [
            { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
            { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
          ],
        },
      }),
    );
    const first = await eventually(async () => (await podsOf(namespace, 'policy'))[0]);
    await finishPod(c.client, first, { exitCode: 137, conditions: [{ type: 'DisruptionTarget', status: 'True' }] });
    const second = await eventually(async () => (await podsOf(namespace, 'policy')).find((p) => isActive(p)), { what: 'replacement after an ignored failure' });
    assert.equal((await get(namespace, 'policy')).status?.failed, undefined, 'ignored failure not counted');
    await finishPod(c.client, second, { exitCode: 42 });
    const job = await eventually(async () => {
      const j = await get(namespace, 'policy');
      return condition(j, 'Failed') ? j : undefined;
    });
    assert.equal(condition(job, 'Failed')?.reason, 'PodFailurePolicy');
    assert.equal(condition(job, 'Failed')?.message, `Container main for pod ${namespace}/${second.metadata?.name ?? ''} failed with exit code 42 matching FailJob rule at index 0`);
    assert.equal(job.status?.failed, 1);
  });

  it('counts container restarts against the backoff limit for restartPolicy OnFailure', async () => {
    const namespace = ns();
    await createNamespace(c.client, namespace);
    await create(namespace, jobManifest('restarts', { backoffLimit: 2 }, 'OnFailure'));
    const pod = await eventually(async () => (await podsOf(namespace, 'restarts'))[0]);
    await markRunning(c.client, pod, { restarts: 1 });
    await eventually(async () => (await get(namespace, 'restarts')).status?.ready === 1);
    assert.equal(condition(await get(namespace, 'restarts'), 'Failed'), undefined, 'one restart is within the limit');
    const fresh = (await podsOf(namespace, 'restarts'))[0] as Pod;
    await markRunning(c.client, fresh, { restarts: 2 });
    const job = await eventually(async () => {
      const j = await get(namespace, 'restarts');
      return condition(j, 'Failed') ? j : undefined;
    });
    assert.equal(condition(job, 'Failed')?.reason, 'BackoffLimitExceeded');
  });
});
