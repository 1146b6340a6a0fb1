// Validation of resource lists (requests, limits, overhead): resource names, that every quantity
// parses and is not negative, and that requests do not exceed limits. Shared by containers,
// pod-level resources and pod overhead.
import { child, key, index, invalid, required, duplicate, notSupported, type FieldError } from '../../../lib/field-errors.js';
import { parseQuantity, compareQuantities, QUANTITY_PATTERN, type Quantity } from '../../../lib/quantity.js';
import { qualifiedName } from '../../validation/names.js';
import { checkFormat } from '../../validation/meta.js';
import type { ResourceRequirements } from './container.js';

type ResourceMap = Record<string, string | number>;

const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** Parses one quantity at `path`, reporting Kubernetes' errors; undefined when it is unusable. */
export function checkQuantity(path: string, q: string | number, out: FieldError[]): Quantity | undefined {
  const parsed = parseQuantity(q);
  if (!parsed) {
    out.push(invalid(path, q, `quantities must match the regular expression '${QUANTITY_PATTERN}'`));
    return undefined;
  }
  if (parsed.value < 0) {
    out.push(invalid(path, q, 'must be greater than or equal to 0'));
    return undefined;
  }
  return parsed;
}

export interface ResourceNameRule {
  /** Names allowed without a domain prefix; others must be domain-qualified extended resources. */
  plain: ReadonlySet<string>;
  /** Allows `hugepages-<size>` names. */
  hugePages?: boolean;
}

function checkResourceName(path: string, name: string, rule: ResourceNameRule): FieldError[] {
  const format = checkFormat(path, name, qualifiedName);
  if (format.length > 0) return format;
  if (name.includes('/')) return [];
  if (rule.plain.has(name) || (rule.hugePages && name.startsWith('hugepages-'))) return [];
  return [invalid(path, name, 'must be a standard resource type or fully qualified')];
}

/** Validates a resource list and returns the parsed quantities by name. */
export function validateResourceList(m: ResourceMap | undefined, path: string, out: FieldError[], rule?: ResourceNameRule): Map<string, Quantity> {
  const parsed = new Map<string, Quantity>();
  for (const [name, q] of Object.entries(m ?? {})) {
    const p = key(path, name);
    if (rule) out.push(...checkResourceName(p, name, rule));
    const value = checkQuantity(p, q, out);
    if (value) parsed.set(name, value);
  }
  return parsed;
}

export interface ResourcesOptions {
  /** Names of the pod's resourceClaims, which container claims must refer to. */
  claimNames?: ReadonlySet<string>;
  /** Pod-level resources accept only cpu and memory. */
  podLevel?: boolean;
}

export function validateResourceRequirements(r: ResourceRequirements | undefined, path: string, opts: ResourcesOptions = {}): FieldError[] {
  const out: FieldError[] = [];
  if (!r) return out;
  const rule: ResourceNameRule = { plain: CONTAINER_RESOURCES, hugePages: true };
  const limitsPath = child(path, 'limits');
  const requestsPath = child(path, 'requests');
  if (opts.podLevel) {
    for (const [p, m] of [[limitsPath, r.limits], [requestsPath, r.requests]] as const) {
      for (const name of Object.keys(m ?? {})) {
        if (name !== 'cpu' && name !== 'memory') out.push(notSupported(key(p, name), name, ['cpu', 'memory']));
      }
    }
  }
  const limits = validateResourceList(r.limits, limitsPath, out, rule);
  const requests = validateResourceList(r.requests, requestsPath, out, rule);
  for (const [name, req] of requests) {
    const limit = limits.get(name);
    if (limit && compareQuantities(req, limit) > 0) {
      const limitText = String(r.limits?.[name]);
      out.push(invalid(key(requestsPath, name), r.requests?.[name], `must be less than or equal to ${name} limit of ${limitText}`));
    }
  }
  const seen = new Set<string>();
  (r.claims ?? []).forEach((c, i) => {
    const p = child(index(child(path, 'claims'), i), 'name');
    if (!c.name) out.push(required(p));
    else if (seen.has(`${c.name}/${c.request ?? ''}`)) out.push(duplicate(p, c.name));
    else if (opts.claimNames && !opts.claimNames.has(c.name))
      out.push(invalid(p, c.name, 'must be the name of an entry in pod.spec.resourceClaims'));
    seen.add(`${c.name}/${c.request ?? ''}`);
  });
  return out;
}
