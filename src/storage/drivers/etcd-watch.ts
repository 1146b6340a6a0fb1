// Watches for the etcd driver, on a gRPC Watch stream of their own. The etcd3 package's Watcher
// reconnects silently and drops the compact revision from a cancellation, while the Backend
// contract wants the opposite: a watch that ends tells its consumer why (CompactedError when etcd
// forgot the history it needed) and the consumer decides whether to resume. So each watch opens
// its own stream, and any error, cancellation or end of stream becomes one onError call.
import type { Etcd3, IEvent, IKeyValue, IWatchRequest, IWatchResponse, IDuplexStream } from 'etcd3';
import type { WatchEvent, WatchOptions } from '../backend.js';
import { CompactedError } from '../errors.js';

type WatchStream = IDuplexStream<IWatchRequest, IWatchResponse>;

export interface WatchRange {
  key: Buffer;
  rangeEnd: Buffer;
  afterRevision: number;
  /** Turns an etcd key back into a Backend key (strips the driver's key prefix). */
  decodeKey(key: Buffer): string;
}

/** Resolves once etcd confirmed the watch; events and the end of the watch go to `opts`. */
export async function startWatch(client: Etcd3, range: WatchRange, opts: WatchOptions): Promise<void> {
  if (opts.signal.aborted) return;
  const stream: WatchStream = await client.watchClient.watch();
  await new Promise<void>((resolve, reject) => {
    let established = false;
    let done = false;
    let lastRevision = range.afterRevision;

    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      opts.signal.removeEventListener('abort', onAbort);
      closeStream(stream);
      if (!established) {
        if (err) reject(err);
        else resolve();
      } else if (err) {
        try {
          opts.onError(err);
        } catch {
          // The consumer's error handler failed; there is no one left to tell.
        }
      }
    };
    const onAbort = (): void => finish();

    stream.on('data', (res: IWatchResponse) => {
      if (done) return;
      if (res.canceled) {
        const compacted = Number(res.compact_revision);
        finish(
          compacted > 0
            ? new CompactedError(lastRevision, compacted)
            : new Error(`etcd cancelled the watch: ${res.cancel_reason || 'no reason given'}`),
        );
        return;
      }
      if (res.created && !established) {
        established = true;
        resolve();
      }
      if (!res.events || res.events.length === 0) return; // creation or progress notice
      const events = res.events.map((e) => toWatchEvent(e, range.decodeKey));
      lastRevision = (events[events.length - 1] as WatchEvent).kv.modRevision;
      try {
        opts.onEvents(events);
      } catch (err) {
        finish(new Error('watch consumer threw', { cause: err }));
      }
    });
    stream.on('error', (err: Error) => finish(new Error('etcd watch failed', { cause: err })));
    stream.on('end', () => finish(new Error('etcd ended the watch stream')));
    opts.signal.addEventListener('abort', onAbort, { once: true });
    if (opts.signal.aborted) {
      finish(); // aborted while the stream was being opened
      return;
    }
    stream.write({
      create_request: {
        key: range.key,
        range_end: range.rangeEnd,
        start_revision: range.afterRevision + 1,
        prev_kv: true,
      },
    });
  });
}

/**
 * The revision etcd last compacted at, learned the only way etcd tells it: a watch from revision
 * 1 is cancelled with the compact revision. Only asked after etcd reported a compacted revision,
 * so the answer comes within etcd's watch sync interval; 0 if it does not come in time.
 */
export async function compactedRevision(client: Etcd3, key: Buffer, timeoutMs = 3000): Promise<number> {
  const stream: WatchStream = await client.watchClient.watch();
  return new Promise<number>((resolve) => {
    const finish = (revision: number): void => {
      clearTimeout(timer);
      closeStream(stream);
      resolve(revision);
    };
    const timer = setTimeout(() => finish(0), timeoutMs);
    stream.on('data', (res: IWatchResponse) => {
      if (res.canceled) finish(Number(res.compact_revision));
    });
    stream.on('error', () => finish(0));
    stream.on('end', () => finish(0));
    stream.write({ create_request: { key, start_revision: 1 } });
  });
}

/**
 * Ends a watch stream from our side. Half-closing first matters: etcd3's connection pool marks a
 * host failed when a stream that is still writable errors, and a cancelled call errors with
 * CANCELLED; three of those in a row would open its circuit breaker and fail every request.
 */
function closeStream(stream: WatchStream): void {
  stream.end();
  stream.cancel();
}

function toWatchEvent(event: IEvent, decodeKey: (key: Buffer) => string): WatchEvent {
  // etcd3 loads the protocol with enums as strings ('PUT', 'DELETE'), whatever its typings say.
  const isDelete = String(event.type).toUpperCase() === 'DELETE';
  // Absent message fields arrive as null, though typed as always present.
  const prev = event.prev_kv as IKeyValue | null | undefined;
  const key = decodeKey(event.kv.key);
  const modRevision = Number(event.kv.mod_revision);
  if (isDelete) {
    // etcd's delete event has no value; the previous key-value (asked for with prev_kv) has it.
    return {
      type: 'delete',
      kv: {
        key,
        value: prev?.value ?? new Uint8Array(0),
        createRevision: prev ? Number(prev.create_revision) : 0,
        modRevision,
      },
    };
  }
  const kv = { key, value: event.kv.value, createRevision: Number(event.kv.create_revision), modRevision };
  if (!prev) return { type: 'put', kv };
  const prevKv = {
    key,
    value: prev.value,
    createRevision: Number(prev.create_revision),
    modRevision: Number(prev.mod_revision),
  };
  return { type: 'put', kv, prev: prevKv };
}
