// Request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`), which
// client-go's typed clients send (kubectl's `create configmap|secret|deployment|...` among
// them) and which they never retry as JSON. The body is the magic `k8s\0` followed by a
// runtime.Unknown envelope: the object's apiVersion and kind, and the object's own message. We
// decode it into the plain JSON object a JSON client would have sent, so everything after the
// body parser is shared. Responses stay JSON; clients decode by the response's Content-Type.
import type { TSchema } from '@sinclair/typebox';
import { badRequest, StatusError } from '../../lib/errors.js';
import { decodeMessage, NoFieldTable } from './decode.js';
import { BYTES, readFields, utf8, WireError, type WireField } from './wire.js';

export { Binding, DeleteOptions } from './bodies.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface ProtobufBody {
  /** The object as JSON, with apiVersion and kind from the envelope. */
  object: Record<string, unknown>;
  /** Field numbers we do not know, as `path: field N`; dropped, as Kubernetes drops them. */
  skipped: string[];
}

const text = (f: WireField | undefined): string => (f && f.wire === BYTES ? utf8(f.value) : '');

function fieldsByNumber(bytes: Uint8Array): Map<number, WireField> {
  const out = new Map<number, WireField>();
  for (const f of readFields(bytes)) out.set(f.num, f);
  return out;
}

/**
 * Decodes a protobuf request body holding an object of the type `schema` describes. Malformed
 * bytes are a 400; a type without protobuf field numbers (custom resources, as on Kubernetes)
 * or a compressed envelope is a 415.
 */
export function decodeProtobufBody(raw: Buffer, schema: TSchema): ProtobufBody {
  if (raw.length < MAGIC.length || !raw.subarray(0, MAGIC.length).equals(MAGIC))
    throw badRequest(`the protobuf body does not start with the Kubernetes prefix ${JSON.stringify(MAGIC.toString('latin1'))}`);
  try {
    const unknown = fieldsByNumber(raw.subarray(MAGIC.length));
    const typeMeta = unknown.get(1);
    const meta = typeMeta && typeMeta.wire === BYTES ? fieldsByNumber(typeMeta.value) : new Map<number, WireField>();
    const encoding = text(unknown.get(3));
    if (encoding !== '') throw new NoFieldTable(`protobuf bodies with content encoding ${JSON.stringify(encoding)} are not supported`);
    const body = unknown.get(2);
    const { object, skipped } = decodeMessage(schema, body && body.wire === BYTES ? body.value : new Uint8Array());
    const apiVersion = text(meta.get(1));
    const kind = text(meta.get(2));
    return { object: { ...(apiVersion ? { apiVersion } : {}), ...(kind ? { kind } : {}), ...object }, skipped };
  } catch (err) {
    if (err instanceof WireError) throw badRequest(`error decoding protobuf: ${err.message}`, err);
    if (err instanceof NoFieldTable) throw new StatusError('UnsupportedMediaType', err.message, { cause: err });
    throw err;
  }
}
