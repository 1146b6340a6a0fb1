// The protobuf wire format, read only: splits a message's bytes into its fields (number, wire
// type, raw value) without knowing the schema. What the values mean is decided by the caller,
// which knows the field's type; this file only guarantees every value lies inside the buffer.

export const VARINT = 0;
export const FIXED64 = 1;
export const BYTES = 2;
export const FIXED32 = 5;

export type WireType = typeof VARINT | typeof FIXED64 | typeof BYTES | typeof FIXED32;

export type WireField =
  | { num: number; wire: typeof VARINT; value: bigint }
  | { num: number; wire: typeof FIXED64 | typeof BYTES | typeof FIXED32; value: Uint8Array };

/** A body that is not well-formed protobuf; the apiserver answers it with 400. */
export class WireError extends Error {}

/** A varint from `buf` at `pos`: its value as an unsigned 64-bit bigint, and where the next byte is. */
export function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    const b = buf[pos + i];
    if (b === undefined) throw new WireError('unexpected end of data inside a varint');
    value |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [BigInt.asUintN(64, value), pos + i + 1];
    shift += 7n;
  }
  throw new WireError('varint longer than 10 bytes');
}

function take(buf: Uint8Array, pos: number, len: number): Uint8Array {
  if (len < 0 || pos + len > buf.length) throw new WireError('field runs past the end of its message');
  return buf.subarray(pos, pos + len);
}

/** Every field of one message, in wire order (a repeated field appears once per element). */
export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const num = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (num < 1 || num > 0x1fffffff) throw new WireError(`invalid field number ${num}`);
    switch (wire) {
      case VARINT: {
        const [value, after] = readVarint(buf, pos);
        out.push({ num, wire, value });
        pos = after;
        break;
      }
      case BYTES: {
        const [len, start] = readVarint(buf, pos);
        if (len > BigInt(buf.length)) throw new WireError('field runs past the end of its message');
        const value = take(buf, start, Number(len));
        out.push({ num, wire, value });
        pos = start + value.length;
        break;
      }
      case FIXED64:
      case FIXED32: {
        const value = take(buf, pos, wire === FIXED64 ? 8 : 4);
        out.push({ num, wire, value });
        pos += value.length;
        break;
      }
      default:
        // Groups (3, 4) are proto2 features Kubernetes never generates.
        throw new WireError(`unsupported wire type ${wire} for field ${num}`);
    }
  }
  return out;
}

/** The varints of a packed repeated scalar field. */
export function readPackedVarints(buf: Uint8Array): bigint[] {
  const out: bigint[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [v, next] = readVarint(buf, pos);
    out.push(v);
    pos = next;
  }
  return out;
}

export const utf8 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
