// The watch cache: one storage watch on the whole registry feeds a ResourceCache per kind, so
// every list and watch the API serves comes from memory. It starts by listing every kind at one
// revision, then follows storage from there; if the storage watch breaks (etcd restart,
// compaction), all watchers are ended (clients re-list, as with Kubernetes) and the cache
// rebuilds itself.
import type { ApiObject, KindDef } from '../../api/kind.js';
import type { Backend, WatchEvent } from '../../storage/index.js';
import { StatusError } from '../../lib/errors.js';
import { fromStorage, withResourceVersion } from '../registry/codec.js';
import { kindPrefix, REGISTRY_ROOT } from '../registry/keys.js';
import { CachedObject, ResourceCache, type CacheEvent } from './resource-cache.js';

export interface WatchCacheOptions {
  /** Events kept per kind for watch resumption. */
  capacity?: number;
  /** Called when the storage watch fails and the cache rebuilds (for logging). */
  onRestart?(err: Error): void;
}

const PAGE = 1000;

export class WatchCache {
  private readonly caches = new Map<string, ResourceCache>();
  private revisionNow = 0;
  private waiters: { rev: number; resolve: () => void }[] = [];
  private readonly resets = new Set<() => void>();
  private readyResolve!: () => void;
  readonly ready: Promise<void> = new Promise((r) => (this.readyResolve = r));

  constructor(
    private readonly backend: Backend,
    kinds: readonly KindDef[],
    private readonly opts: WatchCacheOptions = {},
  ) {
    for (const k of kinds) this.caches.set(kindPrefix(k), new ResourceCache(k, opts.capacity));
  }

  /** The revision every cached resource is current up to. */
  get revision(): number {
    return this.revisionNow;
  }

  resource(kind: KindDef): ResourceCache {
    const c = this.caches.get(kindPrefix(kind));
    if (!c) throw new Error(`no cache for ${kind.plural}`);
    return c;
  }

  /** Called when a watcher must be told its stream ended because the cache was rebuilt. */
  onReset(fn: () => void): () => void {
    this.resets.add(fn);
    return () => this.resets.delete(fn);
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.load(signal);
    this.readyResolve();
  }

  private async load(signal: AbortSignal): Promise<void> {
    const rev = await this.backend.currentRevision();
    for (const [prefix, cache] of this.caches) {
      const objects: CachedObject[] = [];
      let startAfter: string | undefined;
      for (;;) {
        const page = await this.backend.list(prefix, { revision: rev, limit: PAGE, ...(startAfter ? { startAfter } : {}) });
        for (const kv of page.items) objects.push(new CachedObject(kv.key, fromStorage(kv), kv.modRevision));
        if (!page.more || page.items.length === 0) break;
        startAfter = page.items[page.items.length - 1]?.key;
      }
      cache.reset(objects, rev);
    }
    this.advance(rev);
    await this.backend.watch(REGISTRY_ROOT, {
      afterRevision: rev,
      signal,
      onEvents: (events) => this.applyAll(events),
      onError: (err) => this.restart(err, signal),
    });
  }

  private restart(err: Error, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.opts.onRestart?.(err);
    for (const fn of [...this.resets]) fn();
    const retry = (): void => {
      if (signal.aborted) return;
      this.load(signal).catch((e: unknown) => {
        this.opts.onRestart?.(e instanceof Error ? e : new Error(String(e)));
        setTimeout(retry, 1000).unref();
      });
    };
    retry();
  }

  private applyAll(events: WatchEvent[]): void {
    let last = this.revisionNow;
    for (const ev of events) {
      last = Math.max(last, ev.kv.modRevision);
      const cache = this.cacheFor(ev.kv.key);
      if (!cache) continue;
      cache.apply(this.toCacheEvent(cache, ev));
    }
    this.advance(last);
  }

  private cacheFor(key: string): ResourceCache | undefined {
    // `/registry/<group>/<plural>/...` → the kind prefix is the first three segments.
    const third = key.indexOf('/', key.indexOf('/', REGISTRY_ROOT.length) + 1);
    return third < 0 ? undefined : this.caches.get(key.slice(0, third + 1));
  }

  private toCacheEvent(cache: ResourceCache, ev: WatchEvent): CacheEvent {
    const prev = cache.get(ev.kv.key);
    if (ev.type === 'delete') {
      const last: ApiObject = prev ? prev.object : fromStorage(ev.kv);
      const obj = new CachedObject(ev.kv.key, withResourceVersion(last, ev.kv.modRevision), ev.kv.modRevision);
      return { type: 'DELETED', revision: ev.kv.modRevision, key: ev.kv.key, object: obj, prev };
    }
    const obj = new CachedObject(ev.kv.key, fromStorage(ev.kv), ev.kv.modRevision);
    return { type: prev ? 'MODIFIED' : 'ADDED', revision: ev.kv.modRevision, key: ev.kv.key, object: obj, prev };
  }

  private advance(rev: number): void {
    if (rev > this.revisionNow) this.revisionNow = rev;
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (w.rev <= this.revisionNow ? w.resolve() : still.push(w));
    this.waiters = still;
  }

  /** Waits until the cache has seen `rev`; 504 Timeout (as Kubernetes answers) if it does not come. */
  async waitForRevision(rev: number, timeoutMs = 3000): Promise<void> {
    if (rev <= this.revisionNow) return;
    let timer: NodeJS.Timeout | undefined;
    const seen = new Promise<void>((resolve) => this.waiters.push({ rev, resolve }));
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StatusError('Timeout', `Too large resource version: ${rev}, current: ${this.revisionNow}`, { details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 } })),
        timeoutMs,
      );
    });
    try {
      await Promise.race([seen, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits until the cache is as fresh as storage is now: a consistent read served from memory. */
  async sync(): Promise<void> {
    await this.waitForRevision(await this.backend.currentRevision(), 10_000);
  }
}
