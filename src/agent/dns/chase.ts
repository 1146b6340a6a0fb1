// Completes an ExternalName answer: the cluster zone supplies the CNAME, the upstream resolvers
// the records of its target, and the client gets both in one reply, as the DNS specification's
// example shows. Stub resolvers in pods (glibc, musl) do not chase a bare CNAME themselves, so
// without this an ExternalName would not resolve. This path is rare and its upstream records can
// be of any type, so it is encoded with dns-packet rather than the hot-path encoder.
import * as dnsPacket from 'dns-packet';
import { RCODE, TYPE, type Answer, type Rr } from './records.js';
import type { Forwarder } from './forwarder.js';
import type { Query } from './wire-read.js';
import { EDNS_UDP_SIZE } from './wire-write.js';

/** Question types a CNAME is chased for (dns-packet's names for them). */
export const CHASED_TYPES: ReadonlyMap<number, dnsPacket.RecordType> = new Map<number, dnsPacket.RecordType>([
  [TYPE.A, 'A'],
  [TYPE.AAAA, 'AAAA'],
  [TYPE.TXT, 'TXT'],
  [TYPE.SRV, 'SRV'],
  [TYPE.PTR, 'PTR'],
  [TYPE.NS, 'NS'],
  [15, 'MX'],
  [257, 'CAA'],
]);

function toPacket(rr: Rr): dnsPacket.Answer {
  const base = { name: rr.name, ttl: rr.ttl, class: 'IN' as const };
  switch (rr.type) {
    case TYPE.A:
      return { ...base, type: 'A', data: rr.ip };
    case TYPE.AAAA:
      return { ...base, type: 'AAAA', data: rr.ip };
    case TYPE.CNAME:
      return { ...base, type: 'CNAME', data: rr.target };
    case TYPE.PTR:
      return { ...base, type: 'PTR', data: rr.target };
    case TYPE.NS:
      return { ...base, type: 'NS', data: rr.target };
    case TYPE.SRV:
      return { ...base, type: 'SRV', data: { priority: rr.priority, weight: rr.weight, port: rr.port, target: rr.target } };
    case TYPE.TXT:
      return { ...base, type: 'TXT', data: rr.text };
    case TYPE.SOA:
      return { ...base, type: 'SOA', data: rr.soa };
  }
}

export interface ChaseInput {
  query: Query;
  raw: Buffer;
  /** The zone's part of the answer: the CNAME chain ending at `target`. */
  chain: Answer;
  target: string;
  typeName: dnsPacket.RecordType;
  forwarder: Forwarder;
  limit: number;
}

export async function chaseReply(i: ChaseInput): Promise<Buffer> {
  const up = await i.forwarder.lookup(i.target, i.typeName);
  const rcode = up ? up.rcode : RCODE.SERVFAIL;
  const q = i.query;
  const flags = dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_AVAILABLE | (q.flags & (dnsPacket.RECURSION_DESIRED | dnsPacket.CHECKING_DISABLED)) | rcode;
  const additionals: dnsPacket.Answer[] = q.edns
    ? [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]
    : [];
  const packet = (truncated: boolean): Buffer =>
    dnsPacket.encode({
      type: 'response',
      id: q.id,
      flags: flags | (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0),
      questions: [{ name: q.name, type: i.typeName, class: 'IN' }],
      answers: truncated ? [] : [...i.chain.answers.map(toPacket), ...(up?.answers ?? [])],
      authorities: truncated ? [] : (up?.authorities ?? []),
      additionals,
    });
  let out = packet(false);
  if (out.length > i.limit) out = packet(true);
  // The question goes back exactly as asked (letter case included), as on the fast path.
  i.raw.copy(out, 12, 12, i.query.questionEnd);
  return out;
}
