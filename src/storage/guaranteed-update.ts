// The read-modify-write loop every update of a stored object needs: read the current value,
// compute the new one, write it only if nobody wrote in between, and on a conflict start over
// from the value that won. Callers (the apiserver's registry) express only the change.
import type { Backend, KeyValue } from './backend.js';
import { KeyNotFoundError, RevisionMismatchError } from './errors.js';

/**
 * Computes the new value from the current one. It may run several times, once per conflict, so
 * it must not have side effects; it may throw to abort the update (the error propagates).
 */
export type UpdateFn = (current: KeyValue) => Uint8Array | Promise<Uint8Array>;

/**
 * Updates `key` with `fn`, retrying on RevisionMismatchError until a write succeeds; throws
 * KeyNotFoundError if the key is missing (or is deleted meanwhile). When `fn` returns the very
 * bytes already stored, nothing is written and the current value is returned, as Kubernetes does
 * for no-op updates (the revision does not move, so watchers see no event).
 */
export async function guaranteedUpdate(backend: Backend, key: string, fn: UpdateFn): Promise<KeyValue> {
  let current = await backend.get(key);
  for (;;) {
    if (!current) throw new KeyNotFoundError(key);
    const next = await fn(current);
    if (sameBytes(next, current.value)) return current;
    try {
      return await backend.update(key, next, { expectedRevision: current.modRevision });
    } catch (err) {
      // Every conflict means another write succeeded, so this loop cannot spin without progress.
      if (!(err instanceof RevisionMismatchError)) throw err;
      current = err.current;
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
