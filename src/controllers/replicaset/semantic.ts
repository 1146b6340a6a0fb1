// Equality "as Kubernetes' Go structs would see it" for JSON objects that went through different
// writers: missing, null, "", [] and {} are the same, key order does not matter, and 0 and false
// equal "missing" too, except under the keys a caller names (Go pointer fields such as
// runAsUser, where 0 is a real value and unset means something else). Used to skip status
// writes that change nothing and to compare pod templates that kubectl round-tripped through
// its own types (rollout undo), which drops zero values of non-pointer fields.
export interface SemanticOptions {
  /** Keys whose 0 and false values are kept (they differ from unset). */
  keepZero?: ReadonlySet<string>;
}

function normalize(v: unknown, o: SemanticOptions, key: string): unknown {
  if (v === null || v === undefined || v === '') return undefined;
  if ((v === false || v === 0) && !o.keepZero?.has(key)) return undefined;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    return v.map((x) => normalize(x, o, '') ?? null);
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normalize((v as Record<string, unknown>)[k], o, k);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v;
}

/** A canonical string for `v`: equal for semantically equal values. */
export function canonicalJson(v: unknown, o: SemanticOptions = {}): string {
  return JSON.stringify(normalize(v, o, '') ?? null);
}

export function semanticEqual(a: unknown, b: unknown, o: SemanticOptions = {}): boolean {
  return canonicalJson(a, o) === canonicalJson(b, o);
}

/** Kubernetes timestamps have one-second resolution. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
