// Integration test of the scheduler against a real `tug server` (no controllers, no built-in
// scheduler): Node objects are created through the API (no kubelet is needed to schedule), the
// scheduler runs in-process, and the test checks what users would see — pods bound through
// pods/binding with `Scheduled` events, nodeSelector and taints honoured, a too-big pod left
// Pending with Kubernetes' FailedScheduling message and PodScheduled=False, and a high-priority
// pod preempting a low-priority one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventKind, nodeKind, podKind, type Node, type Pod } from '../api/core/v1/index.js';
import { priorityClassKind } from '../api/scheduling/v1/index.js';
import { ApiEventRecorder, HttpClient, InformerFactory } from '../client/index.js';
import { StatusError } from '../lib/errors.js';
import { startTugServer, type TugServer } from '../../test/support/tug-server.js';
import { eventually } from '../../test/support/eventually.js';
import { Scheduler } from './index.js';
import { makeNode } from './testing/fixtures.js';

interface EventLike {
  reason?: string;
  message?: string;
  type?: string;
  involvedObject?: { name?: string };
}

describe('scheduler against tug server', () => {
  let server: TugServer;
  let client: HttpClient;
  const stop = new AbortController();
  let running: Promise<void>;
  const logs: string[] = [];

  const events = async (pod: string, reason: string): Promise<EventLike[]> =>
    ((await client.list(eventKind, 'default')).items as EventLike[]).filter((e) => e.involvedObject?.name === pod && e.reason === reason);
  const podNamed = (name: string): Promise<Pod> => client.get<Pod>(podKind, 'default', name);
  const boundNode = async (name: string): Promise<string | undefined> => (await podNamed(name)).spec?.nodeName || undefined;
  const createPod = (name: string, spec: Partial<NonNullable<Pod['spec']>> & { cpu?: string }, labels: Record<string, string> = {}): Promise<Pod> => {
    const { cpu, ...rest } = spec;
    return client.create<Pod>(podKind, 'default', {
      metadata: { name, labels },
      spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: cpu ?? '100m', memory: '64Mi' } } }], ...rest },
    });
  };
  const deletePods = async (names: string[]): Promise<void> => {
    for (const n of names)
      await client.delete(podKind, 'default', n, { gracePeriodSeconds: 0 }).catch((e: unknown) => {
        if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e;
      });
  };

  before(async () => {
    server = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
    client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
    const nodes: Node[] = [
      makeNode('n1', { cpu: '2', memory: '4Gi', labels: { disk: 'ssd' } }),
      makeNode('n2', { cpu: '2', memory: '4Gi' }),
      makeNode('n3', { cpu: '2', memory: '4Gi', labels: { gpu: 'true' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    ];
    for (const n of nodes) {
      const { status, ...rest } = n;
      const created = await client.create<Node>(nodeKind, undefined, { ...rest, metadata: { name: n.metadata?.name, labels: n.metadata?.labels } });
      await client.update<Node>(nodeKind, undefined, { ...created, status }, { subresource: 'status' });
    }
    const informers = new InformerFactory(client);
    const scheduler = new Scheduler({
      client,
      informers,
      recorder: new ApiEventRecorder(client, 'default-scheduler'),
      log: (m) => logs.push(m),
    });
    running = scheduler.run(stop.signal);
    informers.start(stop.signal);
  });

  after(async () => {
    stop.abort();
    await running;
    client?.close();
    await server?.cleanup();
  });

  it('binds pods to nodes through pods/binding and records Scheduled events', async () => {
    const names = ['web-0', 'web-1', 'web-2', 'web-3'];
    for (const n of names) await createPod(n, {});
    const placed = await eventually(async () => {
      const nodes = await Promise.all(names.map(boundNode));
      return nodes.every(Boolean) ? nodes : undefined;
    });
    assert.ok(placed.every((n) => n === 'n1' || n === 'n2'), `untolerated taint kept pods off n3: ${placed.join(',')}`);
    const pod = await podNamed('web-0');
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
    const scheduled = await eventually(async () => (await events('web-0', 'Scheduled'))[0]);
    assert.equal(scheduled.message, `Successfully assigned default/web-0 to ${placed[0]}`);
    await assert.rejects(
      client.createSubresource(podKind, 'default', 'web-0', 'binding', { metadata: { name: 'web-0' }, target: { kind: 'Node', name: 'n3' } }),
      (e: unknown) => e instanceof StatusError && e.code === 409 && e.message.includes(`pod web-0 is already assigned to node "${placed[0]}"`),
    );
    await deletePods(names);
  });

  it('honours nodeSelector and tolerations', async () => {
    await createPod('ssd', { nodeSelector: { disk: 'ssd' } });
    await createPod('gpu', { nodeSelector: { gpu: 'true' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] });
    await createPod('gpu-untolerated', { nodeSelector: { gpu: 'true' } });
    assert.equal(await eventually(() => boundNode('ssd')), 'n1');
    assert.equal(await eventually(() => boundNode('gpu')), 'n3');
    const failed = await eventually(async () => (await events('gpu-untolerated', 'FailedScheduling'))[0]);
    assert.equal(
      failed.message,
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    await deletePods(['ssd', 'gpu', 'gpu-untolerated']);
  });

  it('leaves a pod too big for any node Pending with FailedScheduling and PodScheduled=False', async () => {
    await createPod('huge', { cpu: '3', tolerations: [{ operator: 'Exists' }] });
    const failed = await eventually(async () => (await events('huge', 'FailedScheduling'))[0]);
    assert.equal(failed.type, 'Warning');
    assert.equal(failed.message, '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.');
    const cond = await eventually(async () => (await podNamed('huge')).status?.conditions?.find((c) => c.type === 'PodScheduled'));
    assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', failed.message]);
    assert.equal(await boundNode('huge'), undefined);
    await deletePods(['huge']);
  });

  it('preempts a lower-priority pod for a higher-priority one', async () => {
    await client.create(priorityClassKind, undefined, { metadata: { name: 'low' }, value: 10 });
    await client.create(priorityClassKind, undefined, { metadata: { name: 'high' }, value: 1000 });
    const onN2 = { nodeSelector: { 'kubernetes.io/hostname': 'n2' }, cpu: '1500m' };
    // spec.priority matches the class, so this holds whether or not priority admission filled it in.
    await createPod('victim', { ...onN2, priorityClassName: 'low', priority: 10 });
    assert.equal(await eventually(() => boundNode('victim')), 'n2');
    await createPod('important', { ...onN2, priorityClassName: 'high', priority: 1000 });
    assert.equal(await eventually(() => boundNode('important'), { timeoutMs: 30_000 }), 'n2');
    await assert.rejects(podNamed('victim'), (e: unknown) => e instanceof StatusError && e.reason === 'NotFound');
    const preempted = await eventually(async () => (await events('victim', 'Preempted'))[0]);
    const important = await podNamed('important');
    assert.equal(preempted.message, `Preempted by pod ${important.metadata?.uid ?? ''} on node n2`);
    await deletePods(['important']);
  });
});
