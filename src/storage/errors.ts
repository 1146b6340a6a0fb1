// Storage's own few errors, defined in one place. The apiserver translates them into
// Kubernetes Status errors at its boundary (KeyExists → AlreadyExists, RevisionMismatch →
// Conflict, Compacted → 410 Expired); storage never speaks HTTP.
import type { KeyValue } from './backend.js';

export class KeyExistsError extends Error {
  constructor(readonly key: string) {
    super(`key already exists: ${key}`);
    this.name = 'KeyExistsError';
  }
}

export class KeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
    this.name = 'KeyNotFoundError';
  }
}

export class RevisionMismatchError extends Error {
  constructor(
    readonly key: string,
    readonly current: KeyValue,
  ) {
    super(`revision mismatch for ${key}: now at ${current.modRevision}`);
    this.name = 'RevisionMismatchError';
  }
}

export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`required revision ${requested} has been compacted (compacted at ${compacted})`);
    this.name = 'CompactedError';
  }
}

/** A revision newer than the store has seen: a client asking for the future. */
export class FutureRevisionError extends Error {
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super(`required revision ${requested} is a future revision (current ${current})`);
    this.name = 'FutureRevisionError';
  }
}
