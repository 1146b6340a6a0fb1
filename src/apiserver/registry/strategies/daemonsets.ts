// DaemonSets: the `deprecated.daemonset.template.generation` annotation counts template changes
// (1 on create, +1 whenever spec.template changes), as Kubernetes keeps it; the controller labels
// pods with it so old and new pods can be told apart.
import type { ApiObject } from '../../../api/kind.js';
import { sameJson } from '../../../lib/json.js';
import type { Strategy } from '../strategy.js';

const ANNOTATION = 'deprecated.daemonset.template.generation';

const template = (o: ApiObject): unknown => (o.spec as { template?: unknown } | undefined)?.template;

function setGeneration(obj: ApiObject, n: number): void {
  obj.metadata = { ...obj.metadata, annotations: { ...(obj.metadata?.annotations ?? {}), [ANNOTATION]: String(n) } };
}

export const daemonSetStrategy: Strategy = {
  tracksGeneration: true,
  allowCreateOnUpdate: false,
  prepareForCreate(obj) {
    setGeneration(obj, 1);
  },
  prepareForUpdate(obj, old) {
    const before = Number(old.metadata?.annotations?.[ANNOTATION] ?? '0') || 0;
    setGeneration(obj, sameJson(template(obj), template(old)) ? Math.max(before, 1) : before + 1);
  },
};
