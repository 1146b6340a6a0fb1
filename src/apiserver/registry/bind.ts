// The pods/binding subresource: how a scheduler assigns a pod to a node. A Binding names the
// pod and a target Node; the pod's spec.nodeName is set (which no ordinary update may do), the
// Binding's annotations are copied onto the pod, and status gains PodScheduled=True. A pod that
// is already bound, being deleted or still gated cannot be bound (409 Conflict).
import type { ApiObject } from '../../api/kind.js';
import { badRequest, conflict, OBJECT_MODIFIED } from '../../lib/errors.js';
import { invalidError, notSupported, required, type FieldError } from '../../lib/field-errors.js';
import type { Store } from './store.js';
import { nowTimestamp } from './object-util.js';

const MAX_RETRIES = 16;
const BINDING_REF = { group: '', resource: 'pods/binding' };

interface Binding {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; annotations?: Record<string, string> };
  target?: { kind?: string; name?: string };
}

interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

interface PodLike extends ApiObject {
  spec?: { nodeName?: string; schedulingGates?: unknown[] };
  status?: { conditions?: PodCondition[] };
}

export interface BindRequest {
  namespace: string;
  name: string;
  body: unknown;
  now: Date;
  dryRun: boolean;
}

function decodeBinding(body: unknown, req: BindRequest): Binding {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body must be a Binding object');
  const b = body as Binding & { kind?: unknown; apiVersion?: unknown };
  if (b.kind !== undefined && b.kind !== 'Binding') throw badRequest(`the kind in the data (${String(b.kind)}) does not match the expected kind (Binding)`);
  if (b.apiVersion !== undefined && b.apiVersion !== 'v1') throw badRequest(`the API version in the data (${String(b.apiVersion)}) does not match the expected API version (v1)`);
  const m = b.metadata ?? {};
  if ((m.name ?? '') !== req.name) throw badRequest('name in URL does not match name in Binding object');
  if (m.namespace && m.namespace !== req.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const errs: FieldError[] = [];
  const kind = b.target?.kind ?? '';
  if (kind !== '' && kind !== 'Node') errs.push(notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!b.target?.name) errs.push(required('target.name'));
  if (errs.length > 0) throw invalidError({ kind: 'Binding', group: '', name: req.name }, errs);
  return b;
}

/** The pod as bound to `node`: nodeName, the binding's annotations, PodScheduled=True. */
function boundPod(pod: PodLike, binding: Binding, now: Date): PodLike {
  // Shallow copies down to what changes: `pod` may be the watch cache's shared object.
  const next: PodLike = { ...pod };
  const node = binding.target?.name ?? '';
  next.spec = { ...(next.spec ?? {}), nodeName: node };
  const annotations = binding.metadata?.annotations;
  if (annotations && Object.keys(annotations).length > 0) next.metadata = { ...next.metadata, annotations: { ...(next.metadata?.annotations ?? {}), ...annotations } };
  const status = (next.status = { ...(next.status ?? {}) });
  const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  const before = (status.conditions ?? []).find((c) => c.type === 'PodScheduled');
  const since = before?.status === 'True' && before.lastTransitionTime ? before.lastTransitionTime : nowTimestamp(now);
  conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: since });
  status.conditions = conditions;
  return next;
}

/** Why the pod cannot be bound as asked, if it cannot. */
function refuse(pod: PodLike, binding: Binding, name: string): Error | undefined {
  const m = pod.metadata ?? {};
  const pre = binding.metadata ?? {};
  if (pre.uid && pre.uid !== m.uid) return conflict(BINDING_REF, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid ?? ''}`);
  if (pre.resourceVersion && pre.resourceVersion !== m.resourceVersion) return conflict(BINDING_REF, name, OBJECT_MODIFIED);
  if (m.deletionTimestamp) return conflict(BINDING_REF, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  if (pod.spec?.nodeName) return conflict(BINDING_REF, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  if ((pod.spec?.schedulingGates ?? []).length > 0) return conflict(BINDING_REF, name, `pod ${name} has non-empty .spec.schedulingGates`);
  return undefined;
}

/** Binds a pod; resolves with the Status a successful binding answers (201 Created). */
export async function bindPod(pods: Store, req: BindRequest): Promise<ApiObject> {
  const binding = decodeBinding(req.body, req);
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    // The watch cache's copy first (binds are the scheduler's hot path); after a lost race, storage.
    const { obj, kv } = await pods.current(req.namespace, req.name, { fresh: attempt > 0 });
    const pod = obj as PodLike;
    const refusal = refuse(pod, binding, req.name);
    if (refusal) {
      // A cached copy may be stale (a same-named successor, a precondition just met): judge fresh.
      if (attempt === 0) continue;
      throw refusal;
    }
    const next = boundPod(pod, binding, req.now);
    if (req.dryRun || (await pods.replaceStored(kv, next))) return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  }
  throw conflict(BINDING_REF, req.name, 'too many concurrent updates; please try again');
}
