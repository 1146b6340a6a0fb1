// How objects are stored: JSON without `metadata.resourceVersion`, which is not stored but
// derived from the key's modRevision on every read (as Kubernetes does with etcd). Decoding
// stamps it back in.
import type { ApiObject } from '../../api/kind.js';
import type { KeyValue } from '../../storage/index.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toStorage(obj: ApiObject): Uint8Array {
  const { resourceVersion: _rv, ...meta } = obj.metadata ?? {};
  return encoder.encode(JSON.stringify({ ...obj, metadata: meta }));
}

export function fromStorage(kv: KeyValue): ApiObject {
  const obj = JSON.parse(decoder.decode(kv.value)) as ApiObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
  return obj;
}

/** A copy with a different resourceVersion (deleted objects carry the deletion's revision). */
export function withResourceVersion(obj: ApiObject, rv: number): ApiObject {
  return { ...obj, metadata: { ...(obj.metadata ?? {}), resourceVersion: String(rv) } };
}
