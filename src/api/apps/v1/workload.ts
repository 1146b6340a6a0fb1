// Pieces every workload kind shares (the apps/v1 kinds, and Jobs in batch/v1): condition
// schemas, label-selector matching, the selector-versus-template checks, and the int-or-percent
// rules of rolling updates. Kept in one place so every controller kind words its errors the
// same way Kubernetes does.
import type { TArray } from '@sinclair/typebox';
import { obj, str, enumStr, time, list, type TObject, type TSchema } from '../../schema.js';
import type { LabelSelector } from '../../meta/v1.js';
import { validateLabelSelector } from '../../validation/meta.js';
import type { PodTemplateSpec } from '../../core/v1/pod-spec.js';
import { labelSelectorAsSelector } from '../../../lib/selectors/index.js';
import { child, forbidden, invalid, notSupported, required, type FieldError } from '../../../lib/field-errors.js';

const conditionFields = {
  type: str('Kind of condition, in CamelCase (e.g. Available, Progressing).'),
  status: enumStr('Whether the condition holds: True, False or Unknown.', ['True', 'False', 'Unknown']),
  lastTransitionTime: time('When the status last changed from one value to another.'),
  reason: str('One-word CamelCase reason for the last transition.'),
  message: str('Human-readable explanation of the last transition.'),
};

/** A `<Kind>Condition` definition: type and status, timestamps, reason and message, plus `extra` fields. */
export function conditionSchema<E extends Record<string, TSchema> = Record<never, TSchema>>(
  opts: { id: string; description: string },
  extra?: E,
) {
  return obj(opts.description, { ...conditionFields, ...(extra as E) }, { id: opts.id, required: ['type', 'status'] });
}

/** Status conditions keyed by `type`, so patches merge them one by one. */
export const conditionList = <T extends TObject>(description: string, item: T): TArray<T> =>
  list(description, item, { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] });

/**
 * Whether `labels` satisfy every requirement of `sel` (an empty selector matches everything).
 * A malformed selector matches nothing; validation reports why.
 */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  try {
    return labelSelectorAsSelector(sel).matches(labels);
  } catch {
    return false;
  }
}

export const nonNegative = (path: string, value: number | undefined): FieldError[] =>
  value !== undefined && value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];

/**
 * The selector of a controller kind: present, non-empty, well-formed, and matching the labels of
 * the pod template (otherwise the controller would not recognise the pods it creates).
 */
export function validateControllerSelector(
  sel: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  opts: { path: string; kind: string },
): FieldError[] {
  const selPath = child(opts.path, 'selector');
  if (!sel) return [required(selPath, '')];
  const out = validateLabelSelector(sel, selPath);
  if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
    out.push(invalid(selPath, sel, `empty selector is invalid for ${opts.kind}`));
    return out;
  }
  const labels = template?.metadata?.labels;
  if (out.length === 0 && !selectorMatches(sel, labels)) {
    out.push(invalid(child(opts.path, 'template.metadata.labels'), labels ?? {}, '`selector` does not match template `labels`'));
  }
  return out;
}

/**
 * Pods of long-running controllers must restart forever and may not carry their own deadline;
 * `kind` names the controller in the deadline message as Kubernetes does.
 */
export function validateLongRunningTemplate(template: PodTemplateSpec | undefined, opts: { path: string; kind: string }): FieldError[] {
  const spec = template?.spec;
  if (!spec) return [];
  const out: FieldError[] = [];
  const p = child(opts.path, 'template.spec');
  if (spec.restartPolicy !== 'Always') out.push(notSupported(child(p, 'restartPolicy'), spec.restartPolicy ?? '', ['Always']));
  if (spec.activeDeadlineSeconds !== undefined) {
    out.push(forbidden(child(p, 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${opts.kind} is not Supported`));
  }
  return out;
}

const PERCENT = /^[0-9]+%$/;

/**
 * A count or a percentage (`"25%"`), as rolling-update budgets are written. Surge may exceed
 * 100% for Deployments, so the cap is asked for where it applies.
 */
export function validateIntOrPercent(value: number | string | undefined, path: string, opts: { atMost100Percent?: boolean } = {}): FieldError[] {
  if (value === undefined) return [];
  if (typeof value === 'string') {
    if (!PERCENT.test(value)) {
      return [invalid(path, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', or '93%')")];
    }
    if (opts.atMost100Percent && Number(value.slice(0, -1)) > 100) return [invalid(path, value, 'must not be greater than 100%')];
    return [];
  }
  return nonNegative(path, value);
}

/** The number a budget stands for, ignoring the unit: what "is it zero?" checks need. */
export function intOrPercentValue(value: number | string | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  return PERCENT.test(value) ? Number(value.slice(0, -1)) : 0;
}

/**
 * Semantic equality for immutability checks: key order does not matter (a client may resend
 * labels in another order) and a missing list equals an empty one, as Kubernetes compares them.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  const emptyList = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
  if (emptyList(a) && emptyList(b)) return true;
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!sameValue(ra[k], rb[k])) return false;
  return true;
}

/** `path: Invalid value: ...: field is immutable` when the value changed. */
export const unchanged = (path: string, now: unknown, before: unknown): FieldError[] =>
  sameValue(now, before) ? [] : [invalid(path, now ?? null, 'field is immutable')];
