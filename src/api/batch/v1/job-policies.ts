// The two rule sets a Job may carry besides its counters: the pod failure policy (which pod
// failures fail the Job, fail one index, are ignored or count against the backoff limit) and
// the success policy of Indexed Jobs (which succeeded indexes are enough). Schemas and their
// validation, split out of job-spec.ts to keep each file about one thing.
import { obj, str, int32, enumStr, list, type Static } from '../../schema.js';
import { checkFormat } from '../../validation/meta.js';
import { qualifiedName } from '../../validation/names.js';
import type { PodSpec } from '../../core/v1/pod-spec.js';
import { child, duplicate, index, invalid, notSupported, required, type FieldError } from '../../../lib/field-errors.js';

const P = 'io.k8s.api.batch.v1';

export const POD_FAILURE_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'] as const;
const EXIT_CODE_OPERATORS = ['In', 'NotIn'] as const;
const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

const MAX_RULES = 20;
const MAX_EXIT_CODES = 255;
const MAX_CONDITION_PATTERNS = 20;

export const PodFailurePolicyOnExitCodesRequirement = obj(
  'Matches a failed pod by the exit codes of its terminated containers.',
  {
    containerName: str('Only look at this container (or init container); all containers when unset.'),
    operator: enumStr('In: some container exited with one of the values; NotIn: some container exited with a code not listed.', EXIT_CODE_OPERATORS),
    values: list('Exit codes, in increasing order without repeats; 0 is not allowed with In.', int32('Exit code.'), { listType: 'set' }),
  },
  { id: `${P}.PodFailurePolicyOnExitCodesRequirement`, required: ['operator', 'values'] },
);

export const PodFailurePolicyOnPodConditionsPattern = obj(
  'Matches a failed pod by one of its conditions.',
  {
    type: str('Condition type to look for, e.g. DisruptionTarget.'),
    status: enumStr('Condition status to look for; defaults to True.', CONDITION_STATUSES),
  },
  { id: `${P}.PodFailurePolicyOnPodConditionsPattern`, required: ['type'] },
);

export const PodFailurePolicyRule = obj(
  'What to do with a failed pod that matches this rule; exactly one of onExitCodes and onPodConditions is set.',
  {
    action: enumStr(
      'FailJob fails the whole Job; FailIndex fails only the pod\'s index; Ignore does not count the failure; Count counts it against the backoff limit.',
      POD_FAILURE_ACTIONS,
    ),
    onExitCodes: PodFailurePolicyOnExitCodesRequirement,
    onPodConditions: list('Matches if any of these pod conditions is present.', PodFailurePolicyOnPodConditionsPattern, { listType: 'atomic' }),
  },
  { id: `${P}.PodFailurePolicyRule`, required: ['action'] },
);

export const PodFailurePolicy = obj(
  'Decides how pod failures affect the Job. Rules are checked in order and the first match wins; failures that match none count against the backoff limit.',
  { rules: list('At most 20 rules.', PodFailurePolicyRule, { listType: 'atomic' }) },
  { id: `${P}.PodFailurePolicy`, required: ['rules'] },
);
export type PodFailurePolicy = Static<typeof PodFailurePolicy>;

export const SuccessPolicyRule = obj(
  'A set of indexes and/or a count of succeeded indexes that is enough for the Job to succeed.',
  {
    succeededIndexes: str('Indexes that must all succeed, as intervals such as "0,2-4,7"; all indexes count when unset.'),
    succeededCount: int32('How many of the (selected) indexes must succeed.'),
  },
  { id: `${P}.SuccessPolicyRule` },
);

export const SuccessPolicy = obj(
  'Lets an Indexed Job succeed before every index has: the Job succeeds as soon as any rule is met, and remaining pods are stopped.',
  { rules: list('At most 20 rules, checked in order.', SuccessPolicyRule, { listType: 'atomic' }) },
  { id: `${P}.SuccessPolicy`, required: ['rules'] },
);
export type SuccessPolicy = Static<typeof SuccessPolicy>;

const tooMany = (field: string, count: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  value: count,
  detail: `must have at most ${max} items`,
});

function containerNames(pod: PodSpec | undefined): Set<string> {
  return new Set([...(pod?.containers ?? []), ...(pod?.initContainers ?? [])].map((c) => c.name));
}

function validateExitCodes(req: NonNullable<Static<typeof PodFailurePolicyRule>['onExitCodes']>, path: string, names: Set<string>): FieldError[] {
  const out: FieldError[] = [];
  if (req.containerName !== undefined && !names.has(req.containerName)) {
    out.push(invalid(child(path, 'containerName'), req.containerName, 'must be one of the container or initContainer names in the pod template'));
  }
  if (!EXIT_CODE_OPERATORS.includes(req.operator)) out.push(notSupported(child(path, 'operator'), req.operator, EXIT_CODE_OPERATORS));
  const vp = child(path, 'values');
  const values = req.values ?? [];
  if (values.length === 0) out.push(invalid(vp, values, 'at least one value is required'));
  if (values.length > MAX_EXIT_CODES) out.push(tooMany(vp, values.length, MAX_EXIT_CODES));
  const seen = new Set<number>();
  values.forEach((v, i) => {
    const p = index(vp, i);
    if (seen.has(v)) out.push(duplicate(p, v));
    if (req.operator === 'In' && v === 0) out.push(invalid(p, v, 'must not be 0 for the In operator'));
    const prev = values[i - 1];
    if (prev !== undefined && prev > v) out.push(invalid(p, v, 'must be ordered'));
    seen.add(v);
  });
  return out;
}

/** `ctx` gives what the rules depend on: the pod's containers and whether per-index backoff is on. */
export function validatePodFailurePolicy(
  policy: PodFailurePolicy,
  ctx: { path: string; pod: PodSpec | undefined; backoffLimitPerIndex: number | undefined },
): FieldError[] {
  const out: FieldError[] = [];
  const rulesPath = child(ctx.path, 'rules');
  const rules = policy.rules ?? [];
  if (rules.length > MAX_RULES) out.push(tooMany(rulesPath, rules.length, MAX_RULES));
  const names = containerNames(ctx.pod);
  rules.forEach((rule, i) => {
    const rp = index(rulesPath, i);
    if (!POD_FAILURE_ACTIONS.includes(rule.action)) out.push(notSupported(child(rp, 'action'), rule.action, POD_FAILURE_ACTIONS));
    else if (rule.action === 'FailIndex' && ctx.backoffLimitPerIndex === undefined) {
      out.push(invalid(child(rp, 'action'), rule.action, 'requires the backoffLimitPerIndex to be set'));
    }
    const conditions = rule.onPodConditions ?? [];
    const hasConditions = rule.onPodConditions !== undefined;
    if (rule.onExitCodes && hasConditions) {
      out.push(invalid(rp, rule, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    } else if (!rule.onExitCodes && !hasConditions) {
      out.push(invalid(rp, rule, 'specifying one of OnExitCodes and OnPodConditions is required'));
    }
    if (rule.onExitCodes) out.push(...validateExitCodes(rule.onExitCodes, child(rp, 'onExitCodes'), names));
    const cp = child(rp, 'onPodConditions');
    if (conditions.length > MAX_CONDITION_PATTERNS) out.push(tooMany(cp, conditions.length, MAX_CONDITION_PATTERNS));
    conditions.forEach((c, j) => {
      const pp = index(cp, j);
      if (!c.type) out.push(required(child(pp, 'type'), ''));
      else out.push(...checkFormat(child(pp, 'type'), c.type, qualifiedName));
      if (c.status !== undefined && !CONDITION_STATUSES.includes(c.status)) out.push(notSupported(child(pp, 'status'), c.status, CONDITION_STATUSES));
    });
  });
  return out;
}

/** Counts the indexes in an interval list like "0,2-4"; returns an error message when malformed. */
export function countIndexes(text: string, completions: number): number | string {
  if (text === '') return 0;
  let total = 0;
  let last = -1;
  for (const interval of text.split(',')) {
    const bounds = interval.split('-');
    if (bounds.length > 2) return `the fragment "${interval}" violates the requirement that an index interval can have at most two parts separated by '-'`;
    const nums: number[] = [];
    for (const b of bounds) {
      if (!/^\d+$/.test(b)) return `cannot convert string to integer for index: "${b}"`;
      const n = Number(b);
      if (n >= completions) return `too large index: "${b}"`;
      nums.push(n);
    }
    const lo = nums[0] ?? 0;
    const hi = nums[1] ?? lo;
    if (lo <= last) return `non-increasing order, previous: ${last}, current: ${lo}`;
    if (nums.length === 2 && hi <= lo) return `non-increasing order, previous: ${lo}, current: ${hi}`;
    total += hi - lo + 1;
    last = hi;
  }
  return total;
}

export function validateSuccessPolicy(policy: SuccessPolicy, ctx: { path: string; completions: number | undefined }): FieldError[] {
  const out: FieldError[] = [];
  const rulesPath = child(ctx.path, 'rules');
  const rules = policy.rules ?? [];
  if (rules.length === 0) out.push(required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_RULES) out.push(tooMany(rulesPath, rules.length, MAX_RULES));
  const completions = ctx.completions ?? 0;
  rules.forEach((rule, i) => {
    const rp = index(rulesPath, i);
    if (rule.succeededIndexes === undefined && rule.succeededCount === undefined) {
      out.push(required(rp, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    let selected = completions;
    if (rule.succeededIndexes !== undefined) {
      const counted = countIndexes(rule.succeededIndexes, completions);
      if (typeof counted === 'string') out.push(invalid(child(rp, 'succeededIndexes'), rule.succeededIndexes, `error parsing succeededIndexes: ${counted}`));
      else selected = counted;
    }
    if (rule.succeededCount !== undefined) {
      const cp = child(rp, 'succeededCount');
      if (rule.succeededCount < 0) out.push(invalid(cp, rule.succeededCount, 'must be greater than or equal to 0'));
      else if (rule.succeededCount > completions) out.push(invalid(cp, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
      else if (rule.succeededCount > selected) {
        out.push(invalid(cp, rule.succeededCount, `must be less than or equal to ${selected} (the number of indexes in the specified succeededIndexes field)`));
      }
    }
  });
  return out;
}
