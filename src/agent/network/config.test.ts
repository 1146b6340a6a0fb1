// The pure parts of the node network: CIDR handling, the conflist, the nft script, reading
// cached CNI results and choosing routes to peer nodes. No root needed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, formatCidr, gatewayOf, parseIPv4Cidr, requireIPv4Cidr } from './cidr.js';
import { buildConflist, validBridgeName } from './cni-config.js';
import { masqueradeScript, masqueradeTableName } from './masquerade.js';
import { cachedResults, sandboxesOfCachedResult } from './teardown.js';
import { skeletonRemovalScript } from './portmap-cleanup.js';
import { desiredRoutes } from './peer-routes.js';
import { peersOf } from './peer-route-sync.js';
import type { Node } from '../../api/core/v1/index.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

describe('IPv4 CIDRs', () => {
  it('parses, clears host bits and rejects what is not an IPv4 CIDR', () => {
    assert.equal(formatCidr(requireIPv4Cidr('10.42.3.7/24', 'x')), '10.42.3.0/24');
    assert.equal(formatCidr(requireIPv4Cidr('0.0.0.0/0', 'x')), '0.0.0.0/0');
    for (const bad of ['10.42.0.0', '10.42.0.0/33', '256.1.1.1/8', 'fd00::/64', '10.42.0.0/24; flush ruleset', '1.2.3/8', '01.2.3.4/8']) {
      assert.equal(parseIPv4Cidr(bad), undefined, bad);
    }
    assert.throws(() => requireIPv4Cidr('nope', '--cluster-cidr'), /--cluster-cidr must be an IPv4 CIDR/);
  });

  it('containment and gateway', () => {
    const cluster = requireIPv4Cidr('10.42.0.0/16', 'x');
    assert.ok(cidrContains(cluster, requireIPv4Cidr('10.42.255.0/24', 'x')));
    assert.ok(!cidrContains(cluster, requireIPv4Cidr('10.43.0.0/24', 'x')));
    assert.ok(!cidrContains(cluster, requireIPv4Cidr('10.0.0.0/8', 'x')));
    assert.equal(gatewayOf(requireIPv4Cidr('10.42.7.0/24', 'x')), '10.42.7.1');
  });
});

describe('conflist', () => {
  it("is a bridge with host-local IPAM for the pod CIDR, then portmap (lo is containerd's own)", () => {
    const c = buildConflist({ networkName: 'tugboat-tug0', bridgeName: 'tug0', podCIDR: requireIPv4Cidr('10.42.1.0/24', 'x'), ipamDataDir: '/d/ipam' });
    assert.equal(c.name, 'tugboat-tug0');
    assert.deepEqual(
      c.plugins.map((p) => p['type']),
      ['bridge', 'portmap'],
    );
    const bridge = c.plugins[0] ?? {};
    assert.equal(bridge['bridge'], 'tug0');
    assert.equal(bridge['isGateway'], true);
    assert.equal(bridge['ipMasq'], false);
    assert.equal(bridge['hairpinMode'], true);
    assert.deepEqual(bridge['ipam'], { type: 'host-local', ranges: [[{ subnet: '10.42.1.0/24' }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: '/d/ipam' });
    assert.deepEqual(c.plugins[1], { type: 'portmap', capabilities: { portMappings: true } });
  });

  it('refuses bridge names Linux would refuse', () => {
    assert.ok(validBridgeName('tug0'));
    assert.ok(validBridgeName('tugt-12345678ab'));
    for (const bad of ['', 'a-very-long-bridge', 'a b', 'x/y', '..']) assert.ok(!validBridgeName(bad), bad);
    assert.throws(() => buildConflist({ networkName: 'n', bridgeName: 'way-too-long-name', podCIDR: requireIPv4Cidr('10.0.0.0/24', 'x'), ipamDataDir: '/d' }));
  });
});

describe('masquerade script', () => {
  it('replaces the whole table in one transaction and masquerades only traffic leaving the cluster', () => {
    const s = masqueradeScript({ table: 'tugboat-n1', podCIDR: requireIPv4Cidr('10.42.0.0/24', 'x'), clusterCIDR: requireIPv4Cidr('10.42.0.0/16', 'x') });
    const lines = s.split('\n').map((l) => l.trim());
    assert.equal(lines[0], 'table inet tugboat-n1 {}');
    assert.equal(lines[1], 'delete table inet tugboat-n1');
    assert.ok(lines.includes('type nat hook postrouting priority srcnat; policy accept;'));
    assert.ok(lines.includes('ip saddr 10.42.0.0/24 ip daddr != 10.42.0.0/16 masquerade'));
  });

  it('names the table after the node and refuses names nft would misread', () => {
    assert.equal(masqueradeTableName('worker-1.example'), 'tugboat-worker-1.example');
    assert.throws(() => masqueradeTableName('a;b'));
    assert.throws(() => masqueradeScript({ table: '1bad', podCIDR: requireIPv4Cidr('10.0.0.0/24', 'x'), clusterCIDR: requireIPv4Cidr('10.0.0.0/16', 'x') }));
  });
});

describe('cached CNI results', () => {
  it('yields the container-side network namespaces', () => {
    const text = JSON.stringify({
      kind: 'cniCacheV1',
      containerId: 'abc',
      result: { interfaces: [{ name: 'tug0' }, { name: 'veth1' }, { name: 'eth0', sandbox: '/var/run/netns/cni-1234' }] },
    });
    assert.deepEqual(sandboxesOfCachedResult(text), ['/var/run/netns/cni-1234']);
    assert.deepEqual(sandboxesOfCachedResult('not json'), []);
    assert.deepEqual(sandboxesOfCachedResult('{}'), []);
  });

  it("finds one network's entries and the loopback entries of the same containers, nobody else's", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tug-cni-cache-'));
    try {
      const a = 'a'.repeat(64);
      const b = 'b'.repeat(64);
      const files = [`tugboat-tug0-${a}-eth0`, `cni-loopback-${a}-lo`, `tugboat-tug1-${b}-eth0`, `cni-loopback-${b}-lo`, `tugboat-tug00-${b}-eth0`, `tugboat-tug0-2-${b}-eth0`];
      for (const f of files) await writeFile(join(dir, f), '{}');
      const found = (await cachedResults('tugboat-tug0', dir)).map((p) => basename(p)).sort();
      assert.deepEqual(found, [`cni-loopback-${a}-lo`, `tugboat-tug0-${a}-eth0`]);
      assert.deepEqual(await cachedResults('tugboat-none', join(dir, 'missing')), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("portmap's leftovers", () => {
  const jump = (target: string): unknown[] => [{ xt: { type: 'match', name: 'addrtype' } }, { counter: {} }, { jump: { target } }];
  const skeleton = {
    family: 'ip' as const,
    chains: [{ name: 'PREROUTING', hook: 'prerouting' }, { name: 'OUTPUT', hook: 'output' }, { name: 'POSTROUTING', hook: 'postrouting' }, { name: 'CNI-HOSTPORT-DNAT' }, { name: 'CNI-HOSTPORT-MASQ' }, { name: 'CNI-HOSTPORT-SETMARK' }],
    rules: [
      { chain: 'PREROUTING', handle: 9, expr: jump('CNI-HOSTPORT-DNAT') },
      { chain: 'OUTPUT', handle: 11, expr: jump('CNI-HOSTPORT-DNAT') },
      { chain: 'POSTROUTING', handle: 6, expr: jump('CNI-HOSTPORT-MASQ') },
      { chain: 'POSTROUTING', handle: 20, expr: jump('SOMEONE-ELSE') },
      { chain: 'CNI-HOSTPORT-MASQ', handle: 4, expr: [{ masquerade: null }] },
    ],
  };

  it('removes the shared chains and the jumps to them, nothing else', () => {
    const lines = skeletonRemovalScript(skeleton).trim().split('\n');
    assert.deepEqual(lines.slice(0, 3), ['delete rule ip nat PREROUTING handle 9', 'delete rule ip nat OUTPUT handle 11', 'delete rule ip nat POSTROUTING handle 6']);
    assert.ok(lines.includes('delete chain ip nat CNI-HOSTPORT-DNAT'));
    assert.ok(lines.includes('flush chain ip nat CNI-HOSTPORT-MASQ'));
    assert.ok(!lines.some((l) => l.includes('handle 20') || l.includes('handle 4')));
  });

  it('keeps everything while some pod still has a hostPort', () => {
    assert.equal(skeletonRemovalScript({ ...skeleton, chains: [...skeleton.chains, { name: 'CNI-DN-1234' }] }), '');
    assert.equal(skeletonRemovalScript({ ...skeleton, rules: [...skeleton.rules, { chain: 'CNI-HOSTPORT-DNAT', handle: 30, expr: jump('CNI-DN-1234') }] }), '');
    assert.equal(skeletonRemovalScript({ family: 'ip', chains: [{ name: 'PREROUTING', hook: 'prerouting' }], rules: [] }), '');
  });
});


describe('peer routes', () => {
  const cluster = requireIPv4Cidr('10.42.0.0/16', 'x');
  it("routes every other node's pod CIDR via its InternalIP, never its own, nothing outside the cluster or via loopback", () => {
    const peers = [
      { nodeName: 'a', podCIDR: '10.42.0.0/24', nodeIP: '10.41.0.1' },
      { nodeName: 'b', podCIDR: '10.42.1.0/24', nodeIP: '10.41.0.2' },
      { nodeName: 'c', podCIDR: '10.42.2.7/24', nodeIP: '10.41.0.3' },
      { nodeName: 'd', podCIDR: '10.99.0.0/24', nodeIP: '10.41.0.4' },
      { nodeName: 'e', podCIDR: '10.42.3.0/24', nodeIP: 'not-an-ip' },
      { nodeName: 'f', podCIDR: '10.42.4.0/24; ip route flush', nodeIP: '10.41.0.6' },
      { nodeName: 'g', podCIDR: '10.42.5.0/24', nodeIP: '127.16.0.7' },
    ];
    assert.deepEqual(desiredRoutes(peers, { self: 'a', clusterCIDR: cluster }), [
      { dst: '10.42.1.0/24', via: '10.41.0.2' },
      { dst: '10.42.2.0/24', via: '10.41.0.3' },
    ]);
  });

  it('reads peers from Node objects that have both a pod CIDR and an InternalIP', () => {
    const node = (name: string, podCIDR?: string, ip?: string): Node => ({
      metadata: { name },
      spec: podCIDR ? { podCIDR } : {},
      status: { addresses: ip ? [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] : [] },
    });
    assert.deepEqual(peersOf([node('a', '10.42.0.0/24', '10.41.0.1'), node('b', undefined, '10.41.0.2'), node('c', '10.42.2.0/24')]), [{ nodeName: 'a', podCIDR: '10.42.0.0/24', nodeIP: '10.41.0.1' }]);
  });
});
