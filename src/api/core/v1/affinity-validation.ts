// Validation of a pod's scheduling constraints: node affinity and node selector terms, pod
// (anti-)affinity terms, tolerations and topology spread constraints. `validateNodeSelector` is
// exported for other users of NodeSelector (PersistentVolume node affinity, RuntimeClass).
import { child, index, invalid, required, forbidden, duplicate, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { dns1123Label, labelValue, qualifiedName } from '../../validation/names.js';
import { checkFormat, validateLabelSelector } from '../../validation/meta.js';
import type { LabelSelector } from '../../meta/v1.js';
import type { Affinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm } from './affinity.js';
import { NODE_SELECTOR_OPERATORS } from './affinity.js';
import type { Toleration, TopologySpreadConstraint } from './pod-scheduling.js';
import { TAINT_EFFECTS, TOLERATION_OPERATORS, UNSATISFIABLE_ACTIONS, NODE_INCLUSION_POLICIES } from './pod-scheduling.js';

function validateRequirement(r: NodeSelectorRequirement, path: string): FieldError[] {
  const out = checkFormat(child(path, 'key'), r.key ?? '', qualifiedName);
  const values = r.values ?? [];
  const vp = child(path, 'values');
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) out.push(required(vp, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) out.push(forbidden(vp, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) out.push(required(vp, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      else if (!/^-?\d+$/.test(values[0] ?? '')) out.push(invalid(vp, values, 'must be an integer'));
      break;
    default:
      out.push(notSupported(child(path, 'operator'), r.operator, NODE_SELECTOR_OPERATORS));
  }
  return out;
}

function validateFieldRequirement(r: NodeSelectorRequirement, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (r.key !== 'metadata.name') out.push(notSupported(child(path, 'key'), r.key, ['metadata.name']));
  if (r.operator !== 'In' && r.operator !== 'NotIn') out.push(notSupported(child(path, 'operator'), r.operator, ['In', 'NotIn']));
  else if ((r.values ?? []).length !== 1)
    out.push(required(child(path, 'values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  return out;
}

export function validateNodeSelectorTerm(t: NodeSelectorTerm, path: string): FieldError[] {
  return [
    ...(t.matchExpressions ?? []).flatMap((r, i) => validateRequirement(r, index(child(path, 'matchExpressions'), i))),
    ...(t.matchFields ?? []).flatMap((r, i) => validateFieldRequirement(r, index(child(path, 'matchFields'), i))),
  ];
}

export function validateNodeSelector(s: NodeSelector, path: string): FieldError[] {
  const terms = s.nodeSelectorTerms ?? [];
  const tp = child(path, 'nodeSelectorTerms');
  if (terms.length === 0) return [required(tp, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, index(tp, i)));
}

function weight(w: number | undefined, path: string): FieldError[] {
  return w === undefined || w < 1 || w > 100 ? [invalid(path, w ?? 0, 'must be in the range 1-100')] : [];
}

function selectorKeys(sel: LabelSelector | undefined): Set<string> {
  return new Set([...Object.keys(sel?.matchLabels ?? {}), ...(sel?.matchExpressions ?? []).map((e) => e.key)]);
}

/** matchLabelKeys-style lists: qualified names, only with a selector, not already in it. */
function validateLabelKeys(keys: string[] | undefined, sel: LabelSelector | undefined, path: string): FieldError[] {
  if (!keys || keys.length === 0) return [];
  if (!sel) return [forbidden(path, 'must not be specified when labelSelector is not set')];
  const inSelector = selectorKeys(sel);
  return keys.flatMap((k, i) => [
    ...checkFormat(index(path, i), k, qualifiedName),
    ...(inSelector.has(k) ? [invalid(index(path, i), k, 'exists in both matchLabelKeys and labelSelector')] : []),
  ]);
}

function validatePodAffinityTerm(t: PodAffinityTerm, path: string): FieldError[] {
  const out: FieldError[] = [];
  out.push(...validateLabelSelector(t.labelSelector, child(path, 'labelSelector')));
  out.push(...validateLabelSelector(t.namespaceSelector, child(path, 'namespaceSelector')));
  (t.namespaces ?? []).forEach((ns, i) => out.push(...checkFormat(index(child(path, 'namespaces'), i), ns, dns1123Label)));
  const tk = child(path, 'topologyKey');
  if (!t.topologyKey) out.push(required(tk, 'can not be empty'));
  else out.push(...checkFormat(tk, t.topologyKey, qualifiedName));
  out.push(...validateLabelKeys(t.matchLabelKeys, t.labelSelector, child(path, 'matchLabelKeys')));
  out.push(...validateLabelKeys(t.mismatchLabelKeys, t.labelSelector, child(path, 'mismatchLabelKeys')));
  const both = (t.matchLabelKeys ?? []).filter((k) => (t.mismatchLabelKeys ?? []).includes(k));
  for (const k of both) out.push(invalid(child(path, 'matchLabelKeys'), k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  return out;
}

const REQUIRED = 'requiredDuringSchedulingIgnoredDuringExecution';
const PREFERRED = 'preferredDuringSchedulingIgnoredDuringExecution';

export function validateAffinity(a: Affinity | undefined, path: string): FieldError[] {
  if (!a) return [];
  const out: FieldError[] = [];
  const na = a.nodeAffinity;
  if (na) {
    const p = child(path, 'nodeAffinity');
    if (na[REQUIRED]) out.push(...validateNodeSelector(na[REQUIRED], child(p, REQUIRED)));
    (na[PREFERRED] ?? []).forEach((t, i) => {
      const tp = index(child(p, PREFERRED), i);
      out.push(...weight(t.weight, child(tp, 'weight')));
      out.push(...validateNodeSelectorTerm(t.preference ?? {}, child(tp, 'preference')));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = a[kind];
    if (!pa) continue;
    const p = child(path, kind);
    (pa[REQUIRED] ?? []).forEach((t, i) => out.push(...validatePodAffinityTerm(t, index(child(p, REQUIRED), i))));
    (pa[PREFERRED] ?? []).forEach((t, i) => {
      const tp = index(child(p, PREFERRED), i);
      out.push(...weight(t.weight, child(tp, 'weight')));
      out.push(...validatePodAffinityTerm(t.podAffinityTerm ?? { topologyKey: '' }, child(tp, 'podAffinityTerm')));
    });
  }
  return out;
}

export function validateTolerations(list: Toleration[] | undefined, path: string): FieldError[] {
  const out: FieldError[] = [];
  (list ?? []).forEach((t, i) => {
    const p = index(path, i);
    const op = t.operator ?? '';
    if (t.key) out.push(...checkFormat(child(p, 'key'), t.key, qualifiedName));
    else if (op !== 'Exists')
      out.push(invalid(child(p, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute')
      out.push(invalid(child(p, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (op === '' || op === 'Equal') out.push(...checkFormat(child(p, 'value'), t.value ?? '', labelValue));
    else if (op === 'Exists') {
      if (t.value) out.push(invalid(child(p, 'operator'), t.value, "value must be empty when `operator` is 'Exists'"));
    } else out.push(notSupported(child(p, 'operator'), op, TOLERATION_OPERATORS));
    if (t.effect && !(TAINT_EFFECTS as readonly string[]).includes(t.effect)) out.push(notSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS));
  });
  return out;
}

export function validateTopologySpread(list: TopologySpreadConstraint[] | undefined, path: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  (list ?? []).forEach((c, i) => {
    const p = index(path, i);
    if (!(c.maxSkew > 0)) out.push(invalid(child(p, 'maxSkew'), c.maxSkew, 'must be greater than zero'));
    const tk = child(p, 'topologyKey');
    if (!c.topologyKey) out.push(required(tk, 'can not be empty'));
    else out.push(...checkFormat(tk, c.topologyKey, qualifiedName));
    if (!(UNSATISFIABLE_ACTIONS as readonly string[]).includes(c.whenUnsatisfiable))
      out.push(notSupported(child(p, 'whenUnsatisfiable'), c.whenUnsatisfiable, UNSATISFIABLE_ACTIONS));
    const pair = `{${c.topologyKey}, ${c.whenUnsatisfiable}}`;
    if (seen.has(pair)) out.push(duplicate(p, pair));
    seen.add(pair);
    if (c.minDomains !== undefined) {
      const mp = child(p, 'minDomains');
      if (c.minDomains <= 0) out.push(invalid(mp, c.minDomains, 'must be greater than 0'));
      else if (c.whenUnsatisfiable !== 'DoNotSchedule')
        out.push(invalid(mp, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, current value: ${c.whenUnsatisfiable}`));
    }
    for (const f of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      const v = c[f];
      if (v !== undefined && !(NODE_INCLUSION_POLICIES as readonly string[]).includes(v)) out.push(notSupported(child(p, f), v, NODE_INCLUSION_POLICIES));
    }
    out.push(...validateLabelSelector(c.labelSelector, child(p, 'labelSelector')));
    out.push(...validateLabelKeys(c.matchLabelKeys, c.labelSelector, child(p, 'matchLabelKeys')));
  });
  return out;
}
