// The etcd driver: the Backend verbs mapped onto etcd v3 through the `etcd3` package's KV client.
// Etcd already has the contract's semantics (one global revision, create/mod revisions per key,
// reads at a past revision, watch from a revision, compaction), so each verb is one request:
// conditional writes are transactions comparing the key's create or mod revision, and a failed
// comparison reads the current value in the same transaction to report it. An optional key
// prefix lets several stores (for example parallel tests) share one etcd; revisions and
// compaction stay global to the etcd cluster.
import { CompareResult, CompareTarget, Etcd3 } from 'etcd3';
import type { ICompare, IKeyValue, IRangeRequest, IRangeResponse } from 'etcd3';
import type { Backend, KeyValue, ListOptions, ListResult, WatchOptions } from '../backend.js';
import {
  CompactedError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
} from '../errors.js';
import { compareKeys, prefixEndBytes } from '../keys.js';
import { compactedRevision, startWatch } from './etcd-watch.js';

export interface EtcdOptions {
  /** host:port or http://host:port of one or more members. */
  endpoints: string[];
  /** Prepended to every key in etcd and stripped from keys read back; default none. */
  keyPrefix?: string;
}

/** Etcd rejects an empty key; a single zero byte is the smallest key there is. */
const SMALLEST_KEY = Buffer.from([0]);

export class EtcdBackend implements Backend {
  private readonly client: Etcd3;
  private readonly keyPrefix: string;
  /** Open watches: how to stop each, and whom to tell when close() ends it. */
  private readonly watches = new Map<AbortController, (err: Error) => void>();
  private closed = false;

  constructor(opts: EtcdOptions) {
    this.keyPrefix = opts.keyPrefix ?? '';
    this.client = new Etcd3({
      hosts: opts.endpoints,
      // Keepalives notice a member that vanished without closing its connections, so a watch on
      // it ends with an error instead of waiting forever. Etcd allows pings every 5 s or slower.
      grpcOptions: { 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_timeout_ms': 10_000 },
    });
  }

  async currentRevision(): Promise<number> {
    const res = await this.client.kv.range({ key: this.encode(''), count_only: true });
    return Number(res.header.revision);
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.client.kv.range({ key: this.encode(key) });
    const kv = res.kvs[0];
    return kv ? this.toKeyValue(kv) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const startAfter = opts.startAfter;
    const from = startAfter !== undefined && compareKeys(startAfter, prefix) >= 0 ? `${startAfter}\0` : prefix;
    const res = await this.range(
      { key: this.encode(from), range_end: this.prefixEnd(prefix), limit: Math.max(0, opts.limit ?? 0) },
      opts.revision,
    );
    return {
      items: res.kvs.map((kv) => this.toKeyValue(kv)),
      revision: opts.revision ?? Number(res.header.revision),
      more: res.more,
    };
  }

  async count(prefix: string): Promise<number> {
    const res = await this.client.kv.range({
      key: this.encode(prefix),
      range_end: this.prefixEnd(prefix),
      count_only: true,
    });
    return Number(res.count);
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    const k = this.encode(key);
    const res = await this.client.kv.txn({
      compare: [{ key: k, target: CompareTarget.Create, result: CompareResult.Equal, create_revision: 0 }],
      success: [{ request_put: { key: k, value: Buffer.from(value) } }],
    });
    if (!res.succeeded) throw new KeyExistsError(key);
    const revision = Number(res.header.revision);
    return { key, value: Uint8Array.from(value), createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: Uint8Array, opts: { expectedRevision: number }): Promise<KeyValue> {
    const k = this.encode(key);
    const res = await this.client.kv.txn({
      compare: [this.exists(k), this.modifiedAt(k, opts.expectedRevision)],
      success: [{ request_put: { key: k, value: Buffer.from(value), prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.conflict(key, res.responses[0]?.response_range);
    const prev = res.responses[0]?.response_put.prev_kv;
    if (!prev) throw new Error(`etcd did not return the previous value of ${key}`);
    return {
      key,
      value: Uint8Array.from(value),
      createRevision: Number(prev.create_revision),
      modRevision: Number(res.header.revision),
    };
  }

  async delete(key: string, opts: { expectedRevision?: number } = {}): Promise<KeyValue> {
    const k = this.encode(key);
    const compare: ICompare[] = [this.exists(k)];
    if (opts.expectedRevision !== undefined) {
      compare.push(this.modifiedAt(k, opts.expectedRevision));
    }
    const res = await this.client.kv.txn({
      compare,
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.conflict(key, res.responses[0]?.response_range);
    const last = res.responses[0]?.response_delete_range.prev_kvs[0];
    if (!last) throw new Error(`etcd did not return the deleted value of ${key}`);
    return { ...this.toKeyValue(last), modRevision: Number(res.header.revision) };
  }

  async watch(prefix: string, opts: WatchOptions): Promise<void> {
    // Etcd would accept a watch from a compacted revision and cancel it moments later; the
    // contract wants the refusal now, so first read at afterRevision (revision 0 would mean "now"
    // to etcd, hence at least 1). A future revision is fine: the watch waits for it.
    const probe = { key: this.encode(prefix), range_end: this.prefixEnd(prefix), count_only: true };
    try {
      await this.range(probe, Math.max(opts.afterRevision, 1));
    } catch (err) {
      if (!(err instanceof FutureRevisionError)) throw err;
    }
    // Each watch also listens to close(), so that closing the store ends it with an error.
    const closed = new AbortController();
    const both = AbortSignal.any([opts.signal, closed.signal]);
    this.watches.set(closed, opts.onError);
    both.addEventListener('abort', () => this.watches.delete(closed), { once: true });
    const range = {
      key: this.encode(prefix),
      rangeEnd: this.prefixEnd(prefix),
      afterRevision: opts.afterRevision,
      decodeKey: (key: Buffer) => this.decode(key),
    };
    try {
      await startWatch(this.client, range, {
        ...opts,
        signal: both,
        onError: (err) => {
          this.watches.delete(closed);
          opts.onError(err);
        },
      });
    } catch (err) {
      this.watches.delete(closed);
      throw err;
    }
    if (both.aborted) this.watches.delete(closed);
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.client.kv.compact({ revision, physical: true });
    } catch (err) {
      const mapped = await this.mapError(err, revision);
      if (mapped instanceof CompactedError) return; // already compacted at or past it
      throw mapped;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Closing is not the consumers' abort: they hear about it through onError.
    for (const [closed, onError] of [...this.watches]) {
      closed.abort();
      try {
        onError(new Error('storage backend closed'));
      } catch {
        // Nothing sensible is left to tell a consumer whose error handler itself throws.
      }
    }
    this.watches.clear();
    this.client.close();
  }

  /** A range read, optionally at a past revision, with etcd's revision errors translated. */
  private async range(req: IRangeRequest, revision: number | undefined): Promise<IRangeResponse> {
    try {
      return await this.client.kv.range({ ...req, revision: revision ?? 0 });
    } catch (err) {
      throw await this.mapError(err, revision ?? 0);
    }
  }

  /** Translates etcd's revision errors, which arrive only as messages, into storage errors. */
  private async mapError(err: unknown, requested: number): Promise<Error> {
    const message = err instanceof Error ? err.message : String(err);
    if (message.includes('required revision has been compacted')) {
      const compacted = await compactedRevision(this.client, this.encode('\0compaction-probe'));
      return new CompactedError(requested, compacted);
    }
    if (message.includes('required revision is a future revision')) {
      return new FutureRevisionError(requested, await this.currentRevision());
    }
    return err instanceof Error ? err : new Error(message);
  }

  private conflict(key: string, current: IRangeResponse | undefined): Error {
    const kv = current?.kvs[0];
    return kv ? new RevisionMismatchError(key, this.toKeyValue(kv)) : new KeyNotFoundError(key);
  }

  /** Compares true only while the key exists (a missing key has create revision 0). */
  private exists(key: Buffer): ICompare {
    return { key, target: CompareTarget.Create, result: CompareResult.Greater, create_revision: 0 };
  }

  /** Compares true only while the key's value is the one written at `revision`. */
  private modifiedAt(key: Buffer, revision: number): ICompare {
    return { key, target: CompareTarget.Mod, result: CompareResult.Equal, mod_revision: revision };
  }

  private encode(key: string): Buffer {
    const full = this.keyPrefix + key;
    return full.length === 0 ? SMALLEST_KEY : Buffer.from(full);
  }

  private decode(key: Buffer): string {
    return key.toString('utf8').slice(this.keyPrefix.length);
  }

  private prefixEnd(prefix: string): Buffer {
    return prefixEndBytes(Buffer.from(this.keyPrefix + prefix));
  }

  private toKeyValue(kv: IKeyValue): KeyValue {
    return {
      key: this.decode(kv.key),
      value: kv.value,
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
  }
}
