// A pod's hostname, domain and resolver configuration, as Kubernetes' kubelet derives them. The
// DNS policy picks the base: ClusterFirst uses the cluster DNS server with the search path
// `<ns>.svc.<domain> svc.<domain> <domain>` plus the node's own search domains and `ndots:5`
// (a hostNetwork pod falls back to the node's resolver unless it asks for
// ClusterFirstWithHostNet); Default copies the node's resolv.conf; None starts empty. The pod's
// dnsConfig is then merged in (servers and searches appended without duplicates, options replaced
// by name) and the result trimmed to what resolvers accept (3 servers, 32 search domains).
import type { Pod } from '../../api/core/v1/index.js';
import type { DNSConfig } from '../cri/index.js';

export interface ResolvConf {
  servers: string[];
  searches: string[];
  options: string[];
}

export interface DnsSettings {
  /** Cluster DNS server addresses (the agent's --cluster-dns). */
  clusterDNS: string[];
  clusterDomain: string;
  /** The node's own resolver configuration. */
  host: ResolvConf;
}

export const DEFAULT_CLUSTER_DNS = '10.43.0.10';
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
const MAX_SERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;

/** Parses resolv.conf text: nameserver lines accumulate, the last search line wins, options accumulate. */
export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...fields] = line.split(/\s+/);
    if (key === 'nameserver' && fields[0]) out.servers.push(fields[0]);
    else if (key === 'search') out.searches = fields.filter((f) => f !== '.');
    else if (key === 'options') out.options.push(...fields);
  }
  return out;
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

function mergeOptions(base: string[], extra: { name?: string; value?: string }[]): string[] {
  const byName = new Map<string, string>();
  for (const o of base) byName.set(o.split(':')[0] ?? o, o);
  for (const o of extra) if (o.name) byName.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  return [...byName.values()];
}

/** The pod's resolver config for the sandbox (CRI DNSConfig). */
export function podDNSConfig(pod: Pod, s: DnsSettings): DNSConfig {
  const spec = pod.spec ?? { containers: [] };
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  let kind: 'cluster' | 'host' | 'none';
  if (policy === 'None') kind = 'none';
  else if (policy === 'ClusterFirstWithHostNet') kind = 'cluster';
  else if (policy === 'ClusterFirst') kind = spec.hostNetwork ? 'host' : 'cluster';
  else kind = 'host';
  if (kind === 'cluster' && s.clusterDNS.length === 0) kind = 'host';

  let cfg: Required<DNSConfig>;
  if (kind === 'none') cfg = { servers: [], searches: [], options: [] };
  else if (kind === 'host') cfg = { servers: [...s.host.servers], searches: [...s.host.searches], options: [...s.host.options] };
  else {
    const ns = pod.metadata?.namespace ?? 'default';
    const d = s.clusterDomain;
    cfg = { servers: [...s.clusterDNS], searches: unique([`${ns}.svc.${d}`, `svc.${d}`, d, ...s.host.searches]), options: ['ndots:5'] };
  }
  const extra = spec.dnsConfig;
  if (extra) {
    cfg.servers = unique([...cfg.servers, ...(extra.nameservers ?? [])]);
    cfg.searches = unique([...cfg.searches, ...(extra.searches ?? [])]);
    cfg.options = mergeOptions(cfg.options, extra.options ?? []);
  }
  cfg.servers = cfg.servers.slice(0, MAX_SERVERS);
  const searches: string[] = [];
  let chars = 0;
  for (const d of cfg.searches.slice(0, MAX_SEARCHES)) {
    if (chars + d.length + (searches.length > 0 ? 1 : 0) > MAX_SEARCH_CHARS) break;
    chars += d.length + (searches.length > 0 ? 1 : 0);
    searches.push(d);
  }
  cfg.searches = searches;
  return cfg;
}

/** Trims a pod name to a valid host name: at most 63 characters, not ending in '-' or '.'. */
const truncateHostname = (name: string): string => name.slice(0, 63).replace(/[-.]+$/, '');

/** The pod's host name and, with spec.subdomain, its domain `<subdomain>.<ns>.svc.<cluster domain>`. */
export function podHostname(pod: Pod, clusterDomain: string): { hostname: string; domain: string | undefined } {
  const spec = pod.spec ?? { containers: [] };
  const hostname = spec.hostname || truncateHostname(pod.metadata?.name ?? '');
  const domain = spec.subdomain ? `${spec.subdomain}.${pod.metadata?.namespace ?? 'default'}.svc.${clusterDomain}` : undefined;
  return { hostname, domain };
}
