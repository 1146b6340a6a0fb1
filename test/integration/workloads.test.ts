// DaemonSets, StatefulSets, Jobs and CronJobs end to end on hollow nodes, driven by the real
// kubectl 1.32: a DaemonSet pod on every node including one that joins later, StatefulSet pods
// created strictly in order (web-1 only after web-0 is Ready) and removed in reverse, a Job that
// retries failing pods until its backoffLimit and one that completes 3 pods 2 at a time, and a
// CronJob that fires on its schedule. What waits on real time (the CronJob's next minute, the
// Job's 10 s/20 s retry back-off) is created in `before` so those waits overlap the other tests.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podKind, type Pod } from '../../src/api/core/v1/index.js';
import { daemonSetKind, type DaemonSet } from '../../src/api/apps/v1/index.js';
import { cronJobKind, jobKind, type CronJob, type Job } from '../../src/api/batch/v1/index.js';
import { eventually } from '../support/eventually.js';
import { startHollowCluster, type HollowCluster } from '../support/hollow-cluster.js';
import { isReady, live, terminating } from './pods.js';
import { WatchLog } from './watch-log.js';

const NS = 'default';
let c: HollowCluster;

const apply = (obj: unknown): Promise<string> => c.kubectlOk(['apply', '-f', '-'], { stdin: JSON.stringify(obj) });
const podsOf = async (selector: string): Promise<Pod[]> => (await c.client.list<Pod>(podKind, NS, { labelSelector: selector })).items;
const container = { name: 'main', image: 'busybox' };

function jobManifest(name: string, o: { exitCode: number; runSeconds: number; spec: Record<string, unknown> }): unknown {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: {
      ...o.spec,
      template: {
        metadata: { annotations: { 'tugboat.dev/fake-exit-code': String(o.exitCode), 'tugboat.dev/fake-run-seconds': String(o.runSeconds) } },
        spec: { restartPolicy: 'Never', containers: [container] },
      },
    },
  };
}

const condition = (job: Job, type: string): { status?: string; reason?: string } | undefined => job.status?.conditions?.find((x) => x.type === type);

describe('DaemonSet, StatefulSet, Job and CronJob on hollow nodes with kubectl', { timeout: 300_000 }, () => {
  before(async () => {
    c = await startHollowCluster({ agents: [{ nodes: 2, prefix: 'wk' }] });
    await apply({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick', namespace: NS },
      spec: {
        schedule: '*/1 * * * *',
        jobTemplate: {
          spec: { template: { metadata: { annotations: { 'tugboat.dev/fake-exit-code': '0' } }, spec: { restartPolicy: 'Never', containers: [container] } } },
        },
      },
    });
    await apply(jobManifest('flaky', { exitCode: 1, runSeconds: 0, spec: { backoffLimit: 2 } }));
  });
  after(async () => {
    await c?.cleanup();
  });

  it('a DaemonSet runs one pod on every node, including a node added later', async () => {
    await apply({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: NS },
      spec: { selector: { matchLabels: { app: 'ds-agent' } }, template: { metadata: { labels: { app: 'ds-agent' } }, spec: { containers: [container] } } },
    });
    const onNodes = async (nodes: string[]): Promise<boolean> => {
      const pods = live(await podsOf('app=ds-agent')).filter(isReady);
      const placed = pods.map((p) => p.spec?.nodeName ?? '').sort();
      return JSON.stringify(placed) === JSON.stringify([...nodes].sort());
    };
    await eventually(() => onNodes(['wk-0', 'wk-1']), { timeoutMs: 60_000, what: 'a ready DaemonSet pod on wk-0 and wk-1' });

    const late = await c.addAgent({ nodes: 1, prefix: 'late' });
    await eventually(() => onNodes(['wk-0', 'wk-1', ...late.nodeNames]), { timeoutMs: 60_000, what: 'a DaemonSet pod on the new node' });
    await eventually(async () => {
      const ds = await c.client.get<DaemonSet>(daemonSetKind, NS, 'agent');
      return ds.status?.desiredNumberScheduled === 3 && ds.status.numberReady === 3 && ds.status.numberAvailable === 3;
    });
    const table = await c.kubectlOk(['get', 'daemonset', 'agent']);
    assert.match(table, /^agent\s+3\s+3\s+3\s+3\s+3\s/m);
    await c.kubectlOk(['delete', 'daemonset', 'agent']);
  });

  it('a StatefulSet creates web-0..2 in order, each after the previous is Ready, and scales down in reverse', async () => {
    const pods = await WatchLog.start<Pod>(c.client, podKind, { namespace: NS, labelSelector: 'app=sts-web' });
    try {
      await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { clusterIP: 'None', selector: { app: 'sts-web' }, ports: [{ port: 80 }] } });
      await apply({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'web', namespace: NS },
        spec: {
          serviceName: 'web',
          replicas: 3,
          selector: { matchLabels: { app: 'sts-web' } },
          template: { metadata: { labels: { app: 'sts-web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
        },
      });
      await pods.until((s) => ['web-0', 'web-1', 'web-2'].every((n) => s.get(n) && isReady(s.get(n) as Pod)), { timeoutMs: 60_000, what: 'web-0..2 Ready' });
      const added = (name: string): number => pods.indexOf((e) => e.type === 'ADDED' && e.object.metadata?.name === name);
      const firstReady = (name: string): number => pods.indexOf((e) => e.object.metadata?.name === name && isReady(e.object));
      assert.ok(added('web-0') >= 0 && firstReady('web-0') > added('web-0'));
      assert.ok(added('web-1') > firstReady('web-0'), `web-1 created (event ${added('web-1')}) before web-0 was Ready (event ${firstReady('web-0')})`);
      assert.ok(added('web-2') > firstReady('web-1'), `web-2 created (event ${added('web-2')}) before web-1 was Ready (event ${firstReady('web-1')})`);

      await c.kubectlOk(['scale', 'statefulset/web', '--replicas=1']);
      await pods.until((s) => s.size === 1 && s.has('web-0'), { timeoutMs: 60_000, what: 'only web-0 left' });
      const deleted = (name: string): number => pods.indexOf((e) => e.type === 'DELETED' && e.object.metadata?.name === name);
      const startsTerminating = (name: string): number => pods.indexOf((e) => e.object.metadata?.name === name && terminating(e.object));
      assert.ok(deleted('web-2') >= 0 && startsTerminating('web-1') > deleted('web-2'), 'web-1 only goes once web-2 is gone');
    } finally {
      await pods.stop();
    }
    assert.equal(pods.failure, undefined);
    const table = await c.kubectlOk(['get', 'statefulset', 'web']);
    assert.match(table, /^web\s+1\/1\s/m);
  });

  it('a Job whose pods fail retries until backoffLimit, then is Failed', async () => {
    const job = await eventually(
      async () => {
        const j = await c.client.get<Job>(jobKind, NS, 'flaky');
        return condition(j, 'Failed')?.status === 'True' && j;
      },
      { timeoutMs: 120_000, what: 'job flaky to fail' },
    );
    assert.equal(condition(job, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(job.status?.failed, 3, 'backoffLimit 2 allows 3 attempts');
    const pods = await podsOf('job-name=flaky');
    assert.equal(pods.length, 3, 'one pod per attempt');
    for (const p of pods) assert.equal(p.status?.phase, 'Failed');
    const events = await c.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=flaky']);
    assert.match(events, /BackoffLimitExceeded\s+job\/flaky\s+Job has reached the specified backoff limit/);
  });

  it('a Job with completions 3 and parallelism 2 completes, never running more than 2 pods', async () => {
    let peak = 0;
    const pods = await WatchLog.start<Pod>(c.client, podKind, {
      namespace: NS,
      labelSelector: 'job-name=batch',
      onEvent: (_e, s) => {
        const active = [...s.values()].filter((p) => !terminating(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
        peak = Math.max(peak, active);
        assert.ok(active <= 2, `${active} active pods`);
      },
    });
    try {
      await apply(jobManifest('batch', { exitCode: 0, runSeconds: 3, spec: { completions: 3, parallelism: 2 } }));
      await c.kubectlOk(['wait', '--for=condition=complete', 'job/batch', '--timeout=60s'], { timeoutMs: 70_000 });
    } finally {
      await pods.stop();
    }
    assert.equal(pods.failure, undefined);
    assert.equal(peak, 2, 'two pods ran in parallel');
    const job = await c.client.get<Job>(jobKind, NS, 'batch');
    assert.equal(job.status?.succeeded, 3);
    const succeeded = (await podsOf('job-name=batch')).filter((p) => p.status?.phase === 'Succeeded');
    assert.equal(succeeded.length, 3);
    const table = await c.kubectlOk(['get', 'job', 'batch']);
    assert.match(table, /^batch\s+Complete\s+3\/3\s/m);
  });

  it('a CronJob creates a Job on its schedule', async () => {
    const job = await eventually(
      async () => {
        const jobs = (await c.client.list<Job>(jobKind, NS)).items;
        return jobs.find((j) => j.metadata?.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === 'tick' && o.controller === true));
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'a Job from CronJob tick' },
    );
    // Jobs are named after the scheduled time in minutes since the epoch.
    const minutes = Number(/^tick-(\d+)$/.exec(job.metadata?.name ?? '')?.[1]);
    assert.ok(Number.isInteger(minutes) && minutes * 60_000 <= Date.now(), `job name ${job.metadata?.name}`);
    await eventually(async () => (await c.client.get<CronJob>(cronJobKind, NS, 'tick')).status?.lastScheduleTime, { what: 'lastScheduleTime' });
    const table = await c.kubectlOk(['get', 'cronjob', 'tick']);
    assert.match(table, /^tick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+\d+\s+\d+[sm]\S*\s+\S+\s*$/m);
    await c.kubectlOk(['wait', '--for=condition=complete', `job/${job.metadata?.name ?? ''}`, '--timeout=60s'], { timeoutMs: 70_000 });
  });
});
