// Which fields can be owned at all: identity and server-set metadata never are (apiVersion,
// kind, name, uid, resourceVersion, managedFields itself...), and a kind with a /status
// subresource splits its fields in two — writes to the main resource own everything but
// status, writes to /status own only status — as Kubernetes' "reset fields" do.
import { clone, type FieldSet } from './field-set.js';

const UNOWNED_META = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
];

export interface Scope {
  /** The kind serves /status, so status belongs to status writes only. */
  hasStatus: boolean;
  subresource: string | undefined;
}

/** The part of `set` a write through `scope` can own (a new set). */
export function scoped(set: FieldSet, scope: Scope): FieldSet {
  const out = clone(set);
  if (scope.subresource === 'status') {
    for (const pe of [...out.children.keys()]) if (pe !== 'f:status') out.children.delete(pe);
    return out;
  }
  out.children.delete('f:apiVersion');
  out.children.delete('f:kind');
  if (scope.hasStatus) out.children.delete('f:status');
  const meta = out.children.get('f:metadata');
  if (meta) {
    meta.member = false;
    for (const f of UNOWNED_META) meta.children.delete(`f:${f}`);
  }
  return out;
}
