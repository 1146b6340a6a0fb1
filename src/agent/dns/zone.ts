// The cluster zone as an index from name to records, kept current from informer events so a
// query costs one map lookup, never a scan of Services. Each Service owns the names under
// `<svc>.<ns>.svc.<zone>` and is rebuilt as a unit when it or one of its EndpointSlices changes
// (lazily, before the next read, so a burst of slice updates costs one rebuild). Namespaces make
// `<ns>.svc` and `<ns>.pod` exist; pods are indexed by address for the verified pod names
// `<dashed-ip>.<ns>.pod.<zone>` and their reverse lookups. `version` moves on every change, which
// is what the responder's reply cache keys on.
import type { Namespace, Pod, Service } from '../../api/core/v1/index.js';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';
import { ipFamilyOf, ipKey } from './names.js';
import { emptyEntry, serviceNames, type NameEntry } from './service-names.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** The schema version this server implements, served as `dns-version.<zone>` TXT. */
export const DNS_SCHEMA_VERSION = '1.1.0';

export interface ZoneOptions {
  /** The cluster domain, e.g. cluster.local. */
  domain: string;
  /** Addresses of this server, published as `ns.dns.<zone>`. */
  nsAddresses?: string[];
  /** Index pods for `<dashed-ip>.<ns>.pod.<zone>` (verified: only addresses of existing pods). */
  podRecords?: boolean;
}

interface PtrOwner {
  rank: number;
  targets: string[];
}

const keyOf = (ns: string | undefined, name: string | undefined): string => `${ns ?? ''}/${name ?? ''}`;

export class ClusterZone {
  readonly domain: string;
  private readonly names = new Map<string, NameEntry>();
  private readonly services = new Map<string, Service>();
  private readonly slicesByService = new Map<string, Map<string, EndpointSlice>>();
  private readonly sliceService = new Map<string, string>();
  private readonly ownedNames = new Map<string, string[]>();
  private readonly ownedPtrs = new Map<string, string[]>();
  private readonly ptrs = new Map<string, Map<string, PtrOwner>>();
  /** Per namespace: is the Namespace object known, and how many Services does it hold. */
  private readonly namespaces = new Map<string, { object: boolean; services: number }>();
  private readonly podAddrs = new Map<string, { ns: string; keys: string[]; ips: string[] }>();
  private readonly podsByAddr = new Map<string, Map<string, { ns: string; ip: string }>>();
  private readonly dirty = new Set<string>();
  private changes = 0;

  constructor(private readonly o: ZoneOptions) {
    this.domain = o.domain.toLowerCase().replace(/\.$/, '');
    const d = this.domain;
    this.names.set(d, { ...emptyEntry(), soa: true, ns: [`ns.dns.${d}`] });
    for (const n of [`svc.${d}`, `pod.${d}`, `dns.${d}`]) this.names.set(n, emptyEntry());
    this.names.set(`dns-version.${d}`, { ...emptyEntry(), txt: [DNS_SCHEMA_VERSION] });
    const ns = emptyEntry();
    for (const ip of o.nsAddresses ?? []) (ipFamilyOf(ip) === 6 ? ns.aaaa : ns.a).push(ip);
    this.names.set(`ns.dns.${d}`, ns);
  }

  /** Changes so far; reading it first applies pending Service rebuilds. */
  get version(): number {
    this.flush();
    return this.changes;
  }

  entry(name: string): NameEntry | undefined {
    this.flush();
    return this.names.get(name);
  }

  /** Names a reverse lookup of this address key gives: cluster IPs first, else endpoints. */
  ptrTargets(key: string): string[] {
    this.flush();
    const owners = this.ptrs.get(key);
    if (!owners) return [];
    let best = Infinity;
    for (const o of owners.values()) best = Math.min(best, o.rank);
    const out = new Set<string>();
    for (const o of owners.values()) if (o.rank === best) for (const t of o.targets) out.add(t);
    return [...out].sort();
  }

  /** Pods holding the address (by key): their namespaces and the address as the pod reports it. */
  podsAt(key: string): { ns: string; ip: string }[] {
    return [...(this.podsByAddr.get(key)?.values() ?? [])];
  }

  upsertService(svc: Service): void {
    const key = keyOf(svc.metadata?.namespace, svc.metadata?.name);
    if (!this.services.has(key)) this.countService(svc.metadata?.namespace ?? '', 1);
    this.services.set(key, svc);
    this.dirty.add(key);
  }

  deleteService(svc: Service): void {
    const key = keyOf(svc.metadata?.namespace, svc.metadata?.name);
    if (this.services.delete(key)) this.countService(svc.metadata?.namespace ?? '', -1);
    this.dirty.add(key);
  }

  upsertSlice(slice: EndpointSlice): void {
    const sliceKey = keyOf(slice.metadata?.namespace, slice.metadata?.name);
    const svcName = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    const svcKey = svcName ? keyOf(slice.metadata?.namespace, svcName) : undefined;
    const before = this.sliceService.get(sliceKey);
    if (before !== undefined && before !== svcKey) this.deleteSlice(slice);
    if (svcKey === undefined) return;
    let m = this.slicesByService.get(svcKey);
    if (!m) this.slicesByService.set(svcKey, (m = new Map()));
    m.set(sliceKey, slice);
    this.sliceService.set(sliceKey, svcKey);
    this.dirty.add(svcKey);
  }

  deleteSlice(slice: EndpointSlice): void {
    const sliceKey = keyOf(slice.metadata?.namespace, slice.metadata?.name);
    const svcKey = this.sliceService.get(sliceKey);
    if (svcKey === undefined) return;
    this.sliceService.delete(sliceKey);
    const m = this.slicesByService.get(svcKey);
    m?.delete(sliceKey);
    if (m && m.size === 0) this.slicesByService.delete(svcKey);
    this.dirty.add(svcKey);
  }

  upsertNamespace(ns: Namespace): void {
    const name = ns.metadata?.name ?? '';
    const n = this.namespaces.get(name) ?? { object: false, services: 0 };
    if (n.object) return;
    this.namespaces.set(name, { ...n, object: true });
    this.syncNamespace(name);
  }

  deleteNamespace(ns: Namespace): void {
    const name = ns.metadata?.name ?? '';
    const n = this.namespaces.get(name);
    if (!n?.object) return;
    this.namespaces.set(name, { ...n, object: false });
    this.syncNamespace(name);
  }

  upsertPod(pod: Pod): void {
    if (!this.o.podRecords) return;
    const key = keyOf(pod.metadata?.namespace, pod.metadata?.name);
    const phase = pod.status?.phase;
    // Finished pods have given their address back; host-network pods would claim the node's.
    const live = phase !== 'Succeeded' && phase !== 'Failed' && pod.spec?.hostNetwork !== true;
    const ips = live ? [...new Set([...(pod.status?.podIPs ?? []).map((p) => p.ip ?? ''), pod.status?.podIP ?? ''].filter((ip) => ipFamilyOf(ip) !== undefined))] : [];
    const prev = this.podAddrs.get(key);
    if ((prev?.ips ?? []).join(',') === ips.join(',')) return;
    this.removePod(key);
    if (ips.length === 0) return;
    const ns = (pod.metadata?.namespace ?? '').toLowerCase();
    const keys = ips.map((ip) => ipKey(ip) ?? ip);
    this.podAddrs.set(key, { ns, keys, ips });
    ips.forEach((ip, i) => {
      const k = keys[i] ?? ip;
      let m = this.podsByAddr.get(k);
      if (!m) this.podsByAddr.set(k, (m = new Map()));
      m.set(key, { ns, ip });
    });
    this.changes++;
  }

  deletePod(pod: Pod): void {
    this.removePod(keyOf(pod.metadata?.namespace, pod.metadata?.name));
  }

  private removePod(key: string): void {
    const prev = this.podAddrs.get(key);
    if (!prev) return;
    this.podAddrs.delete(key);
    for (const k of prev.keys) {
      const m = this.podsByAddr.get(k);
      m?.delete(key);
      if (m && m.size === 0) this.podsByAddr.delete(k);
    }
    this.changes++;
  }

  private countService(ns: string, delta: number): void {
    const n = this.namespaces.get(ns) ?? { object: false, services: 0 };
    this.namespaces.set(ns, { ...n, services: n.services + delta });
    this.syncNamespace(ns);
  }

  /** `<ns>.svc.<zone>` and `<ns>.pod.<zone>` exist while the namespace or a Service in it does. */
  private syncNamespace(ns: string): void {
    const n = this.namespaces.get(ns);
    const exists = !!n && (n.object || n.services > 0);
    if (n && !exists) this.namespaces.delete(ns);
    const lower = ns.toLowerCase();
    for (const name of [`${lower}.svc.${this.domain}`, `${lower}.pod.${this.domain}`]) {
      if (exists && !this.names.has(name)) this.names.set(name, emptyEntry());
      if (!exists) this.names.delete(name);
    }
    this.changes++;
  }

  private flush(): void {
    if (this.dirty.size === 0) return;
    for (const key of this.dirty) this.rebuild(key);
    this.dirty.clear();
    this.changes++;
  }

  private rebuild(svcKey: string): void {
    for (const n of this.ownedNames.get(svcKey) ?? []) this.names.delete(n);
    this.ownedNames.delete(svcKey);
    for (const k of this.ownedPtrs.get(svcKey) ?? []) {
      const m = this.ptrs.get(k);
      m?.delete(svcKey);
      if (m && m.size === 0) this.ptrs.delete(k);
    }
    this.ownedPtrs.delete(svcKey);
    const svc = this.services.get(svcKey);
    if (!svc) return;
    const built = serviceNames(svc, this.slicesByService.get(svcKey)?.values() ?? [], { domain: this.domain });
    for (const [n, e] of built.names) this.names.set(n, e);
    this.ownedNames.set(svcKey, [...built.names.keys()]);
    const keys = new Set<string>();
    for (const p of built.ptrs) {
      let m = this.ptrs.get(p.key);
      if (!m) this.ptrs.set(p.key, (m = new Map()));
      const owner = m.get(svcKey);
      if (!owner || p.rank < owner.rank) m.set(svcKey, { rank: p.rank, targets: [p.target] });
      else if (p.rank === owner.rank && !owner.targets.includes(p.target)) owner.targets.push(p.target);
      keys.add(p.key);
    }
    this.ownedPtrs.set(svcKey, [...keys]);
  }
}
