// Fan-out of committed writes to watchers, for the drivers that are the only writer of their data
// (memory and sqlite): they publish each event right after it commits, so a watcher that first
// replayed history from the store and then joined the hub sees every revision exactly once. Events
// go through one queue so that a watcher which writes from inside its own callback cannot make
// another watcher see revisions out of order; each watcher also remembers the last revision it
// was given, which drops the overlap between its replay and events still queued.
import type { WatchEvent, WatchOptions } from './backend.js';

interface HubWatcher {
  prefix: string;
  lastRevision: number;
  opts: WatchOptions;
  stop(): void;
}

export class WatchHub {
  private readonly watchers = new Set<HubWatcher>();
  private readonly queue: WatchEvent[] = [];
  private draining = false;

  /**
   * Registers a watcher and hands it `replay` (the stored events after `opts.afterRevision`, in
   * order) before any event published later.
   */
  add(prefix: string, opts: WatchOptions, replay: WatchEvent[]): void {
    if (opts.signal.aborted) return;
    const onAbort = (): void => {
      this.watchers.delete(watcher);
    };
    const watcher: HubWatcher = {
      prefix,
      lastRevision: opts.afterRevision,
      opts,
      stop: () => {
        opts.signal.removeEventListener('abort', onAbort);
        this.watchers.delete(watcher);
      },
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    this.watchers.add(watcher);
    this.run(() => this.deliver(watcher, replay));
  }

  /** Queues one committed event for every matching watcher. */
  publish(event: WatchEvent): void {
    this.queue.push(event);
    this.run(() => undefined);
  }

  /** Ends every watch with `err` (the store is closing). */
  closeAll(err: Error): void {
    for (const watcher of [...this.watchers]) {
      watcher.stop();
      callSafely(() => watcher.opts.onError(err));
    }
  }

  /** Runs `first`, then drains the queue, unless a drain further up the stack will do both. */
  private run(first: () => void): void {
    if (this.draining) {
      first();
      return;
    }
    this.draining = true;
    try {
      first();
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        for (const watcher of [...this.watchers]) {
          if (event.kv.key.startsWith(watcher.prefix)) this.deliver(watcher, [event]);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private deliver(watcher: HubWatcher, events: WatchEvent[]): void {
    if (!this.watchers.has(watcher)) return;
    const fresh = events.filter((e) => e.kv.modRevision > watcher.lastRevision);
    if (fresh.length === 0) return;
    watcher.lastRevision = (fresh[fresh.length - 1] as WatchEvent).kv.modRevision;
    try {
      watcher.opts.onEvents(fresh);
    } catch (err) {
      // A failing consumer must not fail the write that triggered it (that write has committed);
      // its watch ends instead, and it hears why.
      watcher.stop();
      const error = err instanceof Error ? err : new Error(String(err));
      callSafely(() => watcher.opts.onError(new Error('watch consumer threw', { cause: error })));
    }
  }
}

function callSafely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Nothing sensible is left to tell a consumer whose error handler itself throws.
  }
}
