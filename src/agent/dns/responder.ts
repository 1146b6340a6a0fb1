// Turns one query message into its reply: cluster names from the zone, everything else through
// the forwarder. Encoded zone replies are cached by (name, type, class, size limit, EDNS) until the
// zone changes; a cache hit is a copy with the client's message ID, flags and question bytes
// patched in, which is what keeps the busy path — the same few Service names and search-path
// misses asked over and over — to a map lookup and a memcpy.
import { RCODE } from './records.js';
import { isBadQuery, readQuery, type Query } from './wire-read.js';
import { encodeAnswer, encodeBadQuery, encodeRcode, replyLimit } from './wire-write.js';
import type { ZoneResolver } from './lookup.js';
import type { ClusterZone } from './zone.js';
import type { Forwarder } from './forwarder.js';
import { CHASED_TYPES, chaseReply } from './chase.js';

const RD_CD = 0x0110;
const BADVERS = 16;

export interface ResponderOptions {
  zone: ClusterZone;
  resolver: ZoneResolver;
  forwarder: Forwarder;
  /** False until the informers have listed: cluster names then get SERVFAIL, not a false NXDOMAIN. */
  ready(): boolean;
  /** Cached replies kept at most; the cache starts over when full. */
  cacheSize?: number;
}

export type Reply = Buffer | undefined | Promise<Buffer | undefined>;

export class Responder {
  private readonly cache = new Map<string, Buffer>();
  private cacheVersion = -1;

  constructor(private readonly o: ResponderOptions) {}

  /** The reply to `raw`, or undefined when the message must be dropped. */
  handle(raw: Buffer, t: { tcp: boolean }): Reply {
    const q = readQuery(raw);
    if (!q) return undefined;
    if (isBadQuery(q)) return encodeBadQuery(q);
    const limit = replyLimit(q, t);
    if (q.edns && q.edns.version > 0) return encodeAnswer(q, raw, { rcode: BADVERS, authoritative: false, answers: [], authorities: [], additionals: [] }, limit);

    const version = this.o.zone.version;
    if (version !== this.cacheVersion) {
      this.cache.clear();
      this.cacheVersion = version;
    }
    const key = `${q.type}/${q.class}/${limit}/${q.edns ? 1 : 0}/${q.name}`;
    const hit = this.cache.get(key);
    if (hit) return patch(hit, raw, q);

    const res = this.o.resolver.resolve(q);
    if (res.kind === 'forward') return this.forward(q, raw, t);
    if (!this.o.ready()) return encodeRcode(q, raw, RCODE.SERVFAIL);
    if (res.kind === 'chase') {
      const typeName = CHASED_TYPES.get(q.type);
      if (typeName) return chaseReply({ query: q, raw, chain: res.answer, target: res.target, typeName, forwarder: this.o.forwarder, limit });
      return encodeAnswer(q, raw, res.answer, limit);
    }
    const out = encodeAnswer(q, raw, res.answer, limit);
    if (this.cache.size >= (this.o.cacheSize ?? 10_000)) this.cache.clear();
    this.cache.set(key, out);
    return out;
  }

  private async forward(q: Query, raw: Buffer, t: { tcp: boolean }): Promise<Buffer> {
    const reply = await this.o.forwarder.forward(raw, t);
    return reply ?? encodeRcode(q, raw, RCODE.SERVFAIL);
  }
}

/** A cached reply made this query's own: its ID, its RD/CD bits and its question bytes. */
function patch(cached: Buffer, raw: Buffer, q: Query): Buffer {
  const out = Buffer.allocUnsafe(cached.length);
  cached.copy(out);
  out.writeUInt16BE(q.id, 0);
  out.writeUInt16BE((cached.readUInt16BE(2) & ~RD_CD) | (q.flags & RD_CD), 2);
  raw.copy(out, 12, 12, q.questionEnd);
  return out;
}
