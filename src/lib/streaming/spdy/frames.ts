// SPDY/3.1 framing (the layer Kubernetes' exec, attach and port-forward ride on): splitting a byte
// stream into frames, and encoding and decoding each frame type. Header blocks are passed in and
// out still compressed; header-block.ts owns the zlib contexts because they span the whole
// connection. Every frame has an 8-byte header: control frames start with the high bit set,
// the version (3) and a 16-bit type; data frames start with a 31-bit stream id. Both then carry
// 8 bits of flags and a 24-bit payload length.

export const SPDY_VERSION = 3;

export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

/** FIN on data, SYN_STREAM, SYN_REPLY and HEADERS: the sender will send nothing more on the stream. */
export const FLAG_FIN = 0x01;
/** On SYN_STREAM: the receiver must not send on this stream. */
export const FLAG_UNIDIRECTIONAL = 0x02;

export const RstStatus = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  UNSUPPORTED_VERSION: 4,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7,
  STREAM_IN_USE: 8,
  STREAM_ALREADY_CLOSED: 9,
  FRAME_TOO_LARGE: 11,
} as const;

export const MAX_FRAME_PAYLOAD = 0xffffff;
const HEADER_LEN = 8;
const STREAM_ID_MASK = 0x7fffffff;

export type Frame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedId: number; priority: number; flags: number; block: Buffer }
  | { type: 'syn_reply'; streamId: number; flags: number; block: Buffer }
  | { type: 'headers'; streamId: number; flags: number; block: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: { id: number; flags: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'unknown'; controlType: number; flags: number; payload: Buffer };

export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

function header(first: number, second: number, flags: number, length: number): Buffer {
  if (length > MAX_FRAME_PAYLOAD) throw new SpdyProtocolError(`frame payload of ${length} bytes is too large`);
  const h = Buffer.alloc(HEADER_LEN);
  h.writeUInt16BE(first, 0);
  h.writeUInt16BE(second, 2);
  h.writeUInt32BE(length, 4);
  h[4] = flags;
  return h;
}

const control = (type: number, flags: number, payload: Buffer): Buffer =>
  Buffer.concat([header(0x8000 | SPDY_VERSION, type, flags, payload.length), payload]);

const u32 = (...values: number[]): Buffer => {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
};

/** Encodes a frame; header-carrying frames take their block already compressed. */
export function encodeFrame(f: Frame): Buffer {
  switch (f.type) {
    case 'data': {
      const h = Buffer.alloc(HEADER_LEN);
      h.writeUInt32BE(f.streamId & STREAM_ID_MASK, 0);
      if (f.data.length > MAX_FRAME_PAYLOAD) throw new SpdyProtocolError('data frame too large');
      h.writeUInt32BE(f.data.length, 4);
      h[4] = f.flags;
      return Buffer.concat([h, f.data]);
    }
    case 'syn_stream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(f.streamId & STREAM_ID_MASK, 0);
      fixed.writeUInt32BE(f.associatedId & STREAM_ID_MASK, 4);
      fixed[8] = (f.priority & 0x7) << 5;
      return control(FrameType.SYN_STREAM, f.flags, Buffer.concat([fixed, f.block]));
    }
    case 'syn_reply':
      return control(FrameType.SYN_REPLY, f.flags, Buffer.concat([u32(f.streamId & STREAM_ID_MASK), f.block]));
    case 'headers':
      return control(FrameType.HEADERS, f.flags, Buffer.concat([u32(f.streamId & STREAM_ID_MASK), f.block]));
    case 'rst_stream':
      return control(FrameType.RST_STREAM, 0, u32(f.streamId & STREAM_ID_MASK, f.status));
    case 'settings': {
      const body = Buffer.alloc(4 + f.entries.length * 8);
      body.writeUInt32BE(f.entries.length, 0);
      f.entries.forEach((e, i) => {
        body.writeUInt32BE(e.id & 0xffffff, 4 + i * 8);
        body[4 + i * 8] = e.flags;
        body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
      });
      return control(FrameType.SETTINGS, f.flags, body);
    }
    case 'ping':
      return control(FrameType.PING, 0, u32(f.id));
    case 'goaway':
      return control(FrameType.GOAWAY, 0, u32(f.lastGoodStreamId & STREAM_ID_MASK, f.status));
    case 'window_update':
      return control(FrameType.WINDOW_UPDATE, 0, u32(f.streamId & STREAM_ID_MASK, f.delta & STREAM_ID_MASK));
    case 'unknown':
      return control(f.controlType, f.flags, f.payload);
  }
}

function need(payload: Buffer, n: number, what: string): void {
  if (payload.length < n) throw new SpdyProtocolError(`${what} frame too short (${payload.length} bytes)`);
}

/** Decodes one complete frame (header and payload). */
export function decodeFrame(buf: Buffer): Frame {
  const isControl = (buf[0] ?? 0) & 0x80;
  const flags = buf[4] ?? 0;
  const payload = buf.subarray(HEADER_LEN);
  if (!isControl) return { type: 'data', streamId: buf.readUInt32BE(0) & STREAM_ID_MASK, flags, data: payload };
  const version = buf.readUInt16BE(0) & 0x7fff;
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
  const type = buf.readUInt16BE(2);
  const id = (): number => payload.readUInt32BE(0) & STREAM_ID_MASK;
  switch (type) {
    case FrameType.SYN_STREAM:
      need(payload, 10, 'SYN_STREAM');
      return {
        type: 'syn_stream',
        streamId: id(),
        associatedId: payload.readUInt32BE(4) & STREAM_ID_MASK,
        priority: ((payload[8] ?? 0) >> 5) & 0x7,
        flags,
        block: payload.subarray(10),
      };
    case FrameType.SYN_REPLY:
      need(payload, 4, 'SYN_REPLY');
      return { type: 'syn_reply', streamId: id(), flags, block: payload.subarray(4) };
    case FrameType.HEADERS:
      need(payload, 4, 'HEADERS');
      return { type: 'headers', streamId: id(), flags, block: payload.subarray(4) };
    case FrameType.RST_STREAM:
      need(payload, 8, 'RST_STREAM');
      return { type: 'rst_stream', streamId: id(), status: payload.readUInt32BE(4) };
    case FrameType.SETTINGS: {
      need(payload, 4, 'SETTINGS');
      const n = payload.readUInt32BE(0);
      need(payload, 4 + n * 8, 'SETTINGS');
      const entries = Array.from({ length: n }, (_, i) => ({
        flags: payload[4 + i * 8] ?? 0,
        id: payload.readUInt32BE(4 + i * 8) & 0xffffff,
        value: payload.readUInt32BE(8 + i * 8),
      }));
      return { type: 'settings', flags, entries };
    }
    case FrameType.PING:
      need(payload, 4, 'PING');
      return { type: 'ping', id: payload.readUInt32BE(0) };
    case FrameType.GOAWAY:
      need(payload, 4, 'GOAWAY');
      // Early drafts had no status field; treat a missing one as OK.
      return { type: 'goaway', lastGoodStreamId: id(), status: payload.length >= 8 ? payload.readUInt32BE(4) : 0 };
    case FrameType.WINDOW_UPDATE:
      need(payload, 8, 'WINDOW_UPDATE');
      return { type: 'window_update', streamId: id(), delta: payload.readUInt32BE(4) & STREAM_ID_MASK };
    default:
      return { type: 'unknown', controlType: type, flags, payload };
  }
}

/** Cuts a byte stream into whole frames, keeping a partial frame until the rest arrives. */
export class FrameSplitter {
  private pending: Buffer[] = [];
  private pendingLen = 0;

  /** Adds bytes and returns every frame now complete, in order. */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingLen += chunk.length;
    const out: Buffer[] = [];
    let buf = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingLen);
    while (buf.length >= HEADER_LEN) {
      const len = buf.readUInt32BE(4) & 0xffffff;
      if (buf.length < HEADER_LEN + len) break;
      out.push(buf.subarray(0, HEADER_LEN + len));
      buf = buf.subarray(HEADER_LEN + len);
    }
    this.pending = buf.length > 0 ? [buf] : [];
    this.pendingLen = buf.length;
    return out;
  }

  /** Bytes held that do not yet make a frame. */
  get buffered(): number {
    return this.pendingLen;
  }
}

/** Serialises a name/value header block (before compression): count, then length-prefixed pairs. */
export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Parses a decompressed header block; names come back lower-case, repeated values NUL-joined. */
export function decodeHeaderBlock(buf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  if (buf.length === 0) return out;
  need(buf, 4, 'header block');
  const count = buf.readUInt32BE(0);
  let off = 4;
  const str = (): string => {
    need(buf, off + 4, 'header block');
    const len = buf.readUInt32BE(off);
    off += 4;
    need(buf, off + len, 'header block');
    const s = buf.subarray(off, off + len).toString('utf8');
    off += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = str().toLowerCase();
    const value = str();
    out[name] = out[name] === undefined ? value : `${out[name]}\0${value}`;
  }
  return out;
}
