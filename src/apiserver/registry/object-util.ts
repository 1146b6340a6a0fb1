// Small helpers the registry shares: Kubernetes timestamps (RFC 3339, whole seconds), the random
// suffix of generateName, and "the spec" of an object (all
// top-level fields except metadata and status, which is what bumps metadata.generation).
import { randomInt } from 'node:crypto';
import type { ApiObject } from '../../api/kind.js';

export { sameJson } from '../../lib/json.js';

export const nowTimestamp = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

// Consonants and digits that cannot spell words, as Kubernetes picks them.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const generateNameSuffix = (): string => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** Everything that is neither metadata nor status. */
export function spec(obj: ApiObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}
