// The node network on the real host (root only): configuring a pod CIDR writes a conflist the
// real CNI bridge plugin accepts, installs the masquerade table and turns on forwarding; the
// runtime decorator reports NetworkReady only after that; teardown leaves no bridge, table or
// namespace behind. Everything uses names unique to this run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FakeRuntime } from '../cri/index.js';
import { CONFLIST_FILE, type Conflist } from './cni-config.js';
import { deleteLink, ipForwarding, linkNames, netnsNames, run, runOk, setIpForwarding } from './host.js';
import { deleteTable, tablesNamed } from './masquerade.js';
import { withPodNetwork } from './network-runtime.js';
import { PodNetwork } from './pod-network.js';
import { readNetworkState } from './state.js';
import { teardownNodeNetwork } from './teardown.js';

const CNI_BIN = '/usr/lib/cni';
const isRoot = process.getuid?.() === 0;

/** Runs one CNI plugin the way a runtime does: config on stdin, parameters in the environment. */
function cni(o: { plugin: string; command: 'ADD' | 'DEL'; netns: string; containerId: string; config: unknown }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(CNI_BIN, o.plugin), [], {
      env: { CNI_COMMAND: o.command, CNI_CONTAINERID: o.containerId, CNI_NETNS: o.netns, CNI_IFNAME: 'eth0', CNI_PATH: CNI_BIN, PATH: process.env.PATH ?? '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(o.config));
  });
}

describe('PodNetwork on the host', { skip: !isRoot && 'needs root', timeout: 60_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const nodeName = `nettest-${id}`;
  const bridgeName = `tugn${id}`;
  const netnsName = `tugnet-${id}`;
  // A /16 unlikely to be used by anyone else's test on this machine.
  const second = 100 + (randomBytes(1)[0] ?? 0) % 100;
  const clusterCIDR = `10.${second}.0.0/16`;
  const podCIDR = `10.${second}.3.0/24`;
  let dir = '';
  let forwardBefore = false;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tug-net-'));
    forwardBefore = await ipForwarding();
  });

  after(async () => {
    await run('ip', ['netns', 'delete', netnsName]);
    await deleteLink(bridgeName).catch(() => false);
    await deleteTable(`tugboat-${nodeName}`).catch(() => false);
    if ((await ipForwarding()) !== forwardBefore) await setIpForwarding(forwardBefore);
    await rm(dir, { recursive: true, force: true });
  });

  it('configures the pod CIDR, serves a namespace through the bridge plugin, and tears down cleanly', async () => {
    const confDir = join(dir, 'net.d');
    const network = new PodNetwork({ nodeName, dataDir: join(dir, 'agent'), cniConfDir: confDir, bridgeName, clusterCIDR });
    const runtime = withPodNetwork(new FakeRuntime({}), network);

    const before = await runtime.status();
    assert.equal(before.find((c) => c.type === 'NetworkReady')?.status, false);
    await assert.rejects(runtime.updateRuntimeConfig({ podCIDR: '10.1.0.0/24' }), /outside the cluster CIDR/);

    await runtime.updateRuntimeConfig({ podCIDR });
    assert.equal((await runtime.status()).find((c) => c.type === 'NetworkReady')?.status, true);
    assert.equal(network.cidr, podCIDR);
    assert.equal(await ipForwarding(), true);
    assert.ok((await tablesNamed('tugboat-')).includes(`tugboat-${nodeName}`));
    const rules = await runOk('nft', ['list', 'table', 'inet', `tugboat-${nodeName}`]);
    assert.match(rules, new RegExp(`ip saddr ${podCIDR.replace(/\./g, '\\.')} ip daddr != ${clusterCIDR.replace(/\./g, '\\.')} masquerade`));
    // Applying again replaces the table rather than adding a second rule.
    await network.configure(podCIDR);
    assert.equal((await runOk('nft', ['list', 'table', 'inet', `tugboat-${nodeName}`])).match(/masquerade/g)?.length, 1);

    const conflist = JSON.parse(await readFile(join(confDir, CONFLIST_FILE), 'utf8')) as Conflist;
    const state = await readNetworkState(join(dir, 'agent'));
    assert.equal(state?.podCIDR, podCIDR);
    assert.equal(state?.ipForwardBefore, forwardBefore);

    // The bridge plugin, fed the conflist's first entry as a runtime would, wires a namespace up.
    await runOk('ip', ['netns', 'add', netnsName]);
    const netnsPath = `/var/run/netns/${netnsName}`;
    const bridgeConf = { cniVersion: conflist.cniVersion, name: conflist.name, ...(conflist.plugins[0] ?? {}) };
    const add = await cni({ plugin: 'bridge', command: 'ADD', netns: netnsPath, containerId: `c${id}`, config: bridgeConf });
    assert.equal(add.code, 0, add.stderr + add.stdout);
    const result = JSON.parse(add.stdout) as { ips: { address: string; gateway: string }[] };
    const podIP = result.ips[0]?.address.split('/')[0] ?? '';
    assert.ok(podIP.startsWith(`10.${second}.3.`), podIP);
    assert.equal(result.ips[0]?.gateway, `10.${second}.3.1`);
    assert.ok((await linkNames()).includes(bridgeName));
    await stat(join(dir, 'agent', 'network', 'ipam', conflist.name));
    // The host reaches the pod address over the bridge (the namespace answers pings once lo is up).
    await runOk('ip', ['-n', netnsName, 'link', 'set', 'lo', 'up']);
    const ping = await run('busybox', ['ping', '-c', '1', '-W', '2', podIP]);
    assert.equal(ping.code, 0, ping.stdout + ping.stderr);
    const del = await cni({ plugin: 'bridge', command: 'DEL', netns: netnsPath, containerId: `c${id}`, config: bridgeConf });
    assert.equal(del.code, 0, del.stderr);

    await runtime.close();
    assert.ok(!(await tablesNamed('tugboat-')).includes(`tugboat-${nodeName}`), 'agent shutdown removes the masquerade table');
    assert.equal((await runtime.status()).find((c) => c.type === 'NetworkReady')?.status, false);

    await network.configure(podCIDR);
    const report = await teardownNodeNetwork(join(dir, 'agent'));
    assert.deepEqual(report?.links, [bridgeName]);
    assert.deepEqual(report?.tables, [`tugboat-${nodeName}`]);
    assert.ok(!(await linkNames()).includes(bridgeName));
    assert.ok(!(await tablesNamed('tugboat-')).includes(`tugboat-${nodeName}`));
    await assert.rejects(stat(join(confDir, CONFLIST_FILE)));
    assert.equal(await readNetworkState(join(dir, 'agent')), undefined);
    await runOk('ip', ['netns', 'delete', netnsName]);
    assert.ok(!(await netnsNames()).includes(netnsName));
    // Forwarding is back as it was unless another Tugboat node on this machine still needs it.
    if ((await tablesNamed('tugboat-')).length === 0) assert.equal(await ipForwarding(), forwardBefore);
  });
});
