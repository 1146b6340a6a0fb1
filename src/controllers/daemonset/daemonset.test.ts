// The DaemonSet controller against a real API server with no other controllers and no
// scheduler: pods appear pinned (by node affinity) to every eligible node, including nodes that
// join later; tainted and unselected nodes are skipped; nodes that stop qualifying lose their
// pod; a template change rolls node by node within maxUnavailable; kubectl reads the history.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daemonSetKind, type DaemonSet } from '../../api/apps/v1/index.js';
import { eventKind, nodeKind, podKind, type Event, type Node, type Pod, type Toleration } from '../../api/core/v1/index.js';
import { kubectlOk } from '../../../test/support/kubectl.js';
import { createNode, eventually, markRunning, startCluster, type Cluster } from '../testing/index.test.js';
import { daemonSetController } from './index.js';
import { targetNodeOf } from './placement.js';

const NS = 'default';

function daemonSet(
  name: string,
  o: { image?: string; nodeSelector?: Record<string, string>; maxUnavailable?: number; maxSurge?: number; tolerations?: Toleration[] } = {},
): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: NS },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: o.maxUnavailable ?? 1, maxSurge: o.maxSurge ?? 0 } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'agent', image: o.image ?? 'busybox:1' }],
          ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
          ...(o.tolerations ? { tolerations: o.tolerations } : {}),
        },
      },
    },
  };
}

describe('DaemonSet controller', () => {
  let env: Cluster;
  const podsOf = async (app: string): Promise<Pod[]> => (await env.client.list<Pod>(podKind, NS, { labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const byNode = (pods: Pod[]): Record<string, Pod> => Object.fromEntries(pods.map((p) => [targetNodeOf(p) ?? '?', p]));

  before(async () => {
    env = await startCluster();
    await createNode(env.client, { name: 'node-a', labels: { disk: 'ssd' } });
    await createNode(env.client, { name: 'node-b', labels: { disk: 'ssd' } });
    await createNode(env.client, { name: 'node-tainted', labels: { disk: 'ssd' }, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
    await createNode(env.client, { name: 'node-hdd', labels: { disk: 'hdd' } });
    env.run(daemonSetController);
  });
  after(async () => env.stop());

  it('runs one pod per eligible node, pinned by affinity, and follows nodes joining and leaving', async () => {
    await env.client.create(daemonSetKind, NS, daemonSet('agent', { nodeSelector: { disk: 'ssd' } }));
    const pods = await eventually(async () => {
      const p = await podsOf('agent');
      return p.length === 2 ? p : undefined;
    }, { what: 'two daemon pods' });
    assert.deepEqual(Object.keys(byNode(pods)).sort(), ['node-a', 'node-b']);
    const pod = byNode(pods)['node-a'] as Pod;
    assert.deepEqual(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms, [
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }] },
    ]);
    assert.equal(pod.spec?.nodeName, undefined, 'the scheduler, not the controller, binds daemon pods');
    assert.equal(pod.metadata?.ownerReferences?.[0]?.kind, 'DaemonSet');
    assert.ok(pod.metadata?.labels?.['controller-revision-hash']);
    const tolerated = (pod.spec?.tolerations ?? []).map((t) => `${t.key}:${t.effect}`);
    for (const t of ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unschedulable:NoSchedule', 'node.kubernetes.io/disk-pressure:NoSchedule']) {
      assert.ok(tolerated.includes(t), `tolerates ${t}`);
    }
    assert.ok(!tolerated.includes('node.kubernetes.io/network-unavailable:NoSchedule'), 'network-unavailable only for hostNetwork');

    await createNode(env.client, { name: 'node-c', labels: { disk: 'ssd' } });
    await eventually(async () => Object.keys(byNode(await podsOf('agent'))).includes('node-c'), { what: 'a pod on the node added later' });

    const ds = await eventually(async () => {
      const d = await env.client.get<DaemonSet>(daemonSetKind, NS, 'agent');
      return d.status?.desiredNumberScheduled === 3 && d.status.currentNumberScheduled === 3 ? d : undefined;
    }, { what: 'status with three nodes' });
    assert.equal(ds.status?.numberMisscheduled, 0);
    assert.equal(ds.status?.observedGeneration, ds.metadata?.generation);

    // node-b stops matching the nodeSelector: its pod goes.
    await env.client.patch(nodeKind, undefined, 'node-b', { type: 'merge', body: { metadata: { labels: { disk: 'hdd' } } } });
    await eventually(async () => {
      const nodes = Object.keys(byNode(await podsOf('agent'))).sort();
      return nodes.join(',') === 'node-a,node-c';
    }, { what: 'the pod on node-b to be deleted' });

    const events = await env.client.list<Event>(eventKind, NS);
    const reasons = events.items.filter((e) => e.involvedObject?.name === 'agent').map((e) => `${e.reason}: ${e.message}`);
    assert.ok(reasons.some((r) => /^SuccessfulCreate: Created pod: agent-/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^SuccessfulDelete: Deleted pod: agent-/.test(r)), reasons.join('\n'));
  });

  it('status counts ready pods', async () => {
    for (const pod of await podsOf('agent')) await markRunning(env.client, pod);
    const ds = await eventually(async () => {
      const d = await env.client.get<DaemonSet>(daemonSetKind, NS, 'agent');
      return d.status?.numberReady === 2 ? d : undefined;
    }, { what: 'numberReady 2' });
    assert.equal(ds.status?.numberAvailable, 2);
    assert.equal(ds.status?.updatedNumberScheduled, 2);
  });

  it('rolls a new template out node by node within maxUnavailable, and kubectl shows the history', async () => {
    await env.client.create(daemonSetKind, NS, daemonSet('roll', { maxUnavailable: 1 }));
    const nodes = (await env.client.list<Node>(nodeKind, undefined)).items.filter((n) => !n.spec?.taints?.length);
    const first = await eventually(async () => {
      const p = await podsOf('roll');
      return p.length === nodes.length ? p : undefined;
    }, { what: 'a pod on every untainted node' });
    for (const p of first) await markRunning(env.client, p);
    const oldHash = first[0]?.metadata?.labels?.['controller-revision-hash'];
    await eventually(async () => (await env.client.get<DaemonSet>(daemonSetKind, NS, 'roll')).status?.numberAvailable === nodes.length, { what: 'all available' });

    await env.client.patch(daemonSetKind, NS, 'roll', { type: 'strategic', body: { spec: { template: { spec: { containers: [{ name: 'agent', image: 'busybox:2' }] } } } } });
    let maxMissing = 0;
    await eventually(
      async () => {
        const pods = await podsOf('roll');
        const ready = pods.filter((p) => p.status?.phase === 'Running');
        maxMissing = Math.max(maxMissing, nodes.length - ready.length);
        // Play kubelet: new pods start.
        for (const p of pods) if (p.status?.phase !== 'Running') await markRunning(env.client, p);
        const done = pods.length === nodes.length && pods.every((p) => p.metadata?.labels?.['controller-revision-hash'] !== oldHash && p.spec?.containers[0]?.image === 'busybox:2');
        return done;
      },
      { what: 'every pod replaced with the new template', timeoutMs: 30_000 },
    );
    assert.ok(maxMissing <= 1, `at most one node without a running pod at a time (saw ${maxMissing})`);

    const status = await kubectlOk(['rollout', 'status', 'ds/roll', '-n', NS, '--timeout=10s'], { kubeconfig: env.server.kubeconfig });
    assert.match(status, /daemon set "roll" successfully rolled out/);
    const out = await kubectlOk(['rollout', 'history', 'ds/roll', '-n', NS], { kubeconfig: env.server.kubeconfig });
    assert.match(out, /daemonset\.apps\/roll/);
    assert.match(out, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const rev1 = await kubectlOk(['rollout', 'history', 'ds/roll', '-n', NS, '--revision=1'], { kubeconfig: env.server.kubeconfig });
    assert.match(rev1, /busybox:1/);

    const undo = await kubectlOk(['rollout', 'undo', 'ds/roll', '-n', NS], { kubeconfig: env.server.kubeconfig });
    assert.match(undo, /rolled back/);
    const ds = await env.client.get<DaemonSet>(daemonSetKind, NS, 'roll');
    assert.equal(ds.spec?.template?.spec?.containers[0]?.image, 'busybox:1');
    await eventually(async () => {
      const out2 = await kubectlOk(['rollout', 'history', 'ds/roll', '-n', NS], { kubeconfig: env.server.kubeconfig });
      return /\n2\s+<none>\n3\s+<none>/.test(out2) && !/\n1\s+<none>/.test(out2);
    }, { what: 'revision 1 renumbered to 3 after the rollback' });
    const skipped = await kubectlOk(['rollout', 'undo', 'ds/roll', '-n', NS, '--to-revision=3'], { kubeconfig: env.server.kubeconfig });
    assert.match(skipped, /skipped rollback/);
  });

  it('places pods on tainted nodes the template tolerates', async () => {
    await env.client.create(daemonSetKind, NS, daemonSet('tol', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }));
    await eventually(async () => Object.keys(byNode(await podsOf('tol'))).includes('node-tainted'), { what: 'a pod on the tolerated tainted node' });
  });

  it('with maxSurge, starts the new pod before removing the old one on each node', async () => {
    await env.client.create(daemonSetKind, NS, daemonSet('surge', { maxUnavailable: 0, maxSurge: 1 }));
    const nodes = (await env.client.list<Node>(nodeKind, undefined)).items.filter((n) => !n.spec?.taints?.length).map((n) => n.metadata?.name ?? '');
    await eventually(async () => {
      const p = await podsOf('surge');
      for (const pod of p) if (pod.status?.phase !== 'Running') await markRunning(env.client, pod);
      return p.length === nodes.length;
    }, { what: 'surge pods everywhere' });
    await eventually(async () => (await env.client.get<DaemonSet>(daemonSetKind, NS, 'surge')).status?.numberAvailable === nodes.length, { what: 'all available' });
    await env.client.patch(daemonSetKind, NS, 'surge', { type: 'strategic', body: { spec: { template: { spec: { containers: [{ name: 'agent', image: 'busybox:2' }] } } } } });
    let sawTwoOnANode = false;
    const bare = new Set<string>();
    await eventually(
      async () => {
        const pods = await podsOf('surge');
        const running = new Map<string, number>();
        const all = new Map<string, number>();
        const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
        for (const p of pods) {
          bump(all, targetNodeOf(p) ?? '');
          if (p.status?.phase === 'Running') bump(running, targetNodeOf(p) ?? '');
        }
        for (const n of nodes) if ((running.get(n) ?? 0) === 0) bare.add(n);
        if ([...all.values()].some((c) => c === 2)) sawTwoOnANode = true;
        for (const p of pods) if (p.status?.phase !== 'Running') await markRunning(env.client, p);
        return pods.length === nodes.length && pods.every((p) => p.spec?.containers[0]?.image === 'busybox:2' && p.status?.phase === 'Running');
      },
      { what: 'surge rollout to finish', timeoutMs: 30_000 },
    );
    assert.ok(sawTwoOnANode, 'old and new pod ran side by side');
    assert.deepEqual([...bare], [], 'every node always kept a running pod');
  });

  it('adopts a matching orphan pod and releases a pod whose labels stop matching', async () => {
    const orphan = await env.client.create<Pod>(podKind, NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'adopt-me', namespace: NS, labels: { app: 'adopt' } },
      spec: {
        containers: [{ name: 'agent', image: 'busybox:1' }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }] }] } } },
      },
    });
    // OnDelete, so the adopted pod (made from no revision) is not rolled right away.
    await env.client.create(daemonSetKind, NS, { ...daemonSet('adopt'), spec: { ...(daemonSet('adopt').spec as NonNullable<DaemonSet['spec']>), updateStrategy: { type: 'OnDelete' } } });
    const ds = await env.client.get<DaemonSet>(daemonSetKind, NS, 'adopt');
    const adopted = await eventually(async () => {
      const p = await env.client.get<Pod>(podKind, NS, 'adopt-me');
      return p.metadata?.ownerReferences?.[0]?.uid === ds.metadata?.uid ? p : undefined;
    }, { what: 'the orphan adopted' });
    assert.equal(adopted.metadata?.uid, orphan.metadata?.uid);
    const untainted = (await env.client.list<Node>(nodeKind, undefined)).items.filter((n) => !n.spec?.taints?.length).length;
    await eventually(async () => (await podsOf('adopt')).length === untainted, { what: 'one pod per node' });
    assert.equal((await podsOf('adopt')).filter((p) => targetNodeOf(p) === 'node-a').length, 1, 'no second pod on the adopted pod\'s node');

    await env.client.patch(podKind, NS, 'adopt-me', { type: 'merge', body: { metadata: { labels: { app: 'debugging' } } } });
    await eventually(async () => (await env.client.get<Pod>(podKind, NS, 'adopt-me')).metadata?.ownerReferences === undefined, { what: 'the pod released' });
    await eventually(async () => Object.keys(byNode(await podsOf('adopt'))).includes('node-a'), { what: 'a replacement on node-a' });
  });
});
