// The /scale subresource (Deployments, ReplicaSets, StatefulSets): an autoscaling/v1 Scale view
// of the object's replicas and selector. Reading builds the view; writing (PUT or PATCH of the
// view) sets spec.replicas on the object, with the view's resourceVersion as precondition.
import type { ApiObject, KindDef } from '../../api/kind.js';
import { badRequest, conflict, OBJECT_MODIFIED } from '../../lib/errors.js';
import { formatLabelSelector } from '../../lib/selectors/index.js';
import { Scale } from '../../api/autoscaling/v1/scale.js';
import { applyPatch } from '../patch/index.js';
import type { Store } from '../registry/store.js';
import type { WriteContext } from '../registry/strategy.js';

function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const p of path.split('.')) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

export function scaleOf(kind: KindDef, obj: ApiObject): ApiObject {
  const info = kind.scale;
  const m = obj.metadata ?? {};
  const sel = info ? at(obj, 'spec.selector') : undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: Number(at(obj, info?.specReplicasPath ?? 'spec.replicas') ?? 0) },
    status: {
      replicas: Number(at(obj, info?.statusReplicasPath ?? 'status.replicas') ?? 0),
      selector: formatLabelSelector(sel as Parameters<typeof formatLabelSelector>[0]),
    },
  };
}

export type ScaleWrite = { kind: 'update'; body: unknown } | { kind: 'patch'; contentType: string; body: unknown };

export async function writeScale(
  store: Store,
  target: { namespace: string | undefined; name: string },
  write: ScaleWrite,
  ctx: WriteContext,
): Promise<ApiObject> {
  const { obj } = await store.getStored(target.namespace, target.name);
  const current = scaleOf(store.kind, obj);
  const desired = write.kind === 'update' ? write.body : applyPatch(write.contentType, current, write.body, Scale);
  if (desired === null || typeof desired !== 'object') throw badRequest('the body must be a Scale object');
  const d = desired as { metadata?: { resourceVersion?: string }; spec?: { replicas?: unknown } };
  const replicas = d.spec?.replicas;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0))
    throw badRequest(`Scale.spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be a non-negative integer`);
  const rv = d.metadata?.resourceVersion;
  if (rv && rv !== obj.metadata?.resourceVersion) throw conflict(store.ref, target.name, OBJECT_MODIFIED);
  const patch = { spec: { replicas: replicas ?? 0 }, ...(rv ? { metadata: { resourceVersion: rv } } : {}) };
  const updated = await store.patch(target.namespace, target.name, { contentType: 'application/merge-patch+json', body: patch }, ctx, { fieldValidation: 'Ignore' });
  return scaleOf(store.kind, updated);
}
