// Equality "as Kubernetes' Go structs would see it" for JSON objects that went through different
// writers: a missing field, null, zero, false, "", [] and {} are all the zero value, and key
// order does not matter. Used to skip status writes that change nothing and to compare pod
// templates that kubectl round-tripped through its own types (rollout undo).
export function normalize(v: unknown): unknown {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return undefined;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    return v.map((x) => normalize(x) ?? null);
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const n = normalize((v as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v;
}

/** A canonical string for `v`: equal for semantically equal values. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(normalize(v) ?? null);
}

export function semanticEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Kubernetes timestamps have one-second resolution. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
