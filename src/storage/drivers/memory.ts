// The in-memory driver: the same log-of-revisions model as the sqlite driver, kept in arrays and
// maps, for unit tests of the layers above storage and as the simplest reading of the Backend
// contract. Every write appends one row to the log and updates the map of current values; past
// revisions are answered by scanning the log, which is slow for big stores and fine for tests.
import type {
  Backend,
  KeyValue,
  ListOptions,
  ListResult,
  WatchEvent,
  WatchOptions,
} from '../backend.js';
import {
  CompactedError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
} from '../errors.js';
import { compareKeys } from '../keys.js';
import { WatchHub } from '../watch-hub.js';

/** One write: a put (create or update) or a deletion carrying the last value. */
interface Row {
  revision: number;
  key: string;
  value: Uint8Array;
  createRevision: number;
  /** The row this one replaced, 0 when the key did not exist before. */
  prevRevision: number;
  deleted: boolean;
}

export class MemoryBackend implements Backend {
  private log: Row[] = [];
  private readonly byRevision = new Map<number, Row>();
  private readonly current = new Map<string, Row>();
  private readonly hub = new WatchHub();
  private revision = 0;
  private compacted = 0;
  private closed = false;

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    const row = this.current.get(key);
    return row ? toKeyValue(row) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const revision = opts.revision ?? this.revision;
    this.checkReadable(revision);
    const rows = revision === this.revision ? [...this.current.values()] : this.stateAt(revision);
    const startAfter = opts.startAfter;
    const matching = rows
      .filter((r) => r.key.startsWith(prefix))
      .filter((r) => startAfter === undefined || compareKeys(r.key, startAfter) > 0)
      .sort((a, b) => compareKeys(a.key, b.key));
    const limit = opts.limit ?? 0;
    const more = limit > 0 && matching.length > limit;
    const items = (more ? matching.slice(0, limit) : matching).map(toKeyValue);
    return { items, revision, more };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    let n = 0;
    for (const key of this.current.keys()) if (key.startsWith(prefix)) n++;
    return n;
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    this.checkOpen();
    if (this.current.has(key)) throw new KeyExistsError(key);
    const revision = this.revision + 1;
    const row: Row = { revision, key, value: copy(value), createRevision: revision, prevRevision: 0, deleted: false };
    this.append(row);
    return toKeyValue(row);
  }

  async update(key: string, value: Uint8Array, opts: { expectedRevision: number }): Promise<KeyValue> {
    this.checkOpen();
    const prev = this.current.get(key);
    if (!prev) throw new KeyNotFoundError(key);
    if (prev.revision !== opts.expectedRevision) throw new RevisionMismatchError(key, toKeyValue(prev));
    const row: Row = {
      revision: this.revision + 1,
      key,
      value: copy(value),
      createRevision: prev.createRevision,
      prevRevision: prev.revision,
      deleted: false,
    };
    this.append(row);
    return toKeyValue(row);
  }

  async delete(key: string, opts: { expectedRevision?: number } = {}): Promise<KeyValue> {
    this.checkOpen();
    const prev = this.current.get(key);
    if (!prev) throw new KeyNotFoundError(key);
    if (opts.expectedRevision !== undefined && prev.revision !== opts.expectedRevision) {
      throw new RevisionMismatchError(key, toKeyValue(prev));
    }
    const row: Row = {
      revision: this.revision + 1,
      key,
      value: prev.value,
      createRevision: prev.createRevision,
      prevRevision: prev.revision,
      deleted: true,
    };
    this.append(row);
    return toKeyValue(row);
  }

  async watch(prefix: string, opts: WatchOptions): Promise<void> {
    this.checkOpen();
    if (opts.afterRevision < this.compacted) throw new CompactedError(opts.afterRevision, this.compacted);
    // Replay and registration happen in one synchronous step, so no write can fall between them.
    const replay = this.log
      .filter((r) => r.revision > opts.afterRevision && r.key.startsWith(prefix))
      .map((r) => this.toEvent(r));
    this.hub.add(prefix, opts, replay);
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    if (revision <= this.compacted) return;
    // Keep every row above the compact revision, and at or below it only the newest row of
    // each key, unless that row is a deletion (then the key simply did not exist at `revision`).
    const newestAtOrBelow = new Map<string, number>();
    for (const row of this.log) if (row.revision <= revision) newestAtOrBelow.set(row.key, row.revision);
    const kept: Row[] = [];
    for (const row of this.log) {
      if (row.revision > revision || (newestAtOrBelow.get(row.key) === row.revision && !row.deleted)) {
        kept.push(row);
      } else {
        this.byRevision.delete(row.revision);
      }
    }
    this.log = kept;
    this.compacted = revision;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll(new Error('storage backend closed'));
  }

  private append(row: Row): void {
    this.log.push(row);
    this.byRevision.set(row.revision, row);
    this.revision = row.revision;
    if (row.deleted) this.current.delete(row.key);
    else this.current.set(row.key, row);
    this.hub.publish(this.toEvent(row));
  }

  private toEvent(row: Row): WatchEvent {
    if (row.deleted) return { type: 'delete', kv: toKeyValue(row) };
    const prev = this.byRevision.get(row.prevRevision);
    return prev && !prev.deleted
      ? { type: 'put', kv: toKeyValue(row), prev: toKeyValue(prev) }
      : { type: 'put', kv: toKeyValue(row) };
  }

  /** Live rows as of `revision`: the newest row of each key at or below it, minus deletions. */
  private stateAt(revision: number): Row[] {
    const newest = new Map<string, Row>();
    for (const row of this.log) {
      if (row.revision > revision) break;
      newest.set(row.key, row);
    }
    return [...newest.values()].filter((r) => !r.deleted);
  }

  private checkReadable(revision: number): void {
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    if (revision < this.compacted) throw new CompactedError(revision, this.compacted);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('storage backend closed');
  }
}

function toKeyValue(row: Row): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.createRevision, modRevision: row.revision };
}

/** Callers may reuse their buffers; the store must not see later changes to them. */
function copy(value: Uint8Array): Uint8Array {
  return Uint8Array.from(value);
}
