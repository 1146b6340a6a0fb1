// Label and field selectors of a list or watch request, as one predicate over objects. Field
// values come from the kind (metadata.name and metadata.namespace for all, plus what the kind's
// `fields()` adds, e.g. spec.nodeName for pods); selecting on any other field is a 400, as in
// Kubernetes.
import type { ApiObject, KindDef } from '../../api/kind.js';
import { badRequest } from '../../lib/errors.js';
import { parseFieldSelector, parseLabelSelector } from '../../lib/selectors/index.js';

export interface ObjectFilter {
  readonly everything: boolean;
  matches(obj: ApiObject): boolean;
}

export function objectFields(kind: KindDef, obj: ApiObject): Record<string, string> {
  const base: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
  if (kind.namespaced) base['metadata.namespace'] = obj.metadata?.namespace ?? '';
  return { ...base, ...kind.fields(obj) };
}

export function makeFilter(kind: KindDef, q: { labelSelector?: string; fieldSelector?: string }): ObjectFilter {
  const labels = q.labelSelector ? parseLabelSelector(q.labelSelector) : undefined;
  const fields = q.fieldSelector ? parseFieldSelector(q.fieldSelector) : undefined;
  if (fields) {
    // Which fields a kind supports is known from an empty object's field set plus metadata.
    const known = new Set(Object.keys(objectFields(kind, { metadata: {} })));
    for (const r of fields.requirements) {
      if (!known.has(r.field))
        throw badRequest(`field label not supported: ${r.field}`);
    }
  }
  if (!labels && !fields) return { everything: true, matches: () => true };
  return {
    everything: false,
    matches: (obj) =>
      (!labels || labels.matches(obj.metadata?.labels)) && (!fields || fields.matches(objectFields(kind, obj))),
  };
}
