// The storage contract the apiserver depends on: a revisioned key-value store with etcd
// semantics. Every write bumps one global revision; each key remembers the revision that created
// it and the one that last modified it; history since the last compaction can be listed at a past
// revision and replayed to watchers. Drivers (sqlite, etcd, memory) implement this interface and
// all run the one conformance suite in conformance.ts.

export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision of the write that created this key (since its last deletion). */
  createRevision: number;
  /** Revision of the write that produced this value. */
  modRevision: number;
}

export interface ListOptions {
  /** At most this many items; `more` tells whether there were others. 0 or absent: no limit. */
  limit?: number;
  /** Continue a paged list: only keys strictly greater than this one. */
  startAfter?: string;
  /** Read the state as of this revision (must not be compacted); absent: the current state. */
  revision?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when `limit` cut the list short. */
  more: boolean;
}

export type WatchEvent =
  | { type: 'put'; kv: KeyValue; prev?: KeyValue }
  /** `kv.modRevision` is the revision of the deletion; `kv.value` the last value before it. */
  | { type: 'delete'; kv: KeyValue };

export interface WatchOptions {
  /** Deliver every event with a revision strictly greater than this one, history first. */
  afterRevision: number;
  signal: AbortSignal;
  /** Called with events in revision order; one call may carry several events. */
  onEvents(events: WatchEvent[]): void;
  /** Called once if the watch ends for a reason other than the signal (the watch is then over). */
  onError(err: Error): void;
}

export interface Backend {
  /** The revision of the newest write (0 for an empty store). */
  currentRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<number>;
  /** Create if absent; throws KeyExistsError otherwise. */
  create(key: string, value: Uint8Array): Promise<KeyValue>;
  /** Compare-and-swap on modRevision; throws KeyNotFoundError or RevisionMismatchError (with the current value). */
  update(key: string, value: Uint8Array, opts: { expectedRevision: number }): Promise<KeyValue>;
  /**
   * Delete, optionally only if modRevision matches. Returns the deleted value with
   * modRevision set to the revision of the deletion.
   */
  delete(key: string, opts?: { expectedRevision?: number }): Promise<KeyValue>;
  /**
   * Start a watch. Resolves once it is established; rejects with CompactedError when
   * afterRevision is older than the compacted revision.
   */
  watch(prefix: string, opts: WatchOptions): Promise<void>;
  /** Forget history at and below this revision (current values are kept). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
