// Whether one set of rules grants at least everything another set grants: the question behind
// escalation prevention (you may only hand out permissions you hold). Each requested rule is
// split into single verb × group × resource × name (or verb × URL) permissions and each must be
// allowed by some owned rule. A requested "*" is only covered by an owned "*": holding every
// resource known today is not holding all resources.
import type { PolicyRule } from '../../../api/rbac/v1/index.js';

interface Atom {
  verb: string;
  group?: string;
  resource?: string;
  name?: string;
  url?: string;
}

const has = (list: readonly string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === '*' || x === v);

function atoms(rule: PolicyRule): Atom[] {
  const out: Atom[] = [];
  for (const verb of rule.verbs ?? []) {
    for (const url of rule.nonResourceURLs ?? []) out.push({ verb, url });
    for (const group of rule.apiGroups ?? [])
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) out.push({ verb, group, resource });
        else for (const name of names) out.push({ verb, group, resource, name });
      }
  }
  return out;
}

function resourceCovered(owned: readonly string[] | undefined, wanted: string): boolean {
  const slash = wanted.indexOf('/');
  const sub = slash >= 0 ? wanted.slice(slash + 1) : undefined;
  const main = slash >= 0 ? wanted.slice(0, slash) : wanted;
  return (owned ?? []).some((r) => r === '*' || r === wanted || (sub !== undefined && (r === `${main}/*` || (r === `*/${sub}` && sub !== '*'))));
}

function atomCovered(rule: PolicyRule, a: Atom): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.url !== undefined) {
    const url = a.url;
    return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1))));
  }
  if (!has(rule.apiGroups, a.group ?? '') || !resourceCovered(rule.resources, a.resource ?? '')) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (a.name !== undefined && names.includes(a.name));
}

const list = (label: string, v: readonly string[] | undefined): string[] => (v && v.length ? [`${label}:[${v.map((s) => JSON.stringify(s)).join(', ')}]`] : []);

/** A rule in Kubernetes' compact form, as escalation errors print the missing permissions. */
export function compactRule(r: PolicyRule): string {
  return `{${[...list('APIGroups', r.apiGroups), ...list('Resources', r.resources), ...list('ResourceNames', r.resourceNames), ...list('NonResourceURLs', r.nonResourceURLs), ...list('Verbs', r.verbs)].join(', ')}}`;
}

/** The requested permissions no owned rule covers, one single-permission rule each. */
export function uncovered(owned: readonly PolicyRule[], requested: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of requested)
    for (const a of atoms(rule)) {
      if (owned.some((o) => atomCovered(o, a))) continue;
      missing.push(
        a.url !== undefined
          ? { verbs: [a.verb], nonResourceURLs: [a.url] }
          : { verbs: [a.verb], apiGroups: [a.group ?? ''], resources: [a.resource ?? ''], ...(a.name !== undefined ? { resourceNames: [a.name] } : {}) },
      );
    }
  return missing;
}
