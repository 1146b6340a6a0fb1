// Deployments end to end on three hollow nodes, driven only by the real kubectl 1.32: create,
// scale, set image + rollout status with the RollingUpdate bounds checked on every pod and
// ReplicaSet event, rollout history/undo/pause/resume, the events users read, a pod too big for
// any node, and cascading versus orphaning deletes. One cluster serves the whole file; the tests
// run in order and build on each other's state.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podKind, type Pod } from '../../src/api/core/v1/index.js';
import { deploymentKind, replicaSetKind, type Deployment, type ReplicaSet } from '../../src/api/apps/v1/index.js';
import { eventually } from '../support/eventually.js';
import { startHollowCluster, type HollowCluster } from '../support/hollow-cluster.js';
import { imageOf, isReady, live } from './pods.js';
import { WatchLog } from './watch-log.js';

const NS = 'default';
let c: HollowCluster;

const podsOf = async (app: string): Promise<Pod[]> => (await c.client.list<Pod>(podKind, NS, { labelSelector: `app=${app}` })).items;
const replicaSetsOf = async (app: string): Promise<ReplicaSet[]> => (await c.client.list<ReplicaSet>(replicaSetKind, NS, { labelSelector: `app=${app}` })).items;

/** Waits until exactly `n` live pods of `app` are ready and all run `image`. */
async function readyPods(app: string, o: { n: number; image?: string }): Promise<Pod[]> {
  return eventually(
    async () => {
      const pods = live(await podsOf(app));
      return pods.length === o.n && pods.every((p) => isReady(p) && (!o.image || imageOf(p) === o.image)) && pods;
    },
    { timeoutMs: 60_000, what: `${o.n} ready pods of ${app}${o.image ? ` on ${o.image}` : ''}` },
  );
}

async function rolledOut(name: string): Promise<void> {
  const out = await c.kubectlOk(['rollout', 'status', `deployment/${name}`, '--timeout=90s'], { timeoutMs: 100_000 });
  assert.match(out, new RegExp(`deployment "${name}" successfully rolled out`));
}

describe('Deployments on hollow nodes with kubectl', { timeout: 300_000 }, () => {
  before(async () => {
    c = await startHollowCluster({ agents: [{ nodes: 3, prefix: 'node', capacity: { cpu: '4', memory: '16Gi', pods: '110' } }] });
  });
  after(async () => {
    await c?.cleanup();
  });

  it('kubectl create deployment runs its pods on the hollow nodes', async () => {
    await c.kubectlOk(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
    await rolledOut('web');
    const pods = await readyPods('web', { n: 2, image: 'nginx:1.25' });
    for (const p of pods) {
      assert.match(p.spec?.nodeName ?? '', /^node-[012]$/);
      assert.equal(p.status?.phase, 'Running');
    }
    const table = await c.kubectlOk(['get', 'deployment', 'web']);
    assert.match(table, /^web\s+2\/2\s+2\s+2\s/m);
  });

  it('kubectl scale changes the number of running pods', async () => {
    await c.kubectlOk(['scale', 'deployment/web', '--replicas=5']);
    await readyPods('web', { n: 5 });
    await c.kubectlOk(['scale', 'deployment/web', '--replicas=4']);
    await readyPods('web', { n: 4 });
    const table = await c.kubectlOk(['get', 'deployment', 'web']);
    assert.match(table, /^web\s+4\/4\s+4\s+4\s/m);
  });

  it('kubectl get events shows ScalingReplicaSet, SuccessfulCreate and Scheduled', async () => {
    const [rs] = await replicaSetsOf('web');
    const rsName = rs?.metadata?.name ?? '';
    assert.ok(rsName.startsWith('web-'));
    const out = await eventually(
      async () => {
        const text = await c.kubectlOk(['get', 'events']);
        return /Scaled down replica set/.test(text) && text;
      },
      { what: 'events for the scale-down' },
    );
    assert.match(out, new RegExp(`ScalingReplicaSet\\s+deployment/web\\s+Scaled up replica set ${rsName} from 0 to 2`));
    assert.match(out, new RegExp(`ScalingReplicaSet\\s+deployment/web\\s+Scaled up replica set ${rsName} from 2 to 5`));
    assert.match(out, new RegExp(`ScalingReplicaSet\\s+deployment/web\\s+Scaled down replica set ${rsName} from 5 to 4`));
    assert.match(out, new RegExp(`SuccessfulCreate\\s+replicaset/${rsName}\\s+Created pod: ${rsName}-`));
    assert.match(out, new RegExp(`Scheduled\\s+pod/${rsName}-\\w+\\s+Successfully assigned default/${rsName}-\\w+ to node-[012]`));
  });

  it('kubectl set image + rollout status keeps maxSurge and maxUnavailable at every step', async (t) => {
    const replicas = 4;
    const [maxSurge, maxUnavailable] = [1, 1];
    await c.kubectlOk(['patch', 'deployment/web', '-p', JSON.stringify({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } } })]);
    await eventually(async () => {
      const d = await c.client.get<Deployment>(deploymentKind, NS, 'web');
      return d.status?.observedGeneration === d.metadata?.generation;
    });

    let peakPods = 0;
    let lowReady = Number.POSITIVE_INFINITY;
    let mixedSteps = 0;
    const pods = await WatchLog.start<Pod>(c.client, podKind, {
      namespace: NS,
      labelSelector: 'app=web',
      onEvent: (e, state) => {
        const current = live(state.values());
        const ready = current.filter(isReady).length;
        peakPods = Math.max(peakPods, current.length);
        lowReady = Math.min(lowReady, ready);
        if (new Set(current.map(imageOf)).size > 1) mixedSteps++;
        assert.ok(current.length <= replicas + maxSurge, `${current.length} pods after ${e.type} ${e.object.metadata?.name} (max ${replicas + maxSurge})`);
        assert.ok(ready >= replicas - maxUnavailable, `${ready} ready pods after ${e.type} ${e.object.metadata?.name} (min ${replicas - maxUnavailable})`);
      },
    });
    const sets = await WatchLog.start<ReplicaSet>(c.client, replicaSetKind, {
      namespace: NS,
      labelSelector: 'app=web',
      onEvent: (e, state) => {
        const all = [...state.values()];
        const desired = all.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
        const available = all.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
        assert.ok(desired <= replicas + maxSurge, `ReplicaSets want ${desired} pods after ${e.type} ${e.object.metadata?.name}`);
        assert.ok(available >= replicas - maxUnavailable, `ReplicaSets report ${available} available after ${e.type} ${e.object.metadata?.name}`);
      },
    });
    try {
      await c.kubectlOk(['set', 'image', 'deployment/web', 'nginx=nginx:1.26']);
      await rolledOut('web');
      await pods.until((s) => {
        const current = live(s.values());
        return current.length === replicas && current.every((p) => isReady(p) && imageOf(p) === 'nginx:1.26');
      });
      // Old pods finish terminating (the kubelet deletes them) a moment after the rollout is done.
      await pods.until(() => pods.events.filter((e) => e.type === 'DELETED').length >= replicas, { what: 'old pods deleted' });
    } finally {
      await pods.stop();
      await sets.stop();
    }
    assert.equal(pods.failure, undefined);
    assert.equal(sets.failure, undefined);
    // The bounds were checked on a real rollout: old and new pods lived side by side, and old ones went.
    assert.ok(mixedSteps > 0, 'no step had old and new pods together');
    assert.ok(pods.events.filter((e) => e.type === 'DELETED').length >= replicas, 'old pods were deleted');
    t.diagnostic(`${pods.events.length} pod events, ${sets.events.length} ReplicaSet events; at most ${peakPods} pods, at least ${lowReady} ready; ${mixedSteps} mixed steps`);
    const rsList = await replicaSetsOf('web');
    assert.equal(rsList.length, 2, 'the old ReplicaSet is kept (scaled to 0) for rollback');
    assert.deepEqual(rsList.map((rs) => rs.spec?.replicas).sort(), [0, replicas]);
  });

  it('kubectl rollout history lists both revisions', async () => {
    const out = await c.kubectlOk(['rollout', 'history', 'deployment/web']);
    assert.match(out, /^REVISION\s+CHANGE-CAUSE/m);
    assert.match(out, /^1\s+<none>/m);
    assert.match(out, /^2\s+<none>/m);
    const rev2 = await c.kubectlOk(['rollout', 'history', 'deployment/web', '--revision=2']);
    assert.match(rev2, /Image:\s+nginx:1\.26/);
    const rev1 = await c.kubectlOk(['rollout', 'history', 'deployment/web', '--revision=1']);
    assert.match(rev1, /Image:\s+nginx:1\.25/);
  });

  it('kubectl rollout undo goes back to the previous template as a new revision', async () => {
    const out = await c.kubectlOk(['rollout', 'undo', 'deployment/web']);
    assert.match(out, /deployment\.apps\/web rolled back/);
    await rolledOut('web');
    await readyPods('web', { n: 4, image: 'nginx:1.25' });
    const history = await c.kubectlOk(['rollout', 'history', 'deployment/web']);
    assert.match(history, /^2\s/m);
    assert.match(history, /^3\s/m);
    assert.doesNotMatch(history, /^1\s/m, 'revision 1 became revision 3');
    const d = await c.client.get<Deployment>(deploymentKind, NS, 'web');
    assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
  });

  it('kubectl rollout pause holds template changes until resume', async () => {
    await c.kubectlOk(['rollout', 'pause', 'deployment/web']);
    await c.kubectlOk(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
    await eventually(
      async () => {
        const d = await c.client.get<Deployment>(deploymentKind, NS, 'web');
        const progressing = d.status?.conditions?.find((x) => x.type === 'Progressing');
        return d.status?.observedGeneration === d.metadata?.generation && progressing?.reason === 'DeploymentPaused';
      },
      { what: 'the controller to see the paused deployment' },
    );
    const sets = await replicaSetsOf('web');
    assert.ok(!sets.some((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === 'nginx:1.27'), 'no ReplicaSet for the new image while paused');
    assert.ok(live(await podsOf('web')).every((p) => imageOf(p) === 'nginx:1.25'));

    await c.kubectlOk(['rollout', 'resume', 'deployment/web']);
    await rolledOut('web');
    await readyPods('web', { n: 4, image: 'nginx:1.27' });
  });

  it('a pod too big for any node stays Pending with the FailedScheduling event', async () => {
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'big', namespace: NS },
      spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100' } } }] },
    };
    await c.kubectlOk(['apply', '-f', '-'], { stdin: JSON.stringify(manifest) });
    const expected = '0/3 nodes are available: 3 Insufficient cpu.';
    const events = await eventually(
      async () => {
        const out = await c.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=big']);
        return out.includes('FailedScheduling') && out;
      },
      { what: 'FailedScheduling for pod big' },
    );
    assert.ok(events.includes(expected), events);
    const describe = await c.kubectlOk(['describe', 'pod', 'big']);
    assert.match(describe, /^Status:\s+Pending/m);
    assert.match(describe, /^Node:\s+<none>/m);
    assert.match(describe, /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\./);
    const pod = await c.client.get<Pod>(podKind, NS, 'big');
    const scheduled = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
    assert.equal(scheduled?.status, 'False');
    assert.equal(scheduled?.reason, 'Unschedulable');
    await c.kubectlOk(['delete', 'pod', 'big', '--wait=false']);
  });

  it('kubectl delete deployment removes its ReplicaSets and pods', async () => {
    assert.ok((await replicaSetsOf('web')).length > 0);
    await c.kubectlOk(['delete', 'deployment', 'web']);
    await eventually(async () => (await replicaSetsOf('web')).length === 0 && (await podsOf('web')).length === 0, {
      timeoutMs: 60_000,
      what: 'ReplicaSets and pods of web to be gone',
    });
  });

  it('kubectl delete --cascade=orphan keeps the ReplicaSet and pods, without owner', async () => {
    await c.kubectlOk(['create', 'deployment', 'keep', '--image=nginx', '--replicas=2']);
    await rolledOut('keep');
    const before = (await readyPods('keep', { n: 2 })).map((p) => p.metadata?.uid).sort();
    await c.kubectlOk(['delete', 'deployment', 'keep', '--cascade=orphan']);
    const [rs] = await eventually(
      async () => {
        const sets = await replicaSetsOf('keep');
        return sets.length === 1 && (sets[0]?.metadata?.ownerReferences ?? []).length === 0 && sets;
      },
      { what: 'the orphaned ReplicaSet to lose its owner' },
    );
    await assert.rejects(c.client.get(deploymentKind, NS, 'keep'), /not found/i);
    const after = (await readyPods('keep', { n: 2 })).map((p) => p.metadata?.uid).sort();
    assert.deepEqual(after, before, 'the same pods keep running');
    for (const p of await podsOf('keep')) assert.equal(p.metadata?.ownerReferences?.[0]?.name, rs?.metadata?.name, 'pods still belong to the ReplicaSet');
    await c.kubectlOk(['delete', 'replicaset', rs?.metadata?.name ?? '']);
    await eventually(async () => (await podsOf('keep')).length === 0, { what: 'pods of keep to go with their ReplicaSet' });
  });
});
