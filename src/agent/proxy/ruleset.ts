// The nftables objects (chains, sets, maps) that implement every Service port of the model, in
// the shape of kube-proxy's nftables mode, written from its documented design:
//
//   nat-prerouting / nat-output ─ jump services
//   services ─ ip daddr . proto . port vmap @service-ips        (cluster, external and LB IPs)
//            ─ <node address> proto . port vmap @service-nodeports
//   svc-<id> ─ mark off-cluster sources for masquerade, then pick an endpoint
//   ext-<id> ─ (node port, LB, external IP) mark for masquerade unless eTP=Local, then pick
//   pick     ─ one `dnat` whose address comes from `numgen random mod N map {…}`
//   nat-postrouting ─ masquerade marked packets, and hairpin ones (a pod reaching itself)
//   filter-{input,forward,output} ─ reject new connections to services with no endpoints (one
//            `ct state new` rule per hook: established packets go no further in this table)
//
// Endpoint choice is a single rule with an anonymous map, not a chain per endpoint: 1,000
// Services with 10,000 endpoints then cost ~1,000 chains instead of ~11,000, which is what keeps
// a full sync well under a second. Only ClientIP session affinity needs per-endpoint chains
// (`sep-…`), each refreshing its own timed set of client addresses (`aff-…`). Pure.
import { targets } from './endpoints.js';
import type { ProxyEndpoint, ServicePortModel } from './model.js';
import { sortIPv4 } from './model.js';

export interface NftChain {
  kind: 'chain';
  name: string;
  /** Base-chain header (`type … hook … priority …; policy accept;`); absent for regular chains. */
  base?: string;
  rules: string[];
}

export interface NftSet {
  kind: 'set' | 'map';
  name: string;
  /** Declaration lines: type, flags, timeout. */
  spec: string[];
  elements: string[];
  /** Filled by the data path (affinity): its elements survive re-syncs and are never listed here. */
  dynamic?: boolean;
}

export type NftObject = NftChain | NftSet;

export interface RulesetOptions {
  /** Addresses that serve node ports; empty means every local address (`fib daddr type local`). */
  nodeIps: readonly string[];
  /** Pod CIDR of the whole cluster; traffic from outside it to cluster IPs is masqueraded. '' to never. */
  clusterCIDR: string;
  /** Masquerade all cluster-IP traffic, even from pods. */
  masqueradeAll: boolean;
}

/** The mark bit that asks nat-postrouting to masquerade (kube-proxy uses the same bit). */
export const MASQUERADE_MARK = '0x4000';

const SERVICE_KEY = 'ipv4_addr . inet_proto . inet_service';
const NODEPORT_KEY = 'inet_proto . inet_service';

export const chainNames = {
  service: (sp: ServicePortModel): string => `svc-${sp.id}`,
  external: (sp: ServicePortModel): string => `ext-${sp.id}`,
  endpoint: (sp: ServicePortModel, ep: ProxyEndpoint): string => `sep-${sp.id}/${ep.ip}/${ep.port}`,
  /** The timeout is part of the name: a changed timeout is a new set, not an in-place edit. */
  affinity: (sp: ServicePortModel, ep: ProxyEndpoint): string => `aff-${sp.id}/${ep.ip}/${ep.port}/${sp.affinitySeconds}`,
};

const chain = (name: string, rules: string[], base?: string): NftChain => ({ kind: 'chain', name, rules, ...(base ? { base } : {}) });
const set = (name: string, type: string, elements: string[]): NftSet => ({ kind: 'set', name, spec: [`type ${type}`], elements });
const map = (name: string, type: string, elements: Elements): NftSet => ({
  kind: 'map',
  name,
  spec: [`type ${type} : verdict`],
  elements: [...elements].map(([k, v]) => `${k} : ${v}`),
});
const put = (m: Elements, key: string, verdict: string): void => void (m.has(key) || m.set(key, verdict));

/** The chains every table has, whatever the Services. */
function fixedChains(o: RulesetOptions): NftChain[] {
  const toNode = o.nodeIps.length > 0 ? 'ip daddr @nodeport-ips' : 'fib daddr type local ip daddr != 127.0.0.0/8';
  return [
    chain('nat-prerouting', ['jump services'], 'type nat hook prerouting priority dstnat; policy accept;'),
    chain('nat-output', ['jump services'], 'type nat hook output priority -100; policy accept;'),
    chain('nat-postrouting', ['ct status dnat ip saddr . ip daddr @hairpin masquerade', 'jump masquerading'], 'type nat hook postrouting priority srcnat; policy accept;'),
    chain('masquerading', [`meta mark & ${MASQUERADE_MARK} == 0 return`, `meta mark set meta mark ^ ${MASQUERADE_MARK}`, 'masquerade fully-random']),
    chain('mark-for-masquerade', [`meta mark set meta mark | ${MASQUERADE_MARK}`]),
    chain('services', ['ip daddr . meta l4proto . th dport vmap @service-ips', `${toNode} meta l4proto . th dport vmap @service-nodeports`]),
    // Rejects run on the paths where `reject` is allowed on every kernel: input, forward, output.
    // The filter base chains see every packet (bridged pod-to-pod ones too, through
    // bridge-netfilter), so each holds exactly one rule: a packet of an established connection
    // costs one conntrack-state test per hook and nothing more. (The nat chains need no such
    // guard: the kernel runs them for a connection's first packet only.)
    chain('filter-input', ['ct state new jump new-to-node'], 'type filter hook input priority -110; policy accept;'),
    chain('filter-forward', ['ct state new jump new-forwarded'], 'type filter hook forward priority -110; policy accept;'),
    chain('filter-output', ['ct state new jump service-endpoints-check'], 'type filter hook output priority -110; policy accept;'),
    // After output DNAT: whatever still goes to a cluster IP matched no service port.
    chain('filter-output-post-dnat', ['ct state new jump cluster-ips-check'], 'type filter hook output priority -90; policy accept;'),
    chain('new-to-node', ['jump nodeport-endpoints-check', 'jump service-endpoints-check']),
    chain('new-forwarded', ['jump service-endpoints-check', 'jump cluster-ips-check']),
    chain('service-endpoints-check', ['ip daddr . meta l4proto . th dport vmap @no-endpoint-services']),
    chain('nodeport-endpoints-check', [`${toNode} meta l4proto . th dport vmap @no-endpoint-nodeports`]),
    chain('cluster-ips-check', ['ip daddr @cluster-ips jump reject-chain']),
    chain('reject-chain', ['meta l4proto tcp reject with tcp reset', 'reject with icmpx port-unreachable']),
  ];
}

/** Map elements by key: two Services claiming one address and port (external IPs may) must not
 * fail the whole transaction with a duplicate; the first in model order keeps it. */
type Elements = Map<string, string>;

interface Collected {
  serviceIps: Elements;
  nodePorts: Elements;
  noEndpointServices: Elements;
  noEndpointNodePorts: Elements;
  clusterIps: Set<string>;
  hairpin: Set<string>;
  chains: NftChain[];
  affinitySets: Map<string, NftSet>;
  endpointChains: Map<string, NftChain>;
}

/**
 * Rules that send a new connection to one of `eps`, each starting with `prefix` (a match, or '').
 * With affinity a client first goes back to the endpoint whose set remembers it.
 */
function pick(sp: ServicePortModel, eps: readonly ProxyEndpoint[], prefix: string, c: Collected): string[] {
  const p = prefix ? `${prefix} ` : '';
  if (eps.length === 0) return [`${p}drop`];
  if (sp.affinitySeconds === 0) {
    const first = eps[0] as ProxyEndpoint;
    if (eps.length === 1) return [`${p}meta l4proto ${sp.protocol} dnat ip to ${first.ip}:${first.port}`];
    const entries = eps.map((e, i) => `${i} : ${e.ip} . ${e.port}`).join(', ');
    return [`${p}meta l4proto ${sp.protocol} dnat ip to numgen random mod ${eps.length} map { ${entries} }`];
  }
  const rules: string[] = [];
  for (const ep of eps) {
    const setName = chainNames.affinity(sp, ep);
    const epChain = chainNames.endpoint(sp, ep);
    c.affinitySets.set(setName, { kind: 'set', name: setName, spec: ['type ipv4_addr', 'flags dynamic,timeout', `timeout ${sp.affinitySeconds}s`], elements: [], dynamic: true });
    // `update` adds the client or restarts its timer, on every new connection it makes.
    c.endpointChains.set(epChain, chain(epChain, [`update @${setName} { ip saddr }`, `meta l4proto ${sp.protocol} dnat ip to ${ep.ip}:${ep.port}`]));
    rules.push(`${p}ip saddr @${setName} goto ${epChain}`);
  }
  const entries = eps.map((e, i) => `${i} : goto ${chainNames.endpoint(sp, e)}`).join(', ');
  rules.push(eps.length === 1 ? `${p}goto ${chainNames.endpoint(sp, eps[0] as ProxyEndpoint)}` : `${p}numgen random mod ${eps.length} vmap { ${entries} }`);
  return rules;
}

function addServicePort(sp: ServicePortModel, o: RulesetOptions, c: Collected): void {
  const t = targets(sp);
  const proto = sp.protocol;
  const externalAddrs = [...sp.externalIPs, ...sp.loadBalancerIPs];
  c.clusterIps.add(sp.clusterIP);
  if (t.cluster.length === 0) {
    for (const ip of [sp.clusterIP, ...externalAddrs]) put(c.noEndpointServices, `${ip} . ${proto} . ${sp.port}`, 'goto reject-chain');
    if (sp.nodePort) put(c.noEndpointNodePorts, `${proto} . ${sp.nodePort}`, 'goto reject-chain');
    return;
  }
  for (const ep of sp.endpoints) c.hairpin.add(ep.ip);
  const svcChain = chainNames.service(sp);
  const masq = o.masqueradeAll ? ['jump mark-for-masquerade'] : o.clusterCIDR ? [`ip saddr != ${o.clusterCIDR} jump mark-for-masquerade`] : [];
  c.chains.push(chain(svcChain, [...masq, ...pick(sp, t.internal, '', c)]));
  put(c.serviceIps, `${sp.clusterIP} . ${proto} . ${sp.port}`, `goto ${svcChain}`);
  if (externalAddrs.length === 0 && !sp.nodePort) return;
  const extChain = chainNames.external(sp);
  const rules: string[] = [];
  if (!sp.externalLocal) {
    rules.push('jump mark-for-masquerade', ...pick(sp, t.external, '', c));
  } else {
    // Pods and the node itself reaching a Local service's outside address are not "outside":
    // they get any endpoint, like cluster-IP traffic (the node's own traffic masqueraded).
    if (o.clusterCIDR) rules.push(...pick(sp, t.cluster, `ip saddr ${o.clusterCIDR}`, c));
    rules.push('fib saddr type local jump mark-for-masquerade', ...pick(sp, t.cluster, 'fib saddr type local', c));
    rules.push(...pick(sp, t.external, '', c));
  }
  c.chains.push(chain(extChain, rules));
  for (const ip of externalAddrs) put(c.serviceIps, `${ip} . ${proto} . ${sp.port}`, `goto ${extChain}`);
  if (sp.nodePort) put(c.nodePorts, `${proto} . ${sp.nodePort}`, `goto ${extChain}`);
}

/** Every object of the proxy's table for this model, fixed ones first. */
export function renderRuleset(model: readonly ServicePortModel[], o: RulesetOptions): NftObject[] {
  const c: Collected = {
    serviceIps: new Map(),
    nodePorts: new Map(),
    noEndpointServices: new Map(),
    noEndpointNodePorts: new Map(),
    clusterIps: new Set(),
    hairpin: new Set(),
    chains: [],
    affinitySets: new Map(),
    endpointChains: new Map(),
  };
  for (const sp of model) addServicePort(sp, o, c);
  return [
    ...fixedChains(o),
    map('service-ips', SERVICE_KEY, c.serviceIps),
    map('service-nodeports', NODEPORT_KEY, c.nodePorts),
    map('no-endpoint-services', SERVICE_KEY, c.noEndpointServices),
    map('no-endpoint-nodeports', NODEPORT_KEY, c.noEndpointNodePorts),
    set('cluster-ips', 'ipv4_addr', sortIPv4(c.clusterIps)),
    set('hairpin', 'ipv4_addr . ipv4_addr', sortIPv4(c.hairpin).map((ip) => `${ip} . ${ip}`)),
    ...(o.nodeIps.length > 0 ? [set('nodeport-ips', 'ipv4_addr', sortIPv4(new Set(o.nodeIps)))] : []),
    ...c.affinitySets.values(),
    ...c.chains,
    ...c.endpointChains.values(),
  ];
}
