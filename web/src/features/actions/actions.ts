// The dashboard's write operations, each one API call (or two for apply's create-or-update),
// matching what the corresponding kubectl verb sends.
import { ApiError, type ApiClient } from '../../api/client.ts';
import type { ResourceInfo } from '../../api/discovery.ts';
import type { KubeObject } from '../../api/objects.ts';
import { pathFor, type ResourceRef } from '../../api/paths.ts';
import { patchTypeFor, type PlannedDoc } from './apply-plan.ts';
import { restartPatch, undoPlan } from './rollout.ts';

const MERGE = 'application/merge-patch+json';

/** Creates the object, or (if it exists) patches it with the manifest: created or configured. */
export async function applyDoc(api: ApiClient, d: PlannedDoc & { info: ResourceInfo }): Promise<'created' | 'configured'> {
  const name = d.obj.metadata?.name;
  const obj = d.namespace ? { ...d.obj, metadata: { ...d.obj.metadata, namespace: d.namespace } } : d.obj;
  try {
    await api.request('POST', pathFor(d.info, d.namespace), obj);
    return 'created';
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 409 || !name) throw err;
  }
  await api.request('PATCH', pathFor(d.info, d.namespace, name), obj, patchTypeFor(d.info));
  return 'configured';
}

export function replaceObject(api: ApiClient, ref: ResourceRef, obj: KubeObject): Promise<KubeObject> {
  return api.request<KubeObject>('PUT', pathFor(ref, obj.metadata?.namespace, obj.metadata?.name ?? ''), obj);
}

export function deleteObject(api: ApiClient, ref: ResourceRef, ns: string | undefined, name: string): Promise<unknown> {
  return api.request('DELETE', pathFor(ref, ns, name), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
}

export function scale(api: ApiClient, ref: ResourceRef, ns: string | undefined, name: string, replicas: number): Promise<unknown> {
  return api.request('PATCH', `${pathFor(ref, ns, name)}/scale`, { spec: { replicas } }, MERGE);
}

export function rolloutRestart(api: ApiClient, ref: ResourceRef, ns: string | undefined, name: string): Promise<unknown> {
  return api.request('PATCH', pathFor(ref, ns, name), restartPatch(new Date()), MERGE);
}

/** Rolls back to `rs`; resolves to a message when there was nothing to do. */
export async function rolloutUndo(api: ApiClient, ref: ResourceRef, deployment: KubeObject, rs: KubeObject): Promise<string | undefined> {
  const plan = undoPlan(deployment, rs);
  if (plan.skip) return plan.reason;
  await api.request('PATCH', pathFor(ref, deployment.metadata?.namespace, deployment.metadata?.name ?? ''), plan.ops, 'application/json-patch+json');
  return undefined;
}

export function setUnschedulable(api: ApiClient, ref: ResourceRef, name: string, unschedulable: boolean): Promise<unknown> {
  return api.request('PATCH', pathFor(ref, undefined, name), { spec: { unschedulable: unschedulable ? true : null } }, MERGE);
}
