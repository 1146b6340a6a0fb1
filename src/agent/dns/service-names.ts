// The DNS names one Service owns, computed from the Service and its EndpointSlices as the
// Kubernetes DNS specification lays them out: `<svc>.<ns>.svc.<zone>` (cluster IPs, or the ready
// endpoint addresses of a headless Service, or a CNAME for ExternalName), `_<port>._<proto>.…`
// SRV records for named ports, `<hostname>.<svc>.<ns>.svc.<zone>` per ready endpoint (the
// endpoint's hostname — set for StatefulSet pods — or its dashed address), and the PTR targets of
// cluster IPs and endpoint addresses. Every name lies under the Service's own name, so a Service's
// records can be replaced as a unit whenever it or one of its slices changes.
import type { Service } from '../../api/core/v1/index.js';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';
import { dashedIP, ipFamilyOf, ipKey, normalizeName } from './names.js';
import type { Srv } from './records.js';

/** What a name holds; an entry with nothing in it still exists (NOERROR with no data). */
export interface NameEntry {
  a: string[];
  aaaa: string[];
  srv: Srv[];
  cname?: string;
  txt?: string[];
  ns?: string[];
  soa?: boolean;
}

export interface PtrTarget {
  key: string;
  target: string;
  /** 0 for a cluster IP, 1 for an endpoint address: a cluster IP's own name wins. */
  rank: number;
}

export interface ServiceNames {
  names: Map<string, NameEntry>;
  ptrs: PtrTarget[];
}

/** The legacy annotation that, like publishNotReadyAddresses, publishes unready endpoints. */
export const TOLERATE_UNREADY = 'service.alpha.kubernetes.io/tolerate-unready-endpoints';

export const emptyEntry = (): NameEntry => ({ a: [], aaaa: [], srv: [] });

function entry(names: Map<string, NameEntry>, name: string): NameEntry {
  let e = names.get(name);
  if (!e) names.set(name, (e = emptyEntry()));
  return e;
}

function addAddress(e: NameEntry, ip: string): void {
  const list = ipFamilyOf(ip) === 6 ? e.aaaa : e.a;
  if (!list.includes(ip)) list.push(ip);
}

function addSrv(names: Map<string, NameEntry>, o: { port: string; protocol: string; base: string; srv: Srv }): void {
  const proto = `_${o.protocol.toLowerCase()}.${o.base}`;
  entry(names, proto);
  const e = entry(names, `_${o.port.toLowerCase()}.${proto}`);
  if (!e.srv.some((s) => s.port === o.srv.port && s.target === o.srv.target)) e.srv.push(o.srv);
}

/** Spreads SRV weight evenly (as CoreDNS does) and puts every list in a stable order. */
function finish(names: Map<string, NameEntry>): void {
  for (const e of names.values()) {
    e.a.sort();
    e.aaaa.sort();
    if (e.srv.length > 0) {
      const weight = Math.max(1, Math.floor(100 / e.srv.length));
      e.srv = e.srv.map((s) => ({ ...s, weight })).sort((x, y) => x.target.localeCompare(y.target) || x.port - y.port);
    }
  }
}

function externalNameRecords(svc: Service, base: string, names: Map<string, NameEntry>): void {
  const ext = normalizeName(svc.spec?.externalName ?? '');
  if (!ext) return;
  const e = entry(names, base);
  // An IP given as the external name is answered as an address, as CoreDNS does.
  if (ipFamilyOf(ext) !== undefined) addAddress(e, ext);
  else e.cname = ext;
  for (const p of svc.spec?.ports ?? []) {
    if (p.name) addSrv(names, { port: p.name, protocol: p.protocol ?? 'TCP', base, srv: { priority: 0, weight: 100, port: p.port, target: ext } });
  }
}

export function serviceNames(svc: Service, slices: Iterable<EndpointSlice>, o: { domain: string }): ServiceNames {
  const names = new Map<string, NameEntry>();
  const ptrs: PtrTarget[] = [];
  const ns = (svc.metadata?.namespace ?? '').toLowerCase();
  const base = `${(svc.metadata?.name ?? '').toLowerCase()}.${ns}.svc.${o.domain}`;
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') {
    externalNameRecords(svc, base, names);
    return { names, ptrs };
  }
  const headless = spec.clusterIP === 'None';
  if (!headless) {
    const ips = (spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []).filter((ip) => ipFamilyOf(ip) !== undefined);
    // A Service whose cluster IP is not allocated yet has no name yet.
    if (ips.length === 0) return { names, ptrs };
    const e = entry(names, base);
    for (const ip of ips) {
      addAddress(e, ip);
      const key = ipKey(ip);
      if (key) ptrs.push({ key, target: base, rank: 0 });
    }
    for (const p of spec.ports ?? []) {
      if (p.name) addSrv(names, { port: p.name, protocol: p.protocol ?? 'TCP', base, srv: { priority: 0, weight: 100, port: p.port, target: base } });
    }
  }
  const publishAll = spec.publishNotReadyAddresses === true || svc.metadata?.annotations?.[TOLERATE_UNREADY] === 'true';
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    for (const ep of slice.endpoints ?? []) {
      // Unset readiness counts as ready, as the EndpointSlice API defines it.
      if (!publishAll && ep.conditions?.ready === false) continue;
      for (const addr of ep.addresses ?? []) {
        if (ipFamilyOf(addr) === undefined) continue;
        const host = `${(ep.hostname || dashedIP(addr)).toLowerCase()}.${base}`;
        addAddress(entry(names, host), addr);
        const key = ipKey(addr);
        if (key) ptrs.push({ key, target: host, rank: 1 });
        if (!headless) continue;
        addAddress(entry(names, base), addr);
        for (const p of slice.ports ?? []) {
          if (p.name && p.port !== undefined) addSrv(names, { port: p.name, protocol: p.protocol ?? 'TCP', base, srv: { priority: 0, weight: 100, port: p.port, target: host } });
        }
      }
    }
  }
  finish(names);
  return { names, ptrs };
}
