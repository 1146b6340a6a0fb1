// Writes pod statuses through the pods/status subresource, and only when they changed: the
// kubelet re-syncs pods often, and most syncs produce the status already written. A strategic
// merge patch keyed on condition type leaves conditions other components own (DisruptionTarget,
// readiness gates) alone; the patch carries the pod's uid so a same-named successor is never hit.
import type { Pod } from '../../api/core/v1/index.js';
import { podKind } from '../../api/refs/index.js';
import type { Client } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import type { PodStatus } from './pod-status.js';

/** JSON with object keys sorted, so equal statuses compare equal whatever their key order. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(value).sort()) sorted[k] = (value as Record<string, unknown>)[k];
      return sorted;
    }
    return value;
  });
}

/** Fields the kubelet owns that must be cleared explicitly when they disappear (a patch keeps absent ones). */
const CLEARABLE = ['reason', 'message', 'podIP', 'podIPs', 'initContainerStatuses'] as const;

export class PodStatusWriter {
  /** The last status written per pod, with its plain JSON (in this kubelet's own key order). */
  private readonly last = new Map<string, { json: string; status: PodStatus }>();

  constructor(private readonly client: Client) {}

  /** The status last written for the pod, if any. */
  previous(uid: string): PodStatus | undefined {
    return this.last.get(uid)?.status;
  }

  /** Writes `status` unless it equals what was last written (or, the first time, what the API has). */
  async write(pod: Pod, status: PodStatus): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const prev = this.last.get(uid);
    // Statuses this kubelet builds always list their keys in the same order, so comparing with the
    // last one written needs no sorting (most resyncs of most pods end here); the API's copy,
    // compared the first time, may order keys differently.
    const json = prev ? JSON.stringify(status) : canonicalJson(status);
    if (prev ? prev.json === json : canonicalJson(pod.status ?? {}) === json) {
      if (!prev) this.last.set(uid, { json: JSON.stringify(status), status });
      return;
    }
    const base = prev?.status ?? pod.status ?? {};
    const body: Record<string, unknown> = { ...status };
    for (const k of CLEARABLE) if (base[k] !== undefined && status[k] === undefined) body[k] = null;
    // Conditions merge by type, field by field: a reason or message that went away must be nulled.
    if (status.conditions) body.conditions = status.conditions.map((c) => ({ lastProbeTime: null, reason: null, message: null, ...c }));
    try {
      await this.client.patch(podKind, pod.metadata?.namespace, pod.metadata?.name ?? '', { type: 'strategic', body: { metadata: { uid }, status: body } }, { subresource: 'status' });
    } catch (err) {
      // The pod is gone (or replaced): nothing to report to.
      if (err instanceof StatusError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return;
      throw err;
    }
    this.last.set(uid, { json: prev ? json : JSON.stringify(status), status });
  }

  forget(uid: string): void {
    this.last.delete(uid);
  }
}
