// Reads the parts of a DNS query the server acts on — header, the one question, and the EDNS OPT
// record — straight from the bytes. Every query passes through here, so it avoids decoding into
// a general packet object: the question name comes out lower-cased (DNS names compare without
// case) as one string, with the offset where the question ends so the encoder can copy it back
// verbatim; the label offsets compressed names point at are found only when a reply is encoded.
import { RCODE, TYPE } from './records.js';

export interface Edns {
  udpSize: number;
  version: number;
}

export interface Query {
  id: number;
  /** The query's header flags word (RD and CD are echoed). */
  flags: number;
  /** Lower-case question name without the trailing dot; '' for the root. */
  name: string;
  type: number;
  class: number;
  /** Offset just past the question section. */
  questionEnd: number;
  edns: Edns | undefined;
}

/** A query that cannot be answered normally: the server replies with this rcode (or drops it). */
export interface BadQuery {
  id: number;
  flags: number;
  rcode: number;
}

const HEADER = 12;
const DOT = 0x2e;
const NAME_MAX = 255;
const nameScratch = Buffer.allocUnsafe(NAME_MAX);

/** The rare name with a dot inside a label: escaped (`a\\.b`) so it cannot pass for two labels. */
function escapedName(buf: Buffer): string {
  const labels: string[] = [];
  for (let off = HEADER; buf[off]; off += (buf[off] ?? 0) + 1) {
    labels.push(buf.toString('latin1', off + 1, off + 1 + (buf[off] ?? 0)).replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/\./g, '\\.'));
  }
  return labels.join('.');
}

/** Offsets of the labels of the question name (which starts right after the header). */
export function questionLabelOffsets(buf: Buffer): number[] {
  const out: number[] = [];
  for (let off = HEADER; buf[off]; off += (buf[off] ?? 0) + 1) out.push(off);
  return out;
}

/** Skips a (possibly compressed) name; returns the offset after it, or -1 when malformed. */
function skipName(buf: Buffer, off: number): number {
  for (let i = off; i < buf.length; ) {
    const len = buf[i] ?? 0;
    if (len === 0) return i + 1;
    if ((len & 0xc0) === 0xc0) return i + 2 <= buf.length ? i + 2 : -1;
    if ((len & 0xc0) !== 0) return -1;
    i += len + 1;
  }
  return -1;
}

/**
 * Parses a query. Returns undefined for what must be dropped silently (too short, or a response),
 * a BadQuery for what gets an error reply (unknown opcode, not exactly one question, bad name).
 */
export function readQuery(buf: Buffer): Query | BadQuery | undefined {
  if (buf.length < HEADER) return undefined;
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  if (flags & 0x8000) return undefined;
  if (((flags >> 11) & 0xf) !== 0) return { id, flags, rcode: RCODE.NOTIMP };
  if (buf.readUInt16BE(4) !== 1) return { id, flags, rcode: RCODE.FORMERR };
  const an = buf.readUInt16BE(6);
  const ns = buf.readUInt16BE(8);
  const ar = buf.readUInt16BE(10);

  // The name is assembled lower-cased in a scratch buffer and read out as one string: this runs
  // for every query, so no string per label.
  let off = HEADER;
  let n = 0;
  let dotted = false;
  for (;;) {
    if (off >= buf.length) return { id, flags, rcode: RCODE.FORMERR };
    const len = buf[off] ?? 0;
    if (len === 0) break;
    // A query's question never uses compression; anything else in the top bits is malformed.
    if (len > 63 || off + 1 + len > buf.length || n + len + 1 > NAME_MAX) return { id, flags, rcode: RCODE.FORMERR };
    if (n > 0) nameScratch[n++] = DOT;
    for (let i = off + 1; i <= off + len; i++) {
      let c = buf[i] ?? 0;
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      else if (c === DOT) dotted = true;
      nameScratch[n++] = c;
    }
    off += len + 1;
  }
  const name = dotted ? escapedName(buf) : nameScratch.toString('latin1', 0, n);
  off += 1;
  if (off + 4 > buf.length) return { id, flags, rcode: RCODE.FORMERR };
  const type = buf.readUInt16BE(off);
  const klass = buf.readUInt16BE(off + 2);
  const questionEnd = off + 4;

  // Answer and authority sections are empty in real queries; skip them if present.
  let p = questionEnd;
  let edns: Edns | undefined;
  for (let i = 0; i < an + ns + ar; i++) {
    const nameEnd = skipName(buf, p);
    if (nameEnd < 0 || nameEnd + 10 > buf.length) return { id, flags, rcode: RCODE.FORMERR };
    const rrType = buf.readUInt16BE(nameEnd);
    const rdlen = buf.readUInt16BE(nameEnd + 8);
    if (i >= an + ns && rrType === TYPE.OPT) {
      edns = { udpSize: buf.readUInt16BE(nameEnd + 2), version: buf[nameEnd + 5] ?? 0 };
    }
    p = nameEnd + 10 + rdlen;
    if (p > buf.length) return { id, flags, rcode: RCODE.FORMERR };
  }
  return { id, flags, name, type, class: klass, questionEnd, edns };
}

export const isBadQuery = (q: Query | BadQuery): q is BadQuery => 'rcode' in q;
