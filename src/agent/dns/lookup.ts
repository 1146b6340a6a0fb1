// Answers one question from the cluster zone, following the Kubernetes DNS specification's rules
// for what exists: a name that exists but holds no record of the asked type gets NOERROR with an
// empty answer (NODATA), a name that does not exist gets NXDOMAIN — both with the zone's SOA in
// the authority section so resolvers cache the miss for its minimum TTL. Search-path misses such
// as `example.com.default.svc.cluster.local` are plain NXDOMAINs answered from the index. Names
// outside the zone, and reverse lookups of addresses the cluster does not own, are handed to the
// forwarder; an ExternalName's CNAME pointing outside the zone is chased through it.
import { CLASS_ANY, CLASS_IN, RCODE, TYPE, type Answer, type Rr, type Soa } from './records.js';
import { dashedIP, ipFamilyOf, ipKey, isReverseName, reverseToKey, undashIP } from './names.js';
import type { ClusterZone } from './zone.js';
import type { NameEntry } from './service-names.js';

export interface Question {
  /** Lower-case, without the trailing dot. */
  name: string;
  type: number;
  class: number;
}

export type Resolution =
  | { kind: 'answer'; answer: Answer }
  | { kind: 'forward' }
  /** `answer` holds the CNAME chain so far; the records of `target` come from upstream. */
  | { kind: 'chase'; answer: Answer; target: string };

export interface LookupOptions {
  /** TTL of every record, and the SOA minimum (negative-answer TTL). */
  ttl: number;
}

const MAX_CHAIN = 8;

export function soaRecord(zone: string, o: LookupOptions & { serial: number }): Rr {
  const soa: Soa = { mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial: o.serial, refresh: 7200, retry: 1800, expire: 86400, minimum: o.ttl };
  return { name: zone, ttl: o.ttl, type: TYPE.SOA, soa };
}

function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** The records of `type` an entry holds (every kind for ANY). */
function recordsOf(name: string, e: NameEntry, type: number, o: { ttl: number; zone: string; serial: number }): Rr[] {
  const ttl = o.ttl;
  const out: Rr[] = [];
  const any = type === TYPE.ANY;
  if (any || type === TYPE.A) for (const ip of e.a) out.push({ name, ttl, type: TYPE.A, ip });
  if (any || type === TYPE.AAAA) for (const ip of e.aaaa) out.push({ name, ttl, type: TYPE.AAAA, ip });
  if (any || type === TYPE.SRV) for (const s of e.srv) out.push({ name, ttl, type: TYPE.SRV, ...s });
  if ((any || type === TYPE.TXT) && e.txt) out.push({ name, ttl, type: TYPE.TXT, text: e.txt });
  if ((any || type === TYPE.NS) && e.ns) for (const target of e.ns) out.push({ name, ttl, type: TYPE.NS, target });
  if ((any || type === TYPE.SOA) && e.soa) out.push(soaRecord(o.zone, { ttl, serial: o.serial }));
  if ((any || type === TYPE.CNAME) && e.cname) out.push({ name, ttl, type: TYPE.CNAME, target: e.cname });
  return out;
}

/** A and AAAA records of SRV and NS targets inside the zone, as optional extra help. */
function glue(zone: ClusterZone, answers: Rr[], ttl: number): Rr[] {
  const out: Rr[] = [];
  const seen = new Set<string>();
  for (const rr of answers) {
    if (rr.type !== TYPE.SRV && rr.type !== TYPE.NS) continue;
    if (seen.has(rr.target)) continue;
    seen.add(rr.target);
    const e = zone.entry(rr.target);
    if (!e) continue;
    for (const ip of e.a) out.push({ name: rr.target, ttl, type: TYPE.A, ip });
    for (const ip of e.aaaa) out.push({ name: rr.target, ttl, type: TYPE.AAAA, ip });
  }
  return out;
}

export class ZoneResolver {
  constructor(
    private readonly zone: ClusterZone,
    private readonly o: LookupOptions,
  ) {}

  private negative(rcode: number): Answer {
    const soa = soaRecord(this.zone.domain, { ttl: this.o.ttl, serial: this.serial() });
    return { rcode, authoritative: true, answers: [], authorities: [soa], additionals: [] };
  }

  /** SOA serial: the zone's change counter, so it moves whenever an answer may have. */
  private serial(): number {
    return this.zone.version >>> 0;
  }

  resolve(q: Question): Resolution {
    const zone = this.zone.domain;
    if (!inZone(q.name, zone)) {
      if (isReverseName(q.name) && (q.class === CLASS_IN || q.class === CLASS_ANY)) return this.reverse(q);
      return { kind: 'forward' };
    }
    if (q.class !== CLASS_IN && q.class !== CLASS_ANY) return { kind: 'answer', answer: { rcode: RCODE.REFUSED, authoritative: false, answers: [], authorities: [], additionals: [] } };
    return this.resolveInZone(q, [], 0);
  }

  private resolveInZone(q: Question, chain: Rr[], depth: number): Resolution {
    const zone = this.zone.domain;
    const ttl = this.o.ttl;
    const e = this.zone.entry(q.name) ?? this.podEntry(q.name);
    if (!e) {
      const neg = this.negative(RCODE.NXDOMAIN);
      return { kind: 'answer', answer: { ...neg, answers: chain } };
    }
    if (e.cname && q.type !== TYPE.CNAME && q.type !== TYPE.ANY) {
      const cname: Rr = { name: q.name, ttl, type: TYPE.CNAME, target: e.cname };
      const next = [...chain, cname];
      if (inZone(e.cname, zone) && depth < MAX_CHAIN) return this.resolveInZone({ ...q, name: e.cname }, next, depth + 1);
      const answer: Answer = { rcode: RCODE.NOERROR, authoritative: true, answers: next, authorities: [], additionals: [] };
      if (depth >= MAX_CHAIN) return { kind: 'answer', answer };
      return { kind: 'chase', answer, target: e.cname };
    }
    const records = recordsOf(q.name, e, q.type, { ttl, zone, serial: this.serial() });
    if (records.length === 0) {
      const neg = this.negative(RCODE.NOERROR);
      return { kind: 'answer', answer: { ...neg, answers: chain } };
    }
    const answers = [...chain, ...records];
    return { kind: 'answer', answer: { rcode: RCODE.NOERROR, authoritative: true, answers, authorities: [], additionals: glue(this.zone, records, ttl) } };
  }

  /** `<dashed-ip>.<ns>.pod.<zone>` exists only while a pod in that namespace holds the address. */
  private podEntry(name: string): NameEntry | undefined {
    const rel = name.slice(0, -(this.zone.domain.length + 1));
    const parts = rel.split('.');
    if (parts.length !== 3 || parts[2] !== 'pod') return undefined;
    const ip = undashIP(parts[0] ?? '');
    const key = ip ? ipKey(ip) : undefined;
    if (!ip || !key || !this.zone.podsAt(key).some((p) => p.ns === parts[1])) return undefined;
    return ipFamilyOf(ip) === 6 ? { a: [], aaaa: [ip], srv: [] } : { a: [ip], aaaa: [], srv: [] };
  }

  private reverse(q: Question): Resolution {
    const key = reverseToKey(q.name);
    if (!key) return { kind: 'forward' };
    let targets = this.zone.ptrTargets(key);
    if (targets.length === 0) targets = this.zone.podsAt(key).map((p) => `${dashedIP(p.ip)}.${p.ns}.pod.${this.zone.domain}`);
    // Addresses the cluster does not own belong to whoever serves their reverse zone upstream.
    if (targets.length === 0) return { kind: 'forward' };
    // NODATA without an SOA: the reverse zone's SOA is not the cluster zone's to give.
    if (q.type !== TYPE.PTR && q.type !== TYPE.ANY) return { kind: 'answer', answer: { rcode: RCODE.NOERROR, authoritative: true, answers: [], authorities: [], additionals: [] } };
    const answers: Rr[] = [...new Set(targets)].sort().map((target) => ({ name: q.name, ttl: this.o.ttl, type: TYPE.PTR, target }));
    return { kind: 'answer', answer: { rcode: RCODE.NOERROR, authoritative: true, answers, authorities: [], additionals: [] } };
  }
}
