// Unit tests of the rendered nftables ruleset, one Service shape at a time: the map elements that
// lead to each Service, the rules of its chains (masquerade marks, load balancing, Local policies,
// affinity, rejects), asserted line by line rather than as a whole-file snapshot. As root, every
// rendered script is also run through `nft -c` (check mode: parsed and validated by the kernel,
// nothing applied) inside a throw-away network namespace.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { ProxyEndpoint, ServicePortModel } from './model.js';
import { renderRuleset, type NftChain, type NftObject, type NftSet, type RulesetOptions } from './ruleset.js';
import { syncScript } from './script.js';

const TABLE = 'tugboat-proxy-test';
const opts: RulesetOptions = { nodeIps: ['172.30.0.2'], clusterCIDR: '10.42.0.0/16', masqueradeAll: false };

const ep = (ip: string, o: Partial<ProxyEndpoint> = {}): ProxyEndpoint => ({ ip, port: 8080, local: false, ready: true, serving: true, terminating: false, ...o });
const sp = (o: Partial<ServicePortModel> = {}): ServicePortModel => ({
  id: 'ns/web/tcp/http',
  namespace: 'ns',
  name: 'web',
  protocol: 'tcp',
  clusterIP: '10.43.0.10',
  port: 80,
  nodePort: 0,
  externalIPs: [],
  loadBalancerIPs: [],
  affinitySeconds: 0,
  externalLocal: false,
  internalLocal: false,
  endpoints: [ep('10.42.0.5'), ep('10.42.0.6')],
  ...o,
});

const canCheck = process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'nft', '--version']).status === 0;

/** Renders, asserts `nft -c` accepts the script (as root), and returns the objects by name. */
function render(model: ServicePortModel[], o: RulesetOptions = opts): Map<string, NftObject> {
  const objects = renderRuleset(model, o);
  if (canCheck) {
    const r = spawnSync('unshare', ['-n', 'nft', '-c', '-f', '-'], { input: syncScript({ table: TABLE, objects, existing: undefined }), encoding: 'utf8' });
    assert.equal(r.status, 0, `nft -c rejected the ruleset:\n${r.stderr}`);
  }
  return new Map(objects.map((x) => [x.name, x]));
}
const rules = (objs: Map<string, NftObject>, name: string): string[] => {
  const c = objs.get(name);
  assert.ok(c && c.kind === 'chain', `chain ${name} exists`);
  return (c as NftChain).rules;
};
const elements = (objs: Map<string, NftObject>, name: string): string[] => (objs.get(name) as NftSet).elements;

describe('proxy ruleset', () => {
  it('has the hooks, masquerade and reject plumbing whatever the Services', () => {
    const objs = render([]);
    assert.equal((objs.get('nat-prerouting') as NftChain).base, 'type nat hook prerouting priority dstnat; policy accept;');
    assert.equal((objs.get('nat-output') as NftChain).base, 'type nat hook output priority -100; policy accept;');
    assert.deepEqual(rules(objs, 'nat-postrouting'), ['ct status dnat ip saddr . ip daddr @hairpin masquerade', 'jump masquerading']);
    assert.deepEqual(rules(objs, 'masquerading'), ['meta mark & 0x4000 == 0 return', 'meta mark set meta mark ^ 0x4000', 'masquerade fully-random']);
    assert.deepEqual(rules(objs, 'services'), ['ip daddr . meta l4proto . th dport vmap @service-ips', 'ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports']);
    assert.deepEqual(rules(objs, 'reject-chain'), ['meta l4proto tcp reject with tcp reset', 'reject with icmpx port-unreachable']);
    assert.deepEqual(elements(objs, 'nodeport-ips'), ['172.30.0.2']);
    // One rule per filter hook, so established packets pay one conntrack-state test and no jump.
    for (const hook of ['filter-input', 'filter-forward', 'filter-output', 'filter-output-post-dnat']) assert.equal(rules(objs, hook).length, 1, hook);
    assert.deepEqual(rules(objs, 'filter-forward'), ['ct state new jump new-forwarded']);
    assert.deepEqual(rules(objs, 'new-forwarded'), ['jump service-endpoints-check', 'jump cluster-ips-check']);
    assert.deepEqual(rules(objs, 'filter-input'), ['ct state new jump new-to-node']);
    assert.deepEqual(rules(objs, 'new-to-node'), ['jump nodeport-endpoints-check', 'jump service-endpoints-check']);
  });

  it('without node IPs serves node ports on every local address', () => {
    const objs = render([], { ...opts, nodeIps: [] });
    assert.equal(objs.has('nodeport-ips'), false);
    assert.equal(rules(objs, 'services')[1], 'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports');
    assert.equal(rules(objs, 'nodeport-endpoints-check')[0], 'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports');
  });

  it('ClusterIP: a map element to the service chain, which masquerades off-cluster sources and balances at random', () => {
    const objs = render([sp()]);
    assert.deepEqual(elements(objs, 'service-ips'), ['10.43.0.10 . tcp . 80 : goto svc-ns/web/tcp/http']);
    assert.deepEqual(rules(objs, 'svc-ns/web/tcp/http'), [
      'ip saddr != 10.42.0.0/16 jump mark-for-masquerade',
      'meta l4proto tcp dnat ip to numgen random mod 2 map { 0 : 10.42.0.5 . 8080, 1 : 10.42.0.6 . 8080 }',
    ]);
    assert.deepEqual(elements(objs, 'cluster-ips'), ['10.43.0.10']);
    assert.deepEqual(elements(objs, 'hairpin'), ['10.42.0.5 . 10.42.0.5', '10.42.0.6 . 10.42.0.6']);
    assert.deepEqual(elements(objs, 'no-endpoint-services'), []);
    assert.equal(objs.has('ext-ns/web/tcp/http'), false, 'no outside entry for a ClusterIP service');
  });

  it('one endpoint is a plain dnat; UDP keys and dnat carry the protocol', () => {
    const objs = render([sp({ id: 'ns/dns/udp/dns', protocol: 'udp', port: 53, endpoints: [ep('10.42.0.7', { port: 5353 })] })]);
    assert.deepEqual(elements(objs, 'service-ips'), ['10.43.0.10 . udp . 53 : goto svc-ns/dns/udp/dns']);
    assert.equal(rules(objs, 'svc-ns/dns/udp/dns')[1], 'meta l4proto udp dnat ip to 10.42.0.7:5353');
  });

  it('masqueradeAll marks every connection; an empty cluster CIDR marks none', () => {
    assert.equal(rules(render([sp()], { ...opts, masqueradeAll: true }), 'svc-ns/web/tcp/http')[0], 'jump mark-for-masquerade');
    assert.match(rules(render([sp()], { ...opts, clusterCIDR: '' }), 'svc-ns/web/tcp/http')[0] ?? '', /^meta l4proto tcp dnat/);
  });

  it('no endpoints: no chains, and cluster IP, outside addresses and node port are rejected', () => {
    const objs = render([sp({ endpoints: [ep('10.42.0.5', { ready: false, serving: false })], nodePort: 30080, loadBalancerIPs: ['172.30.0.2'] })]);
    assert.equal(objs.has('svc-ns/web/tcp/http'), false);
    assert.equal(objs.has('ext-ns/web/tcp/http'), false);
    assert.deepEqual(elements(objs, 'service-ips'), []);
    assert.deepEqual(elements(objs, 'no-endpoint-services'), ['10.43.0.10 . tcp . 80 : goto reject-chain', '172.30.0.2 . tcp . 80 : goto reject-chain']);
    assert.deepEqual(elements(objs, 'no-endpoint-nodeports'), ['tcp . 30080 : goto reject-chain']);
    assert.deepEqual(elements(objs, 'cluster-ips'), ['10.43.0.10'], 'other ports of the IP are refused too');
  });

  it('terminating endpoints that still serve are used only when none is ready', () => {
    const terminating = { ready: false, serving: true, terminating: true };
    const fallback = render([sp({ endpoints: [ep('10.42.0.5', terminating), ep('10.42.0.6', { ...terminating, serving: false })] })]);
    assert.equal(rules(fallback, 'svc-ns/web/tcp/http')[1], 'meta l4proto tcp dnat ip to 10.42.0.5:8080');
    const mixed = render([sp({ endpoints: [ep('10.42.0.5', terminating), ep('10.42.0.6')] })]);
    assert.equal(rules(mixed, 'svc-ns/web/tcp/http')[1], 'meta l4proto tcp dnat ip to 10.42.0.6:8080');
  });

  it('NodePort and LoadBalancer: node port and ingress IPs lead to an external chain that always masquerades', () => {
    const objs = render([sp({ nodePort: 30080, loadBalancerIPs: ['172.30.0.2', '172.30.0.3'], externalIPs: ['192.0.2.1'] })]);
    assert.deepEqual(elements(objs, 'service-nodeports'), ['tcp . 30080 : goto ext-ns/web/tcp/http']);
    assert.deepEqual(elements(objs, 'service-ips'), [
      '10.43.0.10 . tcp . 80 : goto svc-ns/web/tcp/http',
      '192.0.2.1 . tcp . 80 : goto ext-ns/web/tcp/http',
      '172.30.0.2 . tcp . 80 : goto ext-ns/web/tcp/http',
      '172.30.0.3 . tcp . 80 : goto ext-ns/web/tcp/http',
    ]);
    assert.deepEqual(rules(objs, 'ext-ns/web/tcp/http'), [
      'jump mark-for-masquerade',
      'meta l4proto tcp dnat ip to numgen random mod 2 map { 0 : 10.42.0.5 . 8080, 1 : 10.42.0.6 . 8080 }',
    ]);
  });

  it('externalTrafficPolicy Local: outside clients reach only local endpoints, unmasqueraded; pods and the node reach any', () => {
    const objs = render([sp({ nodePort: 30080, externalLocal: true, endpoints: [ep('10.42.0.5', { local: true }), ep('10.42.0.6')] })]);
    assert.deepEqual(rules(objs, 'ext-ns/web/tcp/http'), [
      'ip saddr 10.42.0.0/16 meta l4proto tcp dnat ip to numgen random mod 2 map { 0 : 10.42.0.5 . 8080, 1 : 10.42.0.6 . 8080 }',
      'fib saddr type local jump mark-for-masquerade',
      'fib saddr type local meta l4proto tcp dnat ip to numgen random mod 2 map { 0 : 10.42.0.5 . 8080, 1 : 10.42.0.6 . 8080 }',
      'meta l4proto tcp dnat ip to 10.42.0.5:8080',
    ]);
    const noLocal = render([sp({ nodePort: 30080, externalLocal: true })]);
    assert.equal(rules(noLocal, 'ext-ns/web/tcp/http').at(-1), 'drop', 'outside traffic is dropped, not rejected, when only other nodes have endpoints');
    assert.deepEqual(elements(noLocal, 'no-endpoint-nodeports'), []);
  });

  it('internalTrafficPolicy Local: cluster-IP traffic goes to local endpoints only, or is dropped', () => {
    const objs = render([sp({ internalLocal: true, endpoints: [ep('10.42.0.5', { local: true }), ep('10.42.0.6')] })]);
    assert.equal(rules(objs, 'svc-ns/web/tcp/http')[1], 'meta l4proto tcp dnat ip to 10.42.0.5:8080');
    assert.equal(rules(render([sp({ internalLocal: true })]), 'svc-ns/web/tcp/http')[1], 'drop');
  });

  it('ClientIP affinity: a timed set per endpoint, checked before the random pick and refreshed by the endpoint chain', () => {
    const objs = render([sp({ affinitySeconds: 60 })]);
    const set5 = 'aff-ns/web/tcp/http/10.42.0.5/8080/60';
    assert.deepEqual(rules(objs, 'svc-ns/web/tcp/http'), [
      'ip saddr != 10.42.0.0/16 jump mark-for-masquerade',
      `ip saddr @${set5} goto sep-ns/web/tcp/http/10.42.0.5/8080`,
      'ip saddr @aff-ns/web/tcp/http/10.42.0.6/8080/60 goto sep-ns/web/tcp/http/10.42.0.6/8080',
      'numgen random mod 2 vmap { 0 : goto sep-ns/web/tcp/http/10.42.0.5/8080, 1 : goto sep-ns/web/tcp/http/10.42.0.6/8080 }',
    ]);
    assert.deepEqual(rules(objs, 'sep-ns/web/tcp/http/10.42.0.5/8080'), [`update @${set5} { ip saddr }`, 'meta l4proto tcp dnat ip to 10.42.0.5:8080']);
    const s = objs.get(set5) as NftSet;
    assert.deepEqual([s.kind, s.spec, s.dynamic], ['set', ['type ipv4_addr', 'flags dynamic,timeout', 'timeout 60s'], true]);
  });

  it('two Services claiming one outside address and port: the first keeps it and the ruleset stays valid', () => {
    const a = sp({ id: 'ns/a/tcp/http', externalIPs: ['192.0.2.1'] });
    const b = sp({ id: 'ns/b/tcp/http', clusterIP: '10.43.0.11', externalIPs: ['192.0.2.1'] });
    const objs = render([a, b]);
    assert.deepEqual(elements(objs, 'service-ips').filter((e) => e.startsWith('192.0.2.1')), ['192.0.2.1 . tcp . 80 : goto ext-ns/a/tcp/http']);
  });
});
