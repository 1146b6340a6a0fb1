// Integration tests of the node lifecycle and taint eviction controllers against a real `tug
// server` running no controllers. Kubelets are played by hand: Nodes posting a Ready condition
// and Leases in kube-node-lease renewed by a timer until a test "kills" a node. The lifecycle
// controller runs with a 2 s grace period; the eviction controller runs on a clock of its own,
// so a 300 s toleration can be run out by moving that clock.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { leaseKind, type Lease } from '../../api/coordination/v1/index.js';
import { nodeKind, podKind, type Node, type Pod, type Toleration } from '../../api/core/v1/index.js';
import { StatusError } from '../../lib/errors.js';
import { TestClock, eventsFor, eventually, markRunning, startCluster, type Cluster } from '../testing/index.test.js';
import { nodeLifecycleControllerWith, taintEvictionController, TAINT_UNREACHABLE, TAINT_NOT_READY } from './index.js';

let c: Cluster;
const evictionClock = new TestClock();
const renewing = new Map<string, NodeJS.Timeout>();
const microTime = (): string => new Date().toISOString().replace(/Z$/, '000Z');
const apiTime = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

async function postReady(name: string, status: 'True' | 'False'): Promise<void> {
  const cond = { type: 'Ready', status, reason: status === 'True' ? 'KubeletReady' : 'KubeletNotReady', message: 'posted by the test', lastHeartbeatTime: apiTime(), lastTransitionTime: apiTime() };
  await c.client.patch(nodeKind, undefined, name, { type: 'strategic', body: { status: { conditions: [cond] } } }, { subresource: 'status' });
}

async function renew(name: string): Promise<void> {
  const lease = await c.client.get<Lease>(leaseKind, 'kube-node-lease', name);
  await c.client.update(leaseKind, 'kube-node-lease', { ...lease, spec: { ...lease.spec, renewTime: microTime() } });
}

function startRenewing(name: string): void {
  const t = setInterval(() => void renew(name).catch(() => undefined), 300);
  renewing.set(name, t);
}

function stopRenewing(name: string): void {
  clearInterval(renewing.get(name));
  renewing.delete(name);
}

async function addNode(name: string): Promise<void> {
  await c.client.create(nodeKind, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
  await postReady(name, 'True');
  await c.client.create(leaseKind, 'kube-node-lease', {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: 'kube-node-lease' },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime() },
  });
  startRenewing(name);
}

async function addPod(name: string, nodeName: string, tolerations: Toleration[] = []): Promise<Pod> {
  const pod = await c.client.create<Pod>(podKind, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'busybox' }] },
  });
  await markRunning(c.client, pod);
  return pod;
}

const getNode = (name: string): Promise<Node> => c.client.get<Node>(nodeKind, undefined, name);
const getPod = (name: string): Promise<Pod> => c.client.get<Pod>(podKind, 'default', name);
const terminating = async (name: string): Promise<boolean> => {
  try {
    return !!(await getPod(name)).metadata?.deletionTimestamp;
  } catch (err) {
    if (err instanceof StatusError && err.reason === 'NotFound') return true;
    throw err;
  }
};
const taintsOf = async (name: string): Promise<string[]> => ((await getNode(name)).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
const unreachable = (seconds?: number): Toleration => ({ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) });

before(async () => {
  c = await startCluster();
  c.run(nodeLifecycleControllerWith({ gracePeriodMs: 2000, monitorPeriodMs: 250, evictionRate: 100 }));
  c.start({ clock: evictionClock, controllers: [taintEvictionController] });
});

after(async () => {
  for (const name of [...renewing.keys()]) stopRenewing(name);
  await c.stop();
});

describe('node lifecycle', () => {
  it('marks a node whose lease stops Unknown and taints it; evicts its pods by their tolerations', async () => {
    await addNode('alive');
    await addNode('dead');
    await addPod('bystander', 'alive');
    // Admission gives every pod a 300 s unreachable toleration unless it has its own, so "no
    // toleration time" is a toleration of 0 s, as in Kubernetes.
    await addPod('no-toleration', 'dead', [unreachable(0)]);
    await addPod('short', 'dead', [unreachable(2)]);
    await addPod('long', 'dead', [unreachable(300)]);
    await addPod('forever', 'dead', [unreachable()]);
    // The controller has seen both nodes alive before one falls silent.
    await eventually(async () => (await eventsFor(c.client, 'default', 'dead')).some((e) => e.reason === 'RegisteredNode'), { what: 'RegisteredNode' });
    stopRenewing('dead');

    const node = await eventually(async () => {
      const n = await getNode('dead');
      return n.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'Unknown' && n;
    }, { what: 'dead node Unknown' });
    const ready = node.status?.conditions?.find((x) => x.type === 'Ready');
    assert.equal(ready?.reason, 'NodeStatusUnknown');
    assert.equal(ready?.message, 'Kubelet stopped posting node status.');
    await eventually(async () => (await taintsOf('dead')).join() === [`${TAINT_UNREACHABLE}:NoExecute`, `${TAINT_UNREACHABLE}:NoSchedule`].join(), { what: 'unreachable taints' });

    await eventually(() => terminating('no-toleration'), { what: 'untolerating pod evicted' });
    assert.equal(await terminating('long'), false, 'a 300 s toleration has not run out');
    assert.equal(await terminating('forever'), false);
    const evicted = await getPod('no-toleration');
    assert.equal(evicted.status?.conditions?.find((x) => x.type === 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
    await eventually(() => terminating('short'), { what: 'pod with a 2 s toleration evicted' });

    // Pods left on the dead node are no longer Ready, so endpoints drop them.
    await eventually(async () => (await getPod('forever')).status?.conditions?.find((x) => x.type === 'Ready')?.status === 'False', { what: 'forever pod not ready' });
    const nodeEvents = await eventsFor(c.client, 'default', 'dead');
    assert.ok(nodeEvents.some((e) => e.reason === 'NodeNotReady' && e.message === 'Node dead status is now: NodeNotReady'), JSON.stringify(nodeEvents));
    const podEvents = await eventually(async () => {
      const evs = await eventsFor(c.client, 'default', 'no-toleration');
      return evs.some((e) => e.reason === 'TaintManagerEviction') && evs;
    });
    assert.ok(podEvents.some((e) => e.message === 'Marking for deletion Pod default/no-toleration'));

    evictionClock.advance(300_000);
    await eventually(() => terminating('long'), { what: 'pod with a 300 s toleration evicted once its clock moved' });
    assert.equal(await terminating('forever'), false, 'a toleration without seconds lasts forever');

    // The healthy node and its pod were left alone.
    assert.deepEqual(await taintsOf('alive'), []);
    assert.equal(await terminating('bystander'), false);
    assert.equal((await getPod('bystander')).status?.conditions?.find((x) => x.type === 'Ready')?.status, 'True');
  });

  it('removes the taints when the node comes back', async () => {
    await renew('dead');
    startRenewing('dead');
    await postReady('dead', 'True');
    await eventually(async () => (await taintsOf('dead')).length === 0, { what: 'taints removed' });
  });

  it('taints a node that reports Ready=False as not-ready', async () => {
    await addNode('sick');
    await postReady('sick', 'False');
    await eventually(async () => (await taintsOf('sick')).join() === [`${TAINT_NOT_READY}:NoExecute`, `${TAINT_NOT_READY}:NoSchedule`].join(), { what: 'not-ready taints' });
    await postReady('sick', 'True');
    await eventually(async () => (await taintsOf('sick')).length === 0, { what: 'not-ready taints removed' });
  });

  // A node found dead a moment before the others may be NoExecute-tainted for that moment, as in
  // Kubernetes; once every node is down the taints go and evictions stop.
  it('stops evicting when every node is down (the control plane is the likelier one cut off)', async () => {
    for (const name of [...renewing.keys()]) stopRenewing(name);
    await eventually(async () => {
      const nodes = (await c.client.list<Node>(nodeKind, undefined)).items;
      const allUnknown = nodes.every((n) => n.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'Unknown');
      const noExecute = nodes.some((n) => (n.spec?.taints ?? []).some((t) => t.effect === 'NoExecute'));
      const noSchedule = nodes.every((n) => (n.spec?.taints ?? []).some((t) => t.key === TAINT_UNREACHABLE && t.effect === 'NoSchedule'));
      return allUnknown && !noExecute && noSchedule;
    }, { what: 'all nodes Unknown, NoSchedule-tainted, none NoExecute-tainted' });
  });
});
