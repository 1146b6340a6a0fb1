// Encodes the server's answers to wire format with name compression, and fits them to the size
// the client can take. dns-packet writes every name in full; with compression a headless
// Service's A records cost 16 bytes each instead of ~50, so three times as many fit in a 512-byte
// UDP reply before clients must retry over TCP. The question is copied from the query byte for
// byte, so the reply echoes the client's letter case, and answers naming the question point at it.
import { TYPE, type Answer, type Rr } from './records.js';
import { questionLabelOffsets, type BadQuery, type Query } from './wire-read.js';
import { ipBytes } from './names.js';

/** The UDP payload size this server advertises in EDNS (the DNS Flag Day 2020 value). */
export const EDNS_UDP_SIZE = 1232;
const MAX_MESSAGE = 65535;
const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;
const RD = 0x0100;
const RA = 0x0080;
const CD = 0x0010;

class TooBig extends Error {}

class Writer {
  off = 0;
  private readonly names = new Map<string, number>();
  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.off + n > MAX_MESSAGE) throw new TooBig('message exceeds 65535 bytes');
  }
  u8(v: number): void {
    this.need(1);
    this.buf[this.off++] = v;
  }
  u16(v: number): void {
    this.need(2);
    this.buf.writeUInt16BE(v, this.off);
    this.off += 2;
  }
  u32(v: number): void {
    this.need(4);
    this.buf.writeUInt32BE(v >>> 0, this.off);
    this.off += 4;
  }
  bytes(b: Buffer): void {
    this.need(b.length);
    b.copy(this.buf, this.off);
    this.off += b.length;
  }
  /** Remembers that the name `suffix` starts at `at`, for later pointers. */
  remember(suffix: string, at: number): void {
    if (at < 0x4000 && !this.names.has(suffix)) this.names.set(suffix, at);
  }
  name(n: string, o: { compress: boolean } = { compress: true }): void {
    const labels = n === '' ? [] : n.split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = i === 0 ? n : labels.slice(i).join('.');
      const ptr = this.names.get(suffix);
      if (o.compress && ptr !== undefined) {
        this.u16(0xc000 | ptr);
        return;
      }
      this.remember(suffix, this.off);
      const label = Buffer.from(labels[i] ?? '', 'latin1');
      this.u8(label.length);
      this.bytes(label);
    }
    this.u8(0);
  }
  /** Writes the RDLENGTH placeholder, runs `body`, then fills it in. */
  rdata(body: () => void): void {
    const at = this.off;
    this.u16(0);
    body();
    this.buf.writeUInt16BE(this.off - at - 2, at);
  }
  result(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.off));
  }
}

function writeRr(w: Writer, rr: Rr): void {
  w.name(rr.name);
  w.u16(rr.type);
  w.u16(1);
  w.u32(rr.ttl);
  w.rdata(() => {
    switch (rr.type) {
      case TYPE.A:
      case TYPE.AAAA:
        w.bytes(ipBytes(rr.ip) ?? Buffer.alloc(rr.type === TYPE.A ? 4 : 16));
        break;
      case TYPE.NS:
      case TYPE.CNAME:
      case TYPE.PTR:
        w.name(rr.target);
        break;
      case TYPE.SRV:
        w.u16(rr.priority);
        w.u16(rr.weight);
        w.u16(rr.port);
        // RFC 2782: the target is never compressed (later names may still point into it).
        w.name(rr.target, { compress: false });
        break;
      case TYPE.TXT:
        for (const t of rr.text) {
          const b = Buffer.from(t, 'utf8').subarray(0, 255);
          w.u8(b.length);
          w.bytes(b);
        }
        break;
      case TYPE.SOA:
        w.name(rr.soa.mname);
        w.name(rr.soa.rname);
        w.u32(rr.soa.serial);
        w.u32(rr.soa.refresh);
        w.u32(rr.soa.retry);
        w.u32(rr.soa.expire);
        w.u32(rr.soa.minimum);
        break;
    }
  });
}

// Encoding is synchronous, so one scratch buffer serves every message.
const scratch = Buffer.allocUnsafe(MAX_MESSAGE);

interface Sections {
  answers: Rr[];
  authorities: Rr[];
  additionals: Rr[];
  truncated: boolean;
}

function encode(q: Query, raw: Buffer, a: Answer, s: Sections): Buffer {
  const w = new Writer(scratch);
  const flags = QR | (a.authoritative ? AA : 0) | (s.truncated ? TC : 0) | (q.flags & RD) | RA | (q.flags & CD) | (a.rcode & 0xf);
  w.u16(q.id);
  w.u16(flags);
  w.u16(1);
  w.u16(s.answers.length);
  w.u16(s.authorities.length);
  w.u16(s.additionals.length + (q.edns ? 1 : 0));
  if (!q.name.includes('\\')) {
    const labels = q.name === '' ? [] : q.name.split('.');
    questionLabelOffsets(raw).forEach((at, i) => w.remember(i === 0 ? q.name : labels.slice(i).join('.'), at));
  }
  w.bytes(raw.subarray(12, q.questionEnd));
  for (const rr of s.answers) writeRr(w, rr);
  for (const rr of s.authorities) writeRr(w, rr);
  for (const rr of s.additionals) writeRr(w, rr);
  if (q.edns) {
    w.u8(0);
    w.u16(TYPE.OPT);
    w.u16(EDNS_UDP_SIZE);
    w.u32(((a.rcode >> 4) & 0xff) << 24);
    w.u16(0);
  }
  return w.result();
}

function tryEncode(q: Query, raw: Buffer, a: Answer, s: Sections, limit: number): Buffer | undefined {
  try {
    const out = encode(q, raw, a, s);
    return out.length <= limit ? out : undefined;
  } catch (err) {
    if (err instanceof TooBig) return undefined;
    throw err;
  }
}

/**
 * Encodes an answer to fit `limit` bytes: additional records are dropped first (they are only
 * hints), and when the answer itself does not fit the reply carries the question alone with TC
 * set, so the client asks again over TCP.
 */
export function encodeAnswer(q: Query, raw: Buffer, a: Answer, limit: number): Buffer {
  const full = { answers: a.answers, authorities: a.authorities, additionals: a.additionals, truncated: false };
  const out =
    tryEncode(q, raw, a, full, limit) ??
    (a.additionals.length > 0 ? tryEncode(q, raw, a, { ...full, additionals: [] }, limit) : undefined);
  return out ?? encode(q, raw, a, { answers: [], authorities: [], additionals: [], truncated: true });
}

/** The limit a reply must fit: 512 bytes over plain UDP, the client's EDNS size (capped), 64 KiB over TCP. */
export function replyLimit(q: Query, o: { tcp: boolean }): number {
  if (o.tcp) return MAX_MESSAGE;
  if (!q.edns) return 512;
  return Math.min(Math.max(q.edns.udpSize, 512), 4096);
}

/** A header-only error reply (FORMERR, NOTIMP) for a query that could not be read. */
export function encodeBadQuery(b: BadQuery): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt16BE(b.id, 0);
  out.writeUInt16BE(QR | (b.flags & 0x7800) | (b.flags & RD) | RA | (b.rcode & 0xf), 2);
  return out;
}

/** A reply with only the question and an rcode, e.g. SERVFAIL when no upstream answered. */
export function encodeRcode(q: Query, raw: Buffer, rcode: number): Buffer {
  return encode(q, raw, { rcode, authoritative: false, answers: [], authorities: [], additionals: [] }, { answers: [], authorities: [], additionals: [], truncated: false });
}

