// What may change in a running pod's spec. Kubernetes treats nearly the whole pod spec as fixed
// once created; the exceptions are container images, the active deadline (only downwards),
// added tolerations, removing scheduling gates (and, while gated, adding node selector entries),
// and a grace period that was negative. Anything else is rejected with one error on `spec`.
import { child, invalid, forbidden, type FieldError } from '../../../lib/field-errors.js';
import type { PodSpec } from './pod-spec.js';
import type { Toleration } from './pod-scheduling.js';

const ALLOWED =
  'pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, ' +
  '`spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), ' +
  '`spec.terminationGracePeriodSeconds` (only from a negative value) and removal of `spec.schedulingGates`';

/** Structural equality of JSON data; a property set to undefined counts as absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!jsonEqual(ra[k], rb[k])) return false;
  return true;
}

const sameMatch = (a: Toleration, b: Toleration): boolean =>
  (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');

function validateTolerationUpdate(now: Toleration[], before: Toleration[], path: string): FieldError[] {
  for (const old of before) {
    // An existing toleration must survive; only its tolerationSeconds may shrink.
    const kept = now.some(
      (t) =>
        sameMatch(t, old) &&
        (t.tolerationSeconds === old.tolerationSeconds ||
          (old.tolerationSeconds !== undefined && t.tolerationSeconds !== undefined && t.tolerationSeconds <= old.tolerationSeconds)),
    );
    if (!kept) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

/** Top-level spec fields that differ, to tell the user what was rejected. */
function changedFields(now: PodSpec, before: PodSpec): string[] {
  const a = now as Record<string, unknown>;
  const b = before as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !jsonEqual(a[k], b[k])).sort();
}

export function validatePodSpecUpdate(now: PodSpec, before: PodSpec, path = 'spec'): FieldError[] {
  const out: FieldError[] = [];
  const adsPath = child(path, 'activeDeadlineSeconds');
  if (before.activeDeadlineSeconds !== undefined) {
    if (now.activeDeadlineSeconds === undefined) out.push(invalid(adsPath, null, 'must not update from a positive integer to nil value'));
    else if (now.activeDeadlineSeconds > before.activeDeadlineSeconds)
      out.push(invalid(adsPath, now.activeDeadlineSeconds, 'must be less than or equal to previous value'));
  }
  out.push(...validateTolerationUpdate(now.tolerations ?? [], before.tolerations ?? [], child(path, 'tolerations')));
  const oldGates = new Set((before.schedulingGates ?? []).map((g) => g.name));
  for (const g of now.schedulingGates ?? []) {
    if (!oldGates.has(g.name)) out.push(forbidden(child(path, 'schedulingGates'), `only deletion is allowed, but found new scheduling gate '${g.name}'`));
  }
  const gated = oldGates.size > 0;
  if (gated) {
    for (const [k, v] of Object.entries(before.nodeSelector ?? {})) {
      if (now.nodeSelector?.[k] !== v) {
        out.push(invalid(child(path, 'nodeSelector'), now.nodeSelector ?? null, 'only addition to spec.nodeSelector is allowed (no mutations or deletions)'));
        break;
      }
    }
  }
  if (out.length > 0) return out;

  // Copy the mutable parts from the new spec onto the old one; any remaining difference is illegal.
  const munged: PodSpec = structuredClone(before);
  const sameShape = (a: { name: string }[] | undefined, b: { name: string }[] | undefined): boolean => (a ?? []).length === (b ?? []).length;
  if (sameShape(now.containers, before.containers)) munged.containers.forEach((c, i) => (c.image = now.containers[i]?.image));
  if (sameShape(now.initContainers, before.initContainers)) munged.initContainers?.forEach((c, i) => (c.image = now.initContainers?.[i]?.image));
  munged.activeDeadlineSeconds = now.activeDeadlineSeconds;
  munged.tolerations = now.tolerations;
  munged.schedulingGates = now.schedulingGates;
  if (gated) munged.nodeSelector = now.nodeSelector;
  if (before.terminationGracePeriodSeconds !== undefined && before.terminationGracePeriodSeconds < 0)
    munged.terminationGracePeriodSeconds = now.terminationGracePeriodSeconds;
  if (!jsonEqual(munged, now)) {
    const changed = changedFields(now, munged).map((f) => child(path, f));
    out.push(forbidden(path, `${ALLOWED}; changed: ${changed.join(', ')}`));
  }
  return out;
}
