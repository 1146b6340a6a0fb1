// One step of a DaemonSet rolling update, as a pure function of the cache. Without surge, old
// pods are deleted while fewer than maxUnavailable nodes lack an available pod (the manage step
// then creates the new one); old pods that are not available anyway are replaced at once. With
// surge, a new pod is started beside an available old one on up to maxSurge nodes, and the old
// pod is deleted once the new one is available. Percentages are of the nodes that should run the
// daemon, rounded up; if both limits come out as 0, one node at a time may be unavailable.
import type { DaemonSet } from '../../api/apps/v1/index.js';
import type { Node, Pod } from '../../api/core/v1/index.js';
import { isPodAvailable, isTerminating } from '../history/index.js';
import { isPodUpdated, nodeEligibility } from './placement.js';

export interface RollingUpdateInput {
  ds: DaemonSet;
  nodes: readonly Node[];
  nodeToPods: ReadonlyMap<string, Pod[]>;
  hash: string;
  generation: string | undefined;
  now: number;
}

export interface RollingUpdatePlan {
  deletePods: Pod[];
  createOn: string[];
}

/** An int-or-percent limit scaled against `total`, percentages rounded up. */
export function scaledValue(value: number | string | undefined, total: number): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? 0 : n;
}

export function rollingLimits(ds: DaemonSet, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge, desired);
  let maxUnavailable = scaledValue(ru?.maxUnavailable ?? 1, desired);
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** The one new and one old live pod on a node; `ok` is false when there are more (manage cleans up first). */
function splitPods(pods: readonly Pod[], o: { hash: string; generation: string | undefined }): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of pods) {
    if (isTerminating(p)) continue;
    if (isPodUpdated(p, o)) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { newPod, oldPod, ok: true };
}

export function planRollingUpdate(input: RollingUpdateInput): RollingUpdatePlan {
  const { ds, now } = input;
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod): boolean => isPodAvailable(p, { minReadySeconds, now });
  const byNode = new Map<string, Pod[]>(input.nodeToPods);
  const nodesByName = new Map(input.nodes.map((n) => [n.metadata?.name ?? '', n]));
  let desired = 0;
  for (const node of input.nodes) {
    if (!nodeEligibility(ds, node).shouldRun) continue;
    desired += 1;
    const name = node.metadata?.name ?? '';
    if (!byNode.has(name)) byNode.set(name, []);
  }
  const { maxSurge, maxUnavailable } = rollingLimits(ds, desired);

  if (maxSurge === 0) {
    let unavailable = 0;
    const replaceNow: Pod[] = [];
    const candidates: Pod[] = [];
    for (const pods of byNode.values()) {
      const { newPod, oldPod, ok } = splitPods(pods, input);
      if (!ok || (!newPod && !oldPod) || (newPod && oldPod)) unavailable += 1;
      else if (newPod) {
        if (!available(newPod)) unavailable += 1;
      } else if (oldPod) {
        if (!available(oldPod)) replaceNow.push(oldPod);
        else if (unavailable < maxUnavailable) candidates.push(oldPod);
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { deletePods: [...replaceNow, ...candidates.slice(0, room)], createOn: [] };
  }

  const deletePods: Pod[] = [];
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  let surging = 0;
  for (const [nodeName, pods] of byNode) {
    const { newPod, oldPod, ok } = splitPods(pods, input);
    if (!ok) {
      surging += 1;
      continue;
    }
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        const node = nodesByName.get(nodeName);
        if (!node || !nodeEligibility(ds, node).shouldRun) deletePods.push(oldPod);
        else allowedNew.push(nodeName);
      } else if (surging < maxSurge) {
        candidateNew.push(nodeName);
      }
      continue;
    }
    if (!available(newPod)) surging += 1;
    else deletePods.push(oldPod);
  }
  const room = Math.min(Math.max(0, maxSurge - surging), candidateNew.length);
  return { deletePods, createOn: [...allowedNew, ...candidateNew.slice(0, room)] };
}
