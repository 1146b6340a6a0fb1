// Node selectors as the scheduler evaluates them: a pod's nodeSelector map, the terms of its
// required node affinity (ORed; inside a term every label expression and field expression must
// hold), and a PersistentVolume's node affinity. Terms are compiled once per pod into matcher
// functions, because they run against every candidate node.
import type { NodeSelectorRequirement, NodeSelectorTerm } from '../../api/core/v1/index.js';

export interface NodeLike {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type NodeMatcher = (node: NodeLike) => boolean;

const INTEGER = /^[+-]?\d+$/;

function requirementMatcher(r: NodeSelectorRequirement, value: (node: NodeLike) => string | undefined): NodeMatcher | undefined {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': {
      if (values.length === 0) return undefined;
      const set = new Set(values);
      return (n) => {
        const v = value(n);
        return v !== undefined && set.has(v);
      };
    }
    case 'NotIn': {
      if (values.length === 0) return undefined;
      const set = new Set(values);
      return (n) => {
        const v = value(n);
        return v === undefined || !set.has(v);
      };
    }
    case 'Exists':
      return values.length === 0 ? (n) => value(n) !== undefined : undefined;
    case 'DoesNotExist':
      return values.length === 0 ? (n) => value(n) === undefined : undefined;
    case 'Gt':
    case 'Lt': {
      const want = values[0];
      if (values.length !== 1 || want === undefined || !INTEGER.test(want)) return undefined;
      const bound = BigInt(want);
      const gt = r.operator === 'Gt';
      return (n) => {
        const v = value(n);
        if (v === undefined || !INTEGER.test(v)) return false;
        const got = BigInt(v);
        return gt ? got > bound : got < bound;
      };
    }
    default:
      return undefined;
  }
}

const NEVER: NodeMatcher = () => false;

/** One term: every expression must hold; an empty or malformed term matches no node. */
export function compileTerm(term: NodeSelectorTerm): NodeMatcher {
  const parts: NodeMatcher[] = [];
  for (const r of term.matchExpressions ?? []) {
    const m = requirementMatcher(r, (n) => (Object.hasOwn(n.labels, r.key) ? n.labels[r.key] : undefined));
    if (!m) return NEVER;
    parts.push(m);
  }
  for (const r of term.matchFields ?? []) {
    // metadata.name is the only node field a selector may name.
    if (r.key !== 'metadata.name' || (r.operator !== 'In' && r.operator !== 'NotIn')) return NEVER;
    const m = requirementMatcher(r, (n) => n.name);
    if (!m) return NEVER;
    parts.push(m);
  }
  if (parts.length === 0) return NEVER;
  if (parts.length === 1) return parts[0] as NodeMatcher;
  return (n) => parts.every((p) => p(n));
}

/** Terms ORed; no terms at all matches no node (as Kubernetes treats an empty required list). */
export function compileTerms(terms: readonly NodeSelectorTerm[]): NodeMatcher {
  const compiled = terms.map(compileTerm);
  if (compiled.length === 1) return compiled[0] as NodeMatcher;
  return (n) => compiled.some((m) => m(n));
}

/** A nodeSelector map: every entry must equal the node's label. */
export function compileLabelMap(sel: Readonly<Record<string, string>>): NodeMatcher {
  const entries = Object.entries(sel);
  return (n) => entries.every(([k, v]) => n.labels[k] === v);
}

/**
 * The node names a set of terms can match at most, when every term pins names with a
 * `metadata.name In` field expression (DaemonSet pods do); undefined when any node might match.
 */
export function pinnedNodeNames(terms: readonly NodeSelectorTerm[]): Set<string> | undefined {
  const names = new Set<string>();
  for (const t of terms) {
    const pin = (t.matchFields ?? []).find((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (!pin) return undefined;
    for (const v of pin.values ?? []) names.add(v);
  }
  return terms.length > 0 ? names : undefined;
}
