// `tug up --nodes 3` as a user runs it (root, real kubectl 1.32): three Ready nodes with distinct
// pod CIDRs and their InternalIPs on the node bridge the cluster created; a pod on node 3 reaches
// pods on node 1 and node 2 by pod IP over HTTP, and each server sees the client's own pod IP
// (busybox httpd CGI printing REMOTE_ADDR), so pod-to-pod traffic across nodes is routed, not
// NATed; a pod on node 2 reaches a server beyond the nodes (in a network namespace this test
// makes, behind a veth of the host) and arrives with the host's address on that veth, so the host
// masquerades the node addresses; a node agent killed with SIGKILL is reported and not restarted,
// and its Node stops being Ready; then `tug down` (with that node's containerd, pods and ingress
// nginx orphaned) leaves no trace of the cluster in `ip netns`, `ip -o link`, `ip route`,
// `nft list tables`, libcni's result cache or the processes' command lines. The ingress runs
// (each node's binds its own address); the node-local DNS, on one fixed address, does not.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { netnsNames, run, runOk } from '../../src/agent/network/index.js';
import { processesMentioning, processesWithArgument } from '../../src/cmd/host-leftovers.js';
import { eventually } from '../support/eventually.js';
import { clusterTraces, hostState, leftovers, type HostState } from '../support/host-state.js';
import { startTugUp, type TugUp } from '../support/tug-up.js';
import { apply, createNamespace, IMAGE, waitPod, type PodJson } from './lib.js';

const isRoot = process.getuid?.() === 0;

interface NodeJson {
  metadata: { name: string };
  spec: { podCIDR?: string };
  status?: { addresses?: { type: string; address: string }[]; conditions?: { type: string; status: string }[] };
}

/** An httpd on :8080 whose /cgi-bin/ip answers with the caller's address as it arrives. */
function echoServer(name: string, nodeName: string): Record<string, unknown> {
  const script = [
    'mkdir -p /www/cgi-bin',
    `printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho "$REMOTE_ADDR"\\n' > /www/cgi-bin/ip`,
    'chmod +x /www/cgi-bin/ip',
    'echo ok > /www/index.html',
    'exec httpd -f -p 8080 -h /www',
  ].join(' && ');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'echo' } },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'web', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ports: [{ containerPort: 8080 }] }],
    },
  };
}

function clientPod(name: string, nodeName: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
  };
}

const running = (p: PodJson): boolean => p.status?.phase === 'Running' && Boolean(p.status.podIP);

describe('tug up --nodes 3', { skip: !isRoot && 'needs root' }, () => {
  let c: TugUp | undefined;
  let before0: HostState;
  let destroyed = false;
  const get = (): TugUp => {
    if (!c) throw new Error('cluster not started');
    return c;
  };

  before(async () => {
    before0 = await hostState();
    c = await startTugUp({ nodes: 3, readyTimeoutMs: 240_000, services: 'default', extraArgs: ['--no-node-local-dns'] });
  });
  after(async () => {
    if (!destroyed) await c?.destroy();
  });

  it('has three Ready nodes with distinct pod CIDRs and InternalIPs on the node bridge', async () => {
    const cl = get();
    const nodes = (JSON.parse(await cl.kubectlOk(['get', 'nodes', '-o', 'json'])) as { items: NodeJson[] }).items;
    assert.deepEqual(nodes.map((n) => n.metadata.name).sort(), [...cl.nodes].sort());
    for (const n of nodes) assert.equal(n.status?.conditions?.find((x) => x.type === 'Ready')?.status, 'True', `${n.metadata.name} Ready`);
    const cidrs = nodes.map((n) => n.spec.podCIDR ?? '');
    assert.equal(new Set(cidrs).size, 3, `pod CIDRs ${cidrs.join(', ')}`);
    const prefix = cl.cidr.split('.').slice(0, 2).join('.') + '.';
    for (const x of cidrs) assert.ok(x.startsWith(prefix), `${x} inside ${cl.cidr}`);
    const ips = cl.nodes.map((name) => nodes.find((n) => n.metadata.name === name)?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address);
    assert.deepEqual(ips, cl.nodeIPs);
    // The addresses are on the bridge the cluster created: node 1's on the bridge itself, the others' in their namespaces.
    assert.match((await run('ip', ['-o', '-4', 'addr', 'show', 'dev', cl.nodeBridge])).stdout, new RegExp(`inet ${cl.nodeIPs[0]?.replace(/\./g, '\\.') ?? ''}/24`));
    for (const k of [2, 3]) {
      const r = await cl.onNode(k, 'ip', ['-o', '-4', 'addr', 'show', 'dev', 'eth0']);
      assert.match(r.stdout, new RegExp(`inet ${cl.nodeIPs[k - 1]?.replace(/\./g, '\\.') ?? ''}/24`), `node ${k} eth0`);
    }
  });

  it('a pod on node 3 reaches pods on nodes 1 and 2 by pod IP, and they see its own pod IP', async () => {
    const cl = get();
    const ns = await createNamespace(cl, 'multinode');
    const [n1, n2, n3] = cl.nodes;
    await apply(cl, ns, echoServer('echo-1', n1 ?? ''), echoServer('echo-2', n2 ?? ''), clientPod('client-3', n3 ?? ''));
    const s1 = await waitPod(cl, ns, 'echo-1', running, { what: 'running with an IP', timeoutMs: 120_000 });
    const s2 = await waitPod(cl, ns, 'echo-2', running, { what: 'running with an IP', timeoutMs: 120_000 });
    const client = await waitPod(cl, ns, 'client-3', running, { what: 'running with an IP', timeoutMs: 120_000 });
    assert.equal(client.spec.nodeName, n3);
    assert.equal(client.status?.hostIP, cl.nodeIPs[2]);
    for (const server of [s1, s2]) {
      const url = `http://${server.status?.podIP ?? ''}:8080/cgi-bin/ip`;
      let last = '';
      let seen = '';
      // httpd may still be starting when the pod turns Running. (No -T: this busybox's wget crashes with it.)
      for (let i = 0; i < 40 && !seen; i++) {
        const r = await cl.kubectl(['exec', '-n', ns, 'client-3', '--', 'wget', '-q', '-O', '-', url]);
        last = `${r.code} ${r.stdout}${r.stderr}`;
        // httpd listens dual-stack and writes IPv4 peers as [::ffff:a.b.c.d].
        if (r.code === 0) seen = r.stdout.trim().replace(/^\[::ffff:(.*)\]$/, '$1');
        else await new Promise((res) => setTimeout(res, 500));
      }
      assert.ok(seen, `client-3 on ${n3 ?? ''} could not fetch ${url} (${server.spec.nodeName ?? ''}): ${last}`);
      assert.equal(seen, client.status?.podIP, `${server.metadata.name} on ${server.spec.nodeName ?? ''} saw ${seen}, not the client's pod IP`);
    }
  });

  it("a pod on node 2 reaches beyond the machine's nodes with the host's address (host masquerade)", async (t) => {
    const cl = get();
    assert.match((await run('nft', ['list', 'table', 'inet', `tugboat-nodes-${cl.nodeBridge}`])).stdout, /masquerade/);
    // "Outside": a namespace of this test's own behind a veth of the host, 10.250-254.x.y/30.
    const [a = 0, b = 0, c4 = 0] = randomBytes(3);
    const base = `10.${250 + (a % 5)}.${b}.${c4 & 0xfc}`;
    const [hostEnd, farEnd] = [1, 2].map((k) => base.replace(/\d+$/, (d) => String(Number(d) + k)));
    const id = randomBytes(3).toString('hex');
    const ns = `tugout-${id}`;
    const veth = `tvo${id}`;
    let server: ChildProcess | undefined;
    t.after(async () => {
      if (server?.pid && server.exitCode === null) server.kill('SIGKILL');
      if ((await netnsNames()).includes(ns)) await run('ip', ['netns', 'delete', ns]);
      await run('ip', ['link', 'delete', veth]);
    });
    await runOk('ip', ['netns', 'add', ns]);
    await runOk('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await runOk('ip', ['addr', 'add', `${hostEnd ?? ''}/30`, 'dev', veth]);
    await runOk('ip', ['link', 'set', veth, 'up']);
    const inNs = (cmd: string, args: string[]): Promise<string> => runOk('nsenter', [`--net=/run/netns/${ns}`, '--', cmd, ...args]);
    await inNs('ip', ['addr', 'add', `${farEnd ?? ''}/30`, 'dev', 'eth0']);
    await inNs('ip', ['link', 'set', 'eth0', 'up']);
    await inNs('ip', ['link', 'set', 'lo', 'up']);
    // A way back to anything, so an unmasqueraded request would still be answered (showing its source).
    await inNs('ip', ['route', 'add', 'default', 'via', hostEnd ?? '']);
    const js = `require('http').createServer((q, s) => s.end(q.socket.remoteAddress)).listen(8080, '${farEnd ?? ''}', () => console.log('listening'))`;
    server = spawn('nsenter', [`--net=/run/netns/${ns}`, '--', process.execPath, '-e', js], { stdio: ['ignore', 'pipe', 'inherit'] });
    const srv = server;
    await new Promise<void>((res, rej) => {
      srv.stdout?.once('data', () => res());
      srv.once('exit', (code) => rej(new Error(`the outside server exited (${String(code)})`)));
    });

    const nsName = await createNamespace(cl, 'beyond');
    const n2 = cl.nodes[1] ?? '';
    await apply(cl, nsName, clientPod('client-2', n2));
    const client = await waitPod(cl, nsName, 'client-2', running, { what: 'running with an IP', timeoutMs: 120_000 });
    assert.equal(client.status?.hostIP, cl.nodeIPs[1]);
    const r = await cl.kubectl(['exec', '-n', nsName, 'client-2', '--', 'wget', '-q', '-O', '-', `http://${farEnd ?? ''}:8080/`]);
    assert.equal(r.code, 0, `client-2 on ${n2} could not reach ${farEnd ?? ''}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout.trim(), hostEnd, `the outside server saw ${r.stdout.trim()} (node 2 is ${cl.nodeIPs[1] ?? ''}, the pod ${client.status?.podIP ?? ''})`);
  });

  it('reports a node agent that dies and does not restart it; the node goes NotReady', async () => {
    const cl = get();
    const node3 = cl.nodes[2] ?? '';
    const [pid, ...more] = await processesWithArgument(join(cl.dir, 'nodes', node3));
    assert.ok(pid !== undefined && more.length === 0, `one agent process for ${node3}`);
    process.kill(pid, 'SIGKILL');
    await eventually(() => cl.output().includes(`node ${node3}: agent (pid ${pid}) exited`), { timeoutMs: 30_000, what: 'tug up to report the dead agent' });
    assert.deepEqual(await processesWithArgument(join(cl.dir, 'nodes', node3)), [], 'restarted');
    // The node lifecycle controller notices the missing heartbeats.
    await eventually(
      async () => {
        const n = JSON.parse(await cl.kubectlOk(['get', 'node', node3, '-o', 'json'])) as NodeJson;
        return n.status?.conditions?.find((x) => x.type === 'Ready')?.status !== 'True';
      },
      { timeoutMs: 120_000, intervalMs: 1000, what: `${node3} to stop being Ready` },
    );
    assert.equal(cl.child.exitCode, null, 'tug up keeps running');
    // What the agent started outlives it: its ingress nginx, for `tug down` to stop.
    assert.ok((await processesMentioning([join(cl.dir, 'nodes', node3, 'ingress')])).length > 0, `the ingress nginx of ${node3} outlived its agent`);
  });

  it('tug down leaves no trace', async () => {
    const cl = get();
    const traces = await clusterTraces(cl);
    assert.ok(traces.podNetns.length >= 3, `expected the pods' network namespaces in the CNI cache, found ${traces.podNetns.join(', ')}`);
    assert.equal(traces.veths.length, 2);
    destroyed = true;
    await cl.destroy();
    const now = await hostState();
    assert.deepEqual(await leftovers(cl, traces, now), { netns: [], links: [], routes: [], tables: [], cniCache: [] });
    assert.deepEqual(await processesMentioning([cl.dir]), [], 'processes naming the data dir are left');
    // Whatever else differs from before the test was made by someone else's run, not this cluster.
    const extra = now.netns.filter((n) => !before0.netns.includes(n));
    if (extra.length > 0) console.log(`# namespaces present now that were not before (other runs): ${extra.join(', ')}`);
  });
});
