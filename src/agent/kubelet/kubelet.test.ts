// The kubelet against a real `tug server` (no controllers, no scheduler: pods are created with
// spec.nodeName set), on two hollow nodes with the fake runtime, with kubectl as the oracle:
// registration and Ready, the Lease, pods Running/Ready with full container statuses, crash
// loops with growing restart counts (fast back-off injected), Job-style completion and failure,
// unready and init-container pods, the node's podCIDR, graceful deletion through the kubelet, and
// an agent restart re-running its pods.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { leaseKind, type Lease } from '../../api/coordination/v1/index.js';
import { nodeKind, podKind, type Node, type Pod } from '../../api/core/v1/index.js';
import { HttpClient } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';
import { eventually } from '../../../test/support/eventually.js';
import { kubectlOk } from '../../../test/support/kubectl.js';
import { Agent, type AgentOptions } from '../agent.js';
import { parseNodeToken } from '../join.js';

const NS = 'default';

describe('kubelet on hollow nodes', () => {
  let srv: TugServer;
  let client: HttpClient;
  let agentOpts: AgentOptions;
  let ac = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const logs: string[] = [];

  const startAgent = async (): Promise<void> => {
    ac = new AbortController();
    const agent = new Agent(agentOpts);
    running = agent.start(ac.signal);
    await agent.ready;
  };

  before(async () => {
    srv = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
    const token = parseNodeToken(await readFile(join(srv.dataDir, 'node-token'), 'utf8'));
    agentOpts = {
      server: srv.url,
      token: token.secret,
      caCertPem: srv.caCertPem,
      runtime: 'fake',
      hollowNodes: 2,
      nodeName: 'kt',
      timing: { crashLoopBackoff: { initialMs: 300, maxMs: 1_200 }, leaseRenewMs: 500, nodeStatusUpdateMs: 500 },
      log: (m) => logs.push(m),
    };
    client = new HttpClient({ server: srv.url, caCertPem: srv.caCertPem, token: srv.token });
    await startAgent();
  });

  after(async () => {
    if (process.env.KUBELET_TEST_LOGS) console.log(`kubelet logs (${logs.length}):\n${logs.join('\n')}`);
    ac.abort();
    await running;
    client.close();
    await srv.cleanup();
  });

  const kubectl = (args: string[]): Promise<string> => kubectlOk(args, { kubeconfig: srv.kubeconfig });
  const getPod = (name: string): Promise<Pod> => client.get<Pod>(podKind, NS, name);

  async function createPod(name: string, o: { node?: string; annotations?: Record<string, string>; restartPolicy?: string; init?: boolean } = {}): Promise<Pod> {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: NS, ...(o.annotations ? { annotations: o.annotations } : {}) },
      spec: {
        nodeName: o.node ?? 'kt-0',
        ...(o.restartPolicy ? { restartPolicy: o.restartPolicy as 'Always' } : {}),
        ...(o.init ? { initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['true'] }] } : {}),
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      },
    };
    return client.create<Pod>(podKind, NS, pod);
  }

  const podLine = async (name: string): Promise<string> => (await kubectl(['get', 'pod', name, '--no-headers'])).trim();

  it('registers nodes that kubectl shows Ready, with capacity, addresses and node info', async () => {
    const out = await kubectl(['get', 'nodes', '-o', 'wide', '--no-headers']);
    const line = out.split('\n').find((l) => l.startsWith('kt-0 '));
    assert.match(line ?? '', /^kt-0\s+Ready\s+<none>\s+\S+\s+v1\.32\.0-tugboat\s+127\.16\.0\.1\s+<none>\s+Tugboat hollow node\s+\S+\s+fake:\/\/0\.1$/);
    assert.match(out, /^kt-1\s+Ready/m);
    const node = await client.get<Node>(nodeKind, undefined, 'kt-0');
    assert.deepEqual(node.status?.capacity, { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' });
    assert.deepEqual(node.status?.allocatable, node.status?.capacity);
    assert.deepEqual(
      node.status?.conditions?.map((c) => `${c.type}=${c.status}`),
      ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True'],
    );
    assert.ok(node.status?.conditions?.every((c) => c.lastHeartbeatTime && c.lastTransitionTime));
    assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'kt-0');
    assert.equal(node.metadata?.labels?.['tugboat.dev/hollow-node'], 'true');
    assert.equal(node.spec?.podCIDR, undefined);
  });

  it("records the node's own events that kubectl describe node shows", async () => {
    const events = await eventually(
      async () => {
        const out = await kubectl(['describe', 'node', 'kt-0']);
        const tail = out.slice(out.indexOf('Events:'));
        return /Starting\s+.*Starting kubelet\./.test(tail) && /NodeReady\s+.*Node kt-0 status is now: NodeReady/.test(tail) ? tail : undefined;
      },
      { what: 'Starting and NodeReady events on kubectl describe node' },
    );
    assert.match(events, /NodeHasSufficientMemory\s+.*Node kt-0 status is now: NodeHasSufficientMemory/);
    // Once each: the Node as first created (no conditions yet) arriving late on the watch must not
    // make the kubelet write, and record, its conditions a second time.
    assert.doesNotMatch(events, /NodeHasSufficientMemory\s+\S+ \(x\d/);
    assert.match(events, /kubelet/);
  });

  it('renews its Lease in kube-node-lease', async () => {
    const first = await client.get<Lease>(leaseKind, 'kube-node-lease', 'kt-0');
    const node = await client.get<Node>(nodeKind, undefined, 'kt-0');
    assert.equal(first.spec?.holderIdentity, 'kt-0');
    assert.equal(first.spec?.leaseDurationSeconds, 40);
    assert.equal(first.metadata?.ownerReferences?.[0]?.uid, node.metadata?.uid);
    await eventually(async () => (await client.get<Lease>(leaseKind, 'kube-node-lease', 'kt-0')).spec?.renewTime !== first.spec?.renewTime, {
      what: 'a lease renewal',
    });
  });

  it('writes Ready=True back at its next status check after the node was marked Unknown', async () => {
    // What the node lifecycle controller does when renewals arrive late; the report period (60 s)
    // must not keep the node NotReady once the kubelet is heard from again.
    const node = await client.get<Node>(nodeKind, undefined, 'kt-1');
    const conditions = (node.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c));
    await client.update<Node>(nodeKind, undefined, { ...node, status: { ...node.status, conditions } }, { subresource: 'status' });
    await eventually(async () => /^kt-1\s+Ready\s/m.test(await kubectl(['get', 'nodes', '--no-headers'])), { timeoutMs: 10_000, what: 'kt-1 Ready again' });
  });

  it('runs a bound pod to Running and Ready with the container statuses kubectl expects', async () => {
    await createPod('web');
    await eventually(async () => /^web\s+1\/1\s+Running\s+0\s/.test(await podLine('web')), { what: 'web Running 1/1' });
    const pod = await getPod('web');
    const st = pod.status ?? {};
    assert.equal(st.phase, 'Running');
    assert.equal(st.hostIP, '127.16.0.1');
    assert.match(st.podIP ?? '', /^10\.244\.0\.\d+$/);
    assert.deepEqual(st.podIPs, [{ ip: st.podIP }]);
    assert.ok(st.startTime);
    assert.deepEqual(
      st.conditions?.map((c) => `${c.type}=${c.status}`),
      ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
    );
    assert.ok(st.conditions?.every((c) => c.lastTransitionTime));
    const cs = st.containerStatuses?.[0];
    assert.equal(cs?.name, 'app');
    assert.ok(cs?.state?.running?.startedAt);
    assert.deepEqual(cs?.lastState, {});
    assert.equal(cs?.ready, true);
    assert.equal(cs?.started, true);
    assert.equal(cs?.restartCount, 0);
    assert.equal(cs?.image, 'docker.io/library/nginx:1.27');
    assert.match(cs?.imageID ?? '', /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.match(cs?.containerID ?? '', /^fake:\/\/[0-9a-f]{64}$/);
    assert.equal(st.qosClass, 'BestEffort');
    const events = await kubectl(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'custom-columns=R:.reason,M:.message', '--no-headers']);
    assert.match(events, /Created\s+Created container: app/);
    assert.match(events, /Started\s+Started container app/);
  });

  it('takes pod IPs from the podCIDR node IPAM assigns', async () => {
    await client.patch(nodeKind, undefined, 'kt-1', { type: 'merge', body: { spec: { podCIDR: '10.42.7.0/24', podCIDRs: ['10.42.7.0/24'] } } });
    await new Promise((r) => setTimeout(r, 300));
    await createPod('cidr', { node: 'kt-1' });
    const pod = await eventually(async () => {
      const p = await getPod('cidr');
      return p.status?.podIP ? p : undefined;
    });
    assert.match(pod.status?.podIP ?? '', /^10\.42\.7\.\d+$/);
    assert.equal(pod.status?.hostIP, '127.16.0.2');
  });

  it('crash-loops a failing container with a growing restart count', async () => {
    await createPod('crash', { annotations: { 'tugboat.dev/fake-exit-code': '1' } });
    const pod = await eventually(
      async () => {
        const p = await getPod('crash');
        const cs = p.status?.containerStatuses?.[0];
        return cs && cs.restartCount >= 3 && cs.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
      },
      { what: 'CrashLoopBackOff with 3 restarts' },
    );
    const cs = pod.status?.containerStatuses?.[0];
    assert.equal(pod.status?.phase, 'Running');
    assert.match(cs?.state?.waiting?.message ?? '', /^back-off \S+ restarting failed container=app pod=crash_default\(/);
    assert.equal(cs?.lastState?.terminated?.exitCode, 1);
    assert.equal(cs?.lastState?.terminated?.reason, 'Error');
    assert.equal(cs?.ready, false);
    const later = await eventually(async () => {
      const p = await getPod('crash');
      const n = p.status?.containerStatuses?.[0]?.restartCount ?? 0;
      return n > (cs?.restartCount ?? 0) ? n : undefined;
    });
    assert.ok(later > (cs?.restartCount ?? 0));
    await eventually(async () => /^crash\s+0\/1\s+CrashLoopBackOff\s+\d+/.test(await podLine('crash')), { what: 'kubectl showing CrashLoopBackOff' });
  });

  it('clears the reason of a condition that turns True again', async () => {
    await createPod('flap', { annotations: { 'tugboat.dev/fake-exit-code': '1', 'tugboat.dev/fake-run-seconds': '2' } });
    const ready = await eventually(
      async () => {
        const p = await getPod('flap');
        const cs = p.status?.containerStatuses?.[0];
        const cond = p.status?.conditions?.find((c) => c.type === 'Ready');
        return cs && cs.restartCount >= 2 && cs.state?.running && cond?.status === 'True' ? cond : undefined;
      },
      { what: 'flap Ready again after a crash-loop back-off' },
    );
    assert.equal(ready.reason, undefined);
    assert.equal(ready.message, undefined);
  });

  it('completes a Job-style pod (restartPolicy Never, exit 0) and keeps it', async () => {
    await createPod('job', { restartPolicy: 'Never', annotations: { 'tugboat.dev/fake-exit-code': '0' } });
    await eventually(async () => /^job\s+0\/1\s+Completed\s+0\s/.test(await podLine('job')), { what: 'job Completed' });
    const pod = await getPod('job');
    assert.equal(pod.status?.phase, 'Succeeded');
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'False');
    assert.equal(ready?.reason, 'PodCompleted');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.match(pod.status?.podIP ?? '', /^10\.244\./);
  });

  it('fails a restartPolicy Never pod whose container exits non-zero', async () => {
    await createPod('oops', { restartPolicy: 'Never', annotations: { 'tugboat.dev/fake-exit-code': '3' } });
    await eventually(async () => /^oops\s+0\/1\s+Error\s+0\s/.test(await podLine('oops')), { what: 'oops Error' });
    const pod = await getPod('oops');
    assert.equal(pod.status?.phase, 'Failed');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 3);
  });

  it('keeps a pod with fake-ready "false" running but unready', async () => {
    await createPod('shy', { annotations: { 'tugboat.dev/fake-ready': 'false' } });
    await eventually(async () => /^shy\s+0\/1\s+Running\s+0\s/.test(await podLine('shy')), { what: 'shy Running 0/1' });
    const ready = (await getPod('shy')).status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'False');
    assert.equal(ready?.reason, 'ContainersNotReady');
    assert.equal(ready?.message, 'containers with unready status: [app]');
  });

  it('runs init containers to completion before the app container', async () => {
    await createPod('init', { init: true });
    await eventually(async () => /^init\s+1\/1\s+Running\s+0\s/.test(await podLine('init')), { what: 'init Running' });
    const st = (await getPod('init')).status;
    assert.equal(st?.initContainerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.equal(st?.initContainerStatuses?.[0]?.ready, false);
    assert.equal(st?.conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
  });

  it('replaces a running container whose image changed (kubectl set image)', async () => {
    await createPod('img');
    await eventually(async () => /^img\s+1\/1\s+Running\s+0\s/.test(await podLine('img')), { what: 'img Running' });
    await kubectl(['set', 'image', 'pod/img', 'app=nginx:1.28']);
    const cs = await eventually(async () => {
      const s = (await getPod('img')).status?.containerStatuses?.[0];
      return s?.image === 'docker.io/library/nginx:1.28' && s.state?.running ? s : undefined;
    });
    assert.equal(cs.restartCount, 1);
    assert.equal(cs.lastState?.terminated?.exitCode, 0);
  });

  it('deletes a pod gracefully: the kubelet stops it, then removes it', async () => {
    await createPod('bye', { annotations: { 'tugboat.dev/fake-stop-seconds': '1' } });
    await eventually(async () => (await getPod('bye')).status?.phase === 'Running', { what: 'bye Running' });
    const marked = await client.delete<Pod>(podKind, NS, 'bye');
    assert.ok(marked?.metadata?.deletionTimestamp, 'deletion should be graceful while the kubelet runs the pod');
    await eventually(
      async () => {
        try {
          await getPod('bye');
          return false;
        } catch (err) {
          return err instanceof StatusError && err.reason === 'NotFound';
        }
      },
      { what: 'bye removed' },
    );
  });

  it('re-runs its pods after the agent restarts (the fake runtime forgot them)', async () => {
    const before = (await getPod('web')).status?.containerStatuses?.[0];
    ac.abort();
    await running;
    await startAgent();
    const cs = await eventually(async () => {
      const s = (await getPod('web')).status?.containerStatuses?.[0];
      return s && s.containerID !== before?.containerID && s.state?.running ? s : undefined;
    });
    assert.equal(cs.restartCount, 1);
    assert.equal(cs.ready, true);
    assert.equal((await getPod('job')).status?.phase, 'Succeeded');
    await eventually(async () => /^web\s+1\/1\s+Running\s+1\s/.test(await podLine('web')), { what: 'web Running after restart' });
  });
});
