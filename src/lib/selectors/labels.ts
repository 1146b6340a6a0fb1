// Label selectors: a list of requirements (`app=web`, `tier in (a,b)`, `!canary`) that must all
// hold for an object's labels. Controllers, the watch cache and list filtering all share this one
// matcher, built either from the string syntax (label-parser.ts) or from a metav1 LabelSelector
// object, so a selector means the same thing wherever it came from.
import { badRequest } from '../errors.js';
import { invalidValue, labelKeyProblems, labelValueProblems } from './validation.js';

/** `exists` and `!` take no values; `=`, `==`, `!=`, `gt`, `lt` take one; `in`/`notin` one or more. */
export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and without duplicates, so equal requirements print the same. */
  readonly values: readonly string[];
}

export interface Selector {
  /** Sorted by key; empty for both `everything()` and `nothing()`. */
  readonly requirements: readonly Requirement[];
  /** True when the selector restricts nothing. */
  readonly isEverything: boolean;
  matches(labels: Labels | undefined): boolean;
  /** The canonical string form, which parses back to an equal selector. */
  toString(): string;
}

/** The shape of a metav1 LabelSelector; declared here because src/lib imports nothing. */
export interface LabelSelectorObject {
  readonly matchLabels?: Readonly<Record<string, string>> | null;
  readonly matchExpressions?: ReadonlyArray<{
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[] | null;
  }> | null;
}

const INTEGER = /^[+-]?\d+$/;

/** Problems with a requirement, worded as Kubernetes words them; empty when it is valid. */
export function requirementProblems(key: string, operator: LabelOperator, values: readonly string[]): string[] {
  const out: string[] = [];
  const keyProblems = labelKeyProblems(key);
  if (keyProblems.length > 0) out.push(invalidValue('key', key, keyProblems));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) out.push(`values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) out.push(`values: Invalid value: [${values.join(' ')}]: exact-match compatibility requires one single value`);
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) out.push(`values: Invalid value: [${values.join(' ')}]: values set must be empty for exists and does not exist`);
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) out.push(`values: Invalid value: [${values.join(' ')}]: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (!INTEGER.test(v)) out.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
  }
  values.forEach((v, i) => {
    const p = labelValueProblems(v);
    if (p.length > 0) out.push(invalidValue(`values[${i}][${key}]`, v, p));
  });
  return out;
}

/** Joins several problems the way a Go error aggregate prints them. */
export const aggregate = (problems: readonly string[]): string =>
  problems.length === 1 ? (problems[0] ?? '') : `[${problems.join(', ')}]`;

/** A validated requirement; throws a BadRequest StatusError naming what is wrong. */
export function requirement(key: string, operator: LabelOperator, values: readonly string[] = []): Requirement {
  const sorted = [...new Set(values)].sort();
  const problems = requirementProblems(key, operator, sorted);
  if (problems.length > 0) throw badRequest(aggregate(problems));
  return { key, operator, values: sorted };
}

function requirementString(r: Requirement): string {
  const v = r.values;
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
      return `${r.key} in (${v.join(',')})`;
    case 'notin':
      return `${r.key} notin (${v.join(',')})`;
    case 'gt':
      return `${r.key}>${v[0] ?? ''}`;
    case 'lt':
      return `${r.key}<${v[0] ?? ''}`;
    default:
      return `${r.key}${r.operator}${v[0] ?? ''}`;
  }
}

function integer(v: string | undefined): bigint | undefined {
  return v !== undefined && INTEGER.test(v) ? BigInt(v) : undefined;
}

function requirementMatches(r: Requirement, values: ReadonlySet<string>, labels: Labels | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return value !== undefined && values.has(value);
    case '!=':
    case 'notin':
      return value === undefined || !values.has(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const got = integer(value);
      const want = integer(r.values[0]);
      if (got === undefined || want === undefined) return false;
      return r.operator === 'gt' ? got > want : got < want;
    }
  }
}

class RequirementsSelector implements Selector {
  readonly requirements: readonly Requirement[];
  private readonly valueSets: ReadonlySet<string>[];

  constructor(reqs: readonly Requirement[]) {
    // Sorting by key (stably) gives one canonical order whatever order the input came in.
    this.requirements = [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.valueSets = this.requirements.map((r) => new Set(r.values));
  }

  get isEverything(): boolean {
    return this.requirements.length === 0;
  }

  matches(labels: Labels | undefined): boolean {
    return this.requirements.every((r, i) => requirementMatches(r, this.valueSets[i] ?? new Set(), labels));
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

const NOTHING: Selector = {
  requirements: [],
  isEverything: false,
  matches: () => false,
  toString: () => '',
};

const EVERYTHING: Selector = new RequirementsSelector([]);

/** Matches every object. */
export const everything = (): Selector => EVERYTHING;

/** Matches no object (what a missing selector means to a workload controller). */
export const nothing = (): Selector => NOTHING;

/** A selector from already-validated requirements (see `requirement`). */
export const selectorFromRequirements = (reqs: readonly Requirement[]): Selector => new RequirementsSelector(reqs);

/**
 * `key=value` for every entry (a Service's `spec.selector`, a node selector). An empty or
 * missing set matches everything; the entries are trusted to have passed object validation.
 */
export function selectorFromSet(set: Readonly<Record<string, string>> | null | undefined): Selector {
  if (!set) return EVERYTHING;
  return new RequirementsSelector(Object.entries(set).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })));
}

const OBJECT_OPERATORS: Record<string, LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

function fromObject(sel: LabelSelectorObject): Selector {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) reqs.push(requirement(key, '=', [value]));
  for (const expr of sel.matchExpressions ?? []) {
    const op = OBJECT_OPERATORS[expr.operator];
    if (op === undefined) throw badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push(requirement(expr.key, op, expr.values ?? []));
  }
  return new RequirementsSelector(reqs);
}

/**
 * A metav1 LabelSelector as a matcher, with Kubernetes' meaning: a null or missing selector
 * matches nothing, an empty one (`{}`) matches everything. Use this for workload selectors
 * (ReplicaSet, Deployment, Job, ...). Throws BadRequest on an invalid selector.
 */
export function labelSelectorAsSelector(sel: LabelSelectorObject | null | undefined): Selector {
  return sel ? fromObject(sel) : NOTHING;
}

/**
 * Like `labelSelectorAsSelector`, but a null or missing selector matches everything: for
 * optional filters where leaving the selector out means "no restriction".
 */
export function labelSelectorOrEverything(sel: LabelSelectorObject | null | undefined): Selector {
  return sel ? fromObject(sel) : EVERYTHING;
}

/** Kubernetes' printed form of a LabelSelector object: `<none>` when it selects everything. */
export function formatLabelSelector(sel: LabelSelectorObject | null | undefined): string {
  let s: string;
  try {
    s = labelSelectorAsSelector(sel).toString();
  } catch {
    return '<error>';
  }
  return s === '' ? '<none>' : s;
}

/** Kubernetes' printed form of a label map: sorted `k=v` pairs, or `<none>`. */
export function formatLabels(set: Readonly<Record<string, string>> | null | undefined): string {
  const s = selectorFromSet(set).toString();
  return s === '' ? '<none>' : s;
}
