// Stable hashes for ControllerRevision names and the `controller-revision-hash` label: FNV-1a
// (32-bit) over a canonical JSON form (object keys sorted at every level), so the same template
// always yields the same name whatever key order the API returned. The number is written in the
// vowel-free alphabet Kubernetes uses for generated suffixes, so names never spell words.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted at every level and `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** A deep copy whose objects list their keys in sorted order (as Go's encoding/json writes maps). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value === null || typeof value !== 'object') return value;
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src).sort()) {
    const v = src[k];
    if (v !== undefined) out[k] = sortKeys(v);
  }
  return out;
}

/** FNV-1a over the UTF-8 bytes of `s`, as an unsigned 32-bit number. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Renders a number's decimal digits in the safe alphabet (one character per digit). */
export function safeEncode(n: number): string {
  let out = '';
  for (const c of String(n)) out += ALPHABET[c.charCodeAt(0) % ALPHABET.length];
  return out;
}

/**
 * The hash of a value plus the owner's collision count: bumping the count after a name clash
 * gives a new name for the same content, as Kubernetes does.
 */
export function hashOf(value: unknown, collisionCount?: number): string {
  const body = canonicalJson(value) + (collisionCount !== undefined && collisionCount > 0 ? `#${collisionCount}` : '');
  return safeEncode(fnv1a32(body));
}
