// `tug up` and `tug down` as a user runs them (root only): `tug up` as a process reaches a Ready
// node and prints the kubeconfig; the real kubectl runs a pod of the test image serving HTTP,
// fetched from its pod IP on the bridge this test's cluster created and through its hostPort on
// loopback; SIGTERM stops it cleanly, a second `tug up` re-adopts the running pod, and `tug down`
// stops that one and leaves no trace — no bridge, no pod network namespace, no nftables table or
// portmap nat chains, no mounts or processes naming the data dir. A second run is killed with SIGKILL (containerd, shims and
// containers left running) and `tug down` must clean up just the same. Each run has its own data
// dir, API port, node name, bridge name and cluster CIDR.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteLink, deleteTable, linkNames, netnsNames, run, tablesNamed } from '../../src/agent/network/index.js';
import { mountsUnder, processesMentioning } from '../../src/cmd/host-leftovers.js';
import { eventually } from '../support/eventually.js';
import { kubectlOk } from '../support/kubectl.js';
import { freePort, TUG_BIN } from '../support/tug-server.js';

const isRoot = process.getuid?.() === 0;
const CNI_CACHE = '/var/lib/cni/results';

interface UpRun {
  child: ChildProcess;
  dir: string;
  node: string;
  bridge: string;
  network: string;
  cidr: string;
  nodeBridge: string;
  nodeCidr: string;
  port: number;
  kubeconfig: string;
  /** Milliseconds from spawning `tug up` to its "is up" message. */
  upMs: number;
  output(): string;
}

/** Starts `tug up` with names of its own, or again with those of an earlier run (a restart). */
async function startUp(again?: UpRun): Promise<UpRun> {
  const id = randomBytes(3).toString('hex');
  const dir = again?.dir ?? (await mkdtemp(join(tmpdir(), 'tug-up-')));
  const node = again?.node ?? `up-test-${id}`;
  const bridge = again?.bridge ?? `tugu${id}`;
  const cidr = again?.cidr ?? `10.${100 + ((randomBytes(1)[0] ?? 0) % 100)}.0.0/16`;
  const port = again?.port ?? (await freePort());
  // The node bridge and node CIDR are this run's own too, so concurrent clusters never share one.
  const nodeBridge = again?.nodeBridge ?? `tugn${id}`;
  const nodeCidr = again?.nodeCidr ?? `10.${200 + ((randomBytes(1)[0] ?? 0) % 50)}.${randomBytes(1)[0] ?? 0}.0/24`;
  const args = [TUG_BIN, 'up', '--data-dir', dir, '--listen', `127.0.0.1:${port}`, '--node-name', node, '--bridge-name', bridge, '--cluster-cidr', cidr, '--node-bridge-name', nodeBridge, '--node-cidr', nodeCidr, '--kubelet-port', '0'];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const kubeconfig = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tug up printed no kubeconfig within 90 s:\n${out}`)), 90_000);
    const check = (): void => {
      const m = /export KUBECONFIG=(\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tug up exited with ${code}:\n${out}`));
    });
  });
  return { child, dir, node, bridge, network: `tugboat-${bridge}`, cidr, nodeBridge, nodeCidr, port, kubeconfig, upMs: performance.now() - t0, output: () => out };
}

function waitExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('process did not exit in time')), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function tugDown(dir: string): Promise<string> {
  const r = await run(process.execPath, [TUG_BIN, 'down', '--data-dir', dir]);
  assert.equal(r.code, 0, `tug down failed:\n${r.stderr}${r.stdout}`);
  return r.stdout + r.stderr;
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

const podManifest = (name: string, hostPort?: number): string =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'localhost/tugboat/busybox:latest',
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www'],
          ports: [{ containerPort: 8080, ...(hostPort ? { hostPort } : {}) }],
        },
      ],
    },
  });

/** Runs the web pod and returns its IP once it answers HTTP. */
async function runWebPod(r: UpRun, name: string, hostPort?: number): Promise<string> {
  await kubectlOk(['apply', '-f', '-'], { kubeconfig: r.kubeconfig, stdin: podManifest(name, hostPort) });
  await kubectlOk(['wait', '--for=condition=Ready', `pod/${name}`, '--timeout=60s'], { kubeconfig: r.kubeconfig, timeoutMs: 70_000 });
  const ip = (await kubectlOk(['get', 'pod', name, '-o', 'jsonpath={.status.podIP}'], { kubeconfig: r.kubeconfig })).trim();
  const body = await eventually(() => httpGet(`http://${ip}:8080/`).catch(() => undefined), { timeoutMs: 10_000, what: `HTTP from ${ip}` });
  assert.equal(body.trim(), `hello from ${name}`);
  return ip;
}

/** The network namespaces CNI created for this cluster's pods (from libcni's result cache). */
async function podNetns(network: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of (await readdir(CNI_CACHE).catch(() => [] as string[])).filter((n) => n.startsWith(`${network}-`))) {
    const doc = JSON.parse(await readFile(join(CNI_CACHE, f), 'utf8')) as { result?: { interfaces?: { sandbox?: string }[] } };
    for (const i of doc.result?.interfaces ?? []) if (i.sandbox) out.push(i.sandbox.split('/').pop() ?? '');
  }
  return out.filter(Boolean);
}

/** nft tables as `family name`. */
async function nftTables(): Promise<string[]> {
  const out = (await run('nft', ['list', 'tables'])).stdout;
  return out
    .split('\n')
    .map((l) => l.replace(/^table /, '').trim())
    .filter(Boolean);
}

/** Asserts that nothing of this run is left on the host. */
async function assertNoTrace(r: UpRun, netns: string[]): Promise<void> {
  assert.ok(!(await linkNames()).includes(r.bridge), `bridge ${r.bridge} is left`);
  assert.ok(!(await linkNames()).includes(r.nodeBridge), `node bridge ${r.nodeBridge} is left`);
  const ns = await netnsNames();
  for (const n of netns) assert.ok(!ns.includes(n), `network namespace ${n} is left`);
  assert.ok(!(await tablesNamed('tugboat-')).includes(`tugboat-${r.node}`), 'nftables table is left');
  assert.ok(!(await tablesNamed('tugboat-')).includes(`tugboat-nodes-${r.nodeBridge}`), 'the node masquerade table is left');
  assert.deepEqual(await mountsUnder(r.dir), [], 'mounts under the data dir are left');
  assert.deepEqual(await processesMentioning([r.dir]), [], 'processes naming the data dir are left');
  assert.deepEqual((await readdir(CNI_CACHE).catch(() => [] as string[])).filter((n) => n.startsWith(`${r.network}-`)), [], 'CNI cache entries are left');
  await assert.rejects(stat(r.dir), 'the data dir is left');
}

describe('tug up / tug down', { skip: !isRoot && 'needs root', timeout: 240_000 }, () => {
  const runs: UpRun[] = [];

  after(async () => {
    for (const r of runs) {
      if (r.child.exitCode === null && r.child.signalCode === null) {
        r.child.kill('SIGKILL');
        await waitExit(r.child, 10_000).catch(() => undefined);
      }
      await run(process.execPath, [TUG_BIN, 'down', '--data-dir', r.dir]);
      await deleteLink(r.bridge).catch(() => false);
      await deleteLink(r.nodeBridge).catch(() => false);
      await deleteTable(`tugboat-${r.node}`).catch(() => false);
      await deleteTable(`tugboat-nodes-${r.nodeBridge}`).catch(() => false);
      await rm(r.dir, { recursive: true, force: true });
    }
  });

  it('brings up a Ready node whose pod answers on its IP and hostPort, keeps the pod across a restart, and tug down leaves no trace', async (t) => {
    const tablesBefore = await nftTables();
    const r = await startUp();
    runs.push(r);
    t.diagnostic(`tug up to a Ready node: ${(r.upMs / 1000).toFixed(2)} s`);
    const nodes = JSON.parse(await kubectlOk(['get', 'nodes', '-o', 'json'], { kubeconfig: r.kubeconfig })) as { items: { metadata: { name: string }; spec?: { podCIDR?: string }; status?: { conditions?: { type: string; status: string }[] } }[] };
    assert.equal(nodes.items.length, 1);
    const node = nodes.items[0];
    assert.equal(node?.metadata.name, r.node);
    assert.equal(node?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.ok(node?.spec?.podCIDR?.startsWith(r.cidr.split('.').slice(0, 2).join('.')), `podCIDR ${node?.spec?.podCIDR} not from ${r.cidr}`);
    assert.match(await kubectlOk(['get', 'nodes'], { kubeconfig: r.kubeconfig }), new RegExp(`${r.node}\\s+Ready`));

    const hostPort = await freePort();
    const ip = await runWebPod(r, 'web', hostPort);
    // hostPort through the CNI portmap plugin, on loopback.
    assert.equal((await httpGet(`http://127.0.0.1:${hostPort}/`)).trim(), 'hello from web');
    assert.ok(ip.startsWith(r.cidr.split('.').slice(0, 2).join('.')), `pod IP ${ip} outside ${r.cidr}`);
    assert.ok((await linkNames()).includes(r.bridge));
    assert.ok((await tablesNamed('tugboat-')).includes(`tugboat-${r.node}`));
    assert.ok((await tablesNamed('tugboat-')).includes(`tugboat-nodes-${r.nodeBridge}`), 'the host masquerade table for the node addresses');
    const netns = await podNetns(r.network);
    assert.ok(netns.length > 0, 'the pod has a CNI network namespace');

    r.child.kill('SIGTERM');
    assert.equal(await waitExit(r.child, 60_000), 0, r.output());
    // Stopping keeps pods for the next tug up; the masquerade table goes with the agent.
    assert.ok(!(await tablesNamed('tugboat-')).includes(`tugboat-${r.node}`), 'agent shutdown removes its nftables table');
    assert.equal((await httpGet(`http://${ip}:8080/`)).trim(), 'hello from web');

    // A restart re-adopts the running pod: same IP, no restart, and the network comes back.
    const again = await startUp(r);
    runs.push(again);
    t.diagnostic(`tug up again on the same data dir: ${(again.upMs / 1000).toFixed(2)} s`);
    const pod = JSON.parse(await kubectlOk(['get', 'pod', 'web', '-o', 'json'], { kubeconfig: again.kubeconfig })) as { status?: { podIP?: string; phase?: string; containerStatuses?: { restartCount?: number }[] } };
    assert.equal(pod.status?.phase, 'Running');
    assert.equal(pod.status?.podIP, ip);
    assert.equal(pod.status?.containerStatuses?.[0]?.restartCount, 0);
    assert.ok((await tablesNamed('tugboat-')).includes(`tugboat-${r.node}`));
    assert.equal((await httpGet(`http://${ip}:8080/`)).trim(), 'hello from web');

    // tug down stops the running tug up through its PID file, then removes everything.
    await tugDown(r.dir);
    assert.equal(await waitExit(again.child, 10_000), 0, again.output());
    await assertNoTrace(r, netns);
    // portmap's nat tables go too, unless they were there before or someone else's pod uses a hostPort.
    const othersUseHostPorts = (await run('nft', ['list', 'chains'])).stdout.includes('CNI-DN-');
    if (!othersUseHostPorts) for (const table of ['ip nat', 'ip6 nat']) if (!tablesBefore.includes(table)) assert.ok(!(await nftTables()).includes(table), `${table} is left`);
  });

  it('tug down cleans up after a tug up that was killed with its pods running', async () => {
    const r = await startUp();
    runs.push(r);
    const ip = await runWebPod(r, 'survivor');
    const netns = await podNetns(r.network);
    r.child.kill('SIGKILL');
    await waitExit(r.child, 10_000);
    // The containers outlive the killed process: the pod still answers.
    assert.equal((await httpGet(`http://${ip}:8080/`)).trim(), 'hello from survivor');
    await tugDown(r.dir);
    await assertNoTrace(r, netns);
  });
});
