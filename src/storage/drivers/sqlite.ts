// The embedded default store: one SQLite file through better-sqlite3, laid out as a log of
// revisions (see sqlite-sql.ts). better-sqlite3 is synchronous, so each verb runs start to finish
// without another one interleaving; with the database opened in exclusive locking mode this
// process is its only writer, which lets it own the revision counter and tell watchers about each
// write right after it commits instead of polling the table. Durability: WAL with
// synchronous=NORMAL by default. A commit has then been written to the WAL file (in the OS page
// cache) before the call returns, so an acknowledged write survives the process being killed; a
// power loss may lose the last commits but never corrupts the file. `synchronous: 'full'` adds an
// fsync per commit for machines where power loss matters more than write latency. Checkpoints
// (WAL → database file) run when writes pause, not inside a commit (sqlite-checkpointer.ts).
import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Backend, KeyValue, ListOptions, ListResult, WatchEvent, WatchOptions } from '../backend.js';
import {
  CompactedError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
} from '../errors.js';
import { compareKeys, prefixEnd } from '../keys.js';
import { WatchHub } from '../watch-hub.js';
import { WalCheckpointer } from './sqlite-checkpointer.js';
import { countSql, listSql, replaySql, SCHEMA, SCHEMA_VERSION, SQL } from './sqlite-sql.js';
import type { KeyValueRow, LogRow, RangeShape, ReplayRow } from './sqlite-sql.js';

export interface SqliteOptions {
  /** Path of the database file; its directory is created if missing. */
  path: string;
  /** 'normal' (default) survives a killed process; 'full' also survives power loss, slower. */
  synchronous?: 'normal' | 'full';
  /** Checkpoint the WAL once writes pause this long (default 100 ms). */
  checkpointIdleMs?: number;
  /** Checkpoint even during writes once the WAL is this large (default 64 MiB). */
  walLimitBytes?: number;
}

const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

interface Range {
  shape: RangeShape;
  low: string;
  high: string | undefined;
}

type Statement = Database.Statement<unknown[], unknown>;

export class SqliteBackend implements Backend {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();
  private readonly hub = new WatchHub();
  /** Runs a function in BEGIN/COMMIT (ROLLBACK if it throws); built once, reused by every write. */
  private readonly transaction: (fn: () => number) => number;
  private readonly checkpointer: WalCheckpointer | undefined;
  private revision: number;
  private compacted: number;

  constructor(opts: SqliteOptions) {
    mkdirSync(dirname(opts.path), { recursive: true });
    // A store in use by another process stays locked for that process's lifetime; waiting longer
    // than a restarting server needs to let go only delays the error.
    this.db = new Database(opts.path, { timeout: 1000 });
    try {
      // Exclusive locking is set before WAL so that SQLite keeps the WAL index in process memory
      // and holds the file lock for the lifetime of the connection: a second tug server on the
      // same file fails here instead of writing revisions this process does not know about.
      this.db.pragma('locking_mode = EXCLUSIVE');
      const mode = this.db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal' && !this.db.memory) throw new Error(`sqlite refused WAL mode (got ${String(mode)})`);
      this.db.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      // After a burst of writes, let a checkpoint shrink the WAL file back instead of keeping it.
      this.db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
      // Checkpoints are this driver's job (below), never a commit's.
      this.db.pragma('wal_autocheckpoint = 0');
      this.migrate();
    } catch (err) {
      this.db.close();
      throw new Error(`cannot open sqlite store ${opts.path} (is another process using it?)`, { cause: err });
    }
    this.transaction = this.db.transaction((fn: () => number) => fn());
    this.revision = this.scalar<{ seq: number }>(SQL.currentRevision)?.seq ?? 0;
    this.compacted = this.scalar<{ value: number }>(SQL.compactRevision)?.value ?? 0;
    if (!this.db.memory) {
      const wal = `${opts.path}-wal`;
      this.checkpointer = new WalCheckpointer({
        checkpoint: () => void this.db.pragma('wal_checkpoint(PASSIVE)'),
        walBytes: () => statSync(wal, { throwIfNoEntry: false })?.size ?? 0,
        idleMs: opts.checkpointIdleMs ?? 100,
        walLimitBytes: opts.walLimitBytes ?? WAL_LIMIT_BYTES,
        onError: (err) => process.emitWarning(new Error(`sqlite checkpoint of ${opts.path} failed; retrying`, { cause: err })),
      });
    }
  }

  async currentRevision(): Promise<number> {
    return this.revision;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const row = this.latest(key);
    return row && !row.deleted ? toKeyValue(row) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const revision = opts.revision ?? this.revision;
    this.checkReadable(revision);
    const range = rangeOf(prefix, opts.startAfter);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const rows = this.statement(`list:${shapeKey(range.shape)}`, () => listSql(range.shape)).all({
      low: range.low,
      high: range.high,
      rev: revision,
      limit: limit > 0 ? limit + 1 : -1,
    }) as KeyValueRow[];
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    return { items: rows, revision, more };
  }

  async count(prefix: string): Promise<number> {
    const range = rangeOf(prefix, undefined);
    const row = this.statement(`count:${shapeKey(range.shape)}`, () => countSql(range.shape)).get({
      low: range.low,
      high: range.high,
    }) as { n: number };
    return row.n;
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    const stored = Buffer.from(value);
    const revision = this.write(() => {
      const prev = this.latest(key);
      if (prev && !prev.deleted) throw new KeyExistsError(key);
      const prevRevision = prev?.id ?? 0;
      return this.insert({ name: key, created: 1, deleted: 0, createRevision: 0, prevRevision, value: stored });
    });
    const kv: KeyValue = { key, value: stored, createRevision: revision, modRevision: revision };
    this.hub.publish({ type: 'put', kv });
    return kv;
  }

  async update(key: string, value: Uint8Array, opts: { expectedRevision: number }): Promise<KeyValue> {
    const stored = Buffer.from(value);
    let prev: KeyValue | undefined;
    const revision = this.write(() => {
      const row = this.latest(key);
      if (!row || row.deleted) throw new KeyNotFoundError(key);
      prev = toKeyValue(row);
      if (row.id !== opts.expectedRevision) throw new RevisionMismatchError(key, prev);
      const { create_revision: createRevision } = row;
      return this.insert({ name: key, created: 0, deleted: 0, createRevision, prevRevision: row.id, value: stored });
    });
    const kv: KeyValue = { key, value: stored, createRevision: prev!.createRevision, modRevision: revision };
    this.hub.publish({ type: 'put', kv, prev: prev! });
    return kv;
  }

  async delete(key: string, opts: { expectedRevision?: number } = {}): Promise<KeyValue> {
    let last: LogRow | undefined;
    const revision = this.write(() => {
      const row = this.latest(key);
      if (!row || row.deleted) throw new KeyNotFoundError(key);
      last = row;
      if (opts.expectedRevision !== undefined && row.id !== opts.expectedRevision) {
        throw new RevisionMismatchError(key, toKeyValue(row));
      }
      const { create_revision: createRevision, value } = row;
      return this.insert({ name: key, created: 0, deleted: 1, createRevision, prevRevision: row.id, value });
    });
    const kv: KeyValue = { key, value: last!.value, createRevision: last!.create_revision, modRevision: revision };
    this.hub.publish({ type: 'delete', kv });
    return kv;
  }

  async watch(prefix: string, opts: WatchOptions): Promise<void> {
    if (opts.afterRevision < this.compacted) throw new CompactedError(opts.afterRevision, this.compacted);
    // Reading history and joining the hub happen in one synchronous step: no write can commit in
    // between, so the replay ends exactly where live events begin.
    const range = rangeOf(prefix, undefined);
    const rows = this.statement(`replay:${shapeKey(range.shape)}`, () => replaySql(range.shape)).all({
      after: opts.afterRevision,
      low: range.low,
      high: range.high,
    }) as ReplayRow[];
    this.hub.add(prefix, opts, rows.map(toEvent));
  }

  async compact(revision: number): Promise<void> {
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    if (revision <= this.compacted) return;
    this.db.transaction(() => {
      this.statement('compactSuperseded', () => SQL.compactSuperseded).run({ rev: revision });
      this.statement('compactDeletions', () => SQL.compactDeletions).run({ rev: revision });
      this.statement('setCompactRevision', () => SQL.setCompactRevision).run({ rev: revision });
    })();
    this.compacted = revision;
    this.checkpointer?.noteWrite();
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.checkpointer?.stop();
    this.hub.closeAll(new Error('storage backend closed'));
    this.db.close();
  }

  /** Runs one write transaction that inserts one row; bumps the revision only once it committed. */
  private write(fn: () => number): number {
    const revision = this.transaction(fn);
    this.revision = revision;
    this.checkpointer?.noteWrite();
    return revision;
  }

  private insert(row: {
    name: string;
    created: number;
    deleted: number;
    createRevision: number;
    prevRevision: number;
    value: Buffer;
  }): number {
    // This process is the only writer, so the next revision is known before inserting; a create
    // records it as its own createRevision without a second statement.
    const id = this.revision + 1;
    const createRevision = row.created ? id : row.createRevision;
    this.statement('insert', () => SQL.insert).run({ ...row, id, createRevision });
    return id;
  }

  private latest(key: string): LogRow | undefined {
    return this.statement('latest', () => SQL.latest).get(key) as LogRow | undefined;
  }

  private checkReadable(revision: number): void {
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    if (revision < this.compacted) throw new CompactedError(revision, this.compacted);
  }

  private statement(name: string, sql: () => string): Statement {
    let stmt = this.statements.get(name);
    if (!stmt) {
      stmt = this.db.prepare(sql());
      this.statements.set(name, stmt);
    }
    return stmt;
  }

  private scalar<T>(sql: string): T | undefined {
    return this.db.prepare(sql).get() as T | undefined;
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true });
    if (typeof version !== 'number' || version > SCHEMA_VERSION) {
      throw new Error(`sqlite store has schema version ${String(version)}, this build knows ${SCHEMA_VERSION}`);
    }
    if (version === SCHEMA_VERSION) return;
    this.db.transaction(() => {
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }
}

/** The name range a prefix (and optional startAfter) selects, as SQL bounds. */
function rangeOf(prefix: string, startAfter: string | undefined): Range {
  const high = prefixEnd(prefix);
  const exclusiveLow = startAfter !== undefined && compareKeys(startAfter, prefix) >= 0;
  return {
    shape: { exclusiveLow, bounded: high !== undefined },
    low: exclusiveLow ? (startAfter as string) : prefix,
    high,
  };
}

function shapeKey(shape: RangeShape): string {
  return `${shape.exclusiveLow ? 'gt' : 'ge'}-${shape.bounded ? 'bounded' : 'open'}`;
}

function toKeyValue(row: LogRow): KeyValue {
  return { key: row.name, value: row.value, createRevision: row.create_revision, modRevision: row.id };
}

function toEvent(row: ReplayRow): WatchEvent {
  const kv = toKeyValue(row);
  if (row.deleted) return { type: 'delete', kv };
  if (row.prev_id === null || row.prev_deleted !== 0) return { type: 'put', kv };
  const prev: KeyValue = {
    key: row.name,
    value: row.prev_value as Buffer,
    createRevision: row.prev_create_revision as number,
    modRevision: row.prev_id,
  };
  return { type: 'put', kv, prev };
}
