// An informer keeps an ObjectCache of one kind in step with the server: list, then watch from
// the list's resourceVersion; re-watch when the server ends a watch; re-list on 410 Expired or any
// failure, with exponential back-off; periodically re-deliver every object as an update (resync)
// so level-triggered controllers converge even if they missed something. Handlers get typed
// add/update/delete callbacks; handlers added late first receive the objects already known.
import type { ApiObject, KindRef } from '../../api/kind.js';
import { StatusError } from '../../lib/errors.js';
import { Backoff } from '../../lib/backoff.js';
import type { Client, WatchEvent } from '../client.js';
import { ObjectCache, objectKeyOf } from './object-cache.js';

export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** For deletions seen only as absence after a re-list, the last known state is passed. */
  onDelete?(obj: T): void;
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver every object as an update this often; 0 disables. */
  resyncMs?: number;
  /** Server-side watch timeout (seconds), randomised per watch like client-go. */
  watchTimeoutSeconds?: number;
  backoff?: Backoff;
  onError?(err: unknown): void;
}

const PAGE = 500;

export class Informer<T extends ApiObject = ApiObject> {
  readonly store = new ObjectCache<T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private syncedResolve!: () => void;
  readonly synced: Promise<void> = new Promise((r) => (this.syncedResolve = r));
  private isSynced = false;
  private resourceVersion = '';

  constructor(
    private readonly client: Client,
    readonly kind: KindRef,
    private readonly opts: InformerOptions = {},
  ) {}

  get hasSynced(): boolean {
    return this.isSynced;
  }

  /** The resourceVersion the cache is current up to. */
  get lastSyncResourceVersion(): string {
    return this.resourceVersion;
  }

  addHandlers(h: InformerHandlers<T>): void {
    this.handlers.push(h);
    if (this.isSynced) for (const o of this.store.list()) h.onAdd?.(o);
  }

  start(signal: AbortSignal): void {
    if (this.opts.resyncMs) {
      const t = setInterval(() => {
        for (const o of this.store.list()) this.emit((h) => h.onUpdate?.(o, o));
      }, this.opts.resyncMs);
      t.unref();
      signal.addEventListener('abort', () => clearInterval(t));
    }
    this.run(signal).catch((err: unknown) => this.opts.onError?.(err));
  }

  private emit(fn: (h: InformerHandlers<T>) => void): void {
    for (const h of this.handlers) {
      try {
        fn(h);
      } catch (err) {
        this.opts.onError?.(err);
      }
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    const backoff = this.opts.backoff ?? new Backoff({ initialMs: 800, maxMs: 30_000 });
    while (!signal.aborted) {
      try {
        await this.listAll();
        backoff.reset();
        await this.watchLoop(signal);
      } catch (err) {
        if (signal.aborted) return;
        if (!(err instanceof StatusError && (err.code === 410 || err.reason === 'Expired'))) this.opts.onError?.(err);
        await backoff.wait(signal);
      }
    }
  }

  private async listAll(): Promise<void> {
    const seen = new Map<string, T>();
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.list<T>(this.kind, this.opts.namespace, {
        limit: PAGE,
        ...(cont ? { continue: cont } : {}),
        ...(this.opts.labelSelector ? { labelSelector: this.opts.labelSelector } : {}),
        ...(this.opts.fieldSelector ? { fieldSelector: this.opts.fieldSelector } : {}),
      });
      for (const item of page.items) {
        item.apiVersion ??= this.kind.apiVersion;
        item.kind ??= this.kind.kind;
        seen.set(objectKeyOf(item), item);
      }
      rv = page.metadata.resourceVersion ?? rv;
      cont = page.metadata.continue || undefined;
    } while (cont);
    for (const key of this.store.keys()) {
      if (!seen.has(key)) {
        const old = this.store.remove(key);
        if (old) this.emit((h) => h.onDelete?.(old));
      }
    }
    for (const obj of seen.values()) {
      const old = this.store.upsert(obj);
      if (!old) this.emit((h) => h.onAdd?.(obj));
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit((h) => h.onUpdate?.(old, obj));
    }
    this.resourceVersion = rv;
    if (!this.isSynced) {
      this.isSynced = true;
      this.syncedResolve();
    }
  }

  /** Watches until an error needs a re-list (thrown) or the signal aborts. */
  private async watchLoop(signal: AbortSignal): Promise<void> {
    const base = this.opts.watchTimeoutSeconds ?? 300;
    while (!signal.aborted) {
      let expired: StatusError | undefined;
      await this.client.watch<T>(
        this.kind,
        this.opts.namespace,
        {
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: Math.floor(base * (1 + Math.random())),
          signal,
          ...(this.opts.labelSelector ? { labelSelector: this.opts.labelSelector } : {}),
          ...(this.opts.fieldSelector ? { fieldSelector: this.opts.fieldSelector } : {}),
        },
        (ev) => {
          if (ev.type === 'ERROR') {
            const s = ev.object as unknown as { code?: number; message?: string; reason?: string };
            expired = new StatusError(s.code === 410 ? 'Expired' : 'InternalError', s.message ?? 'watch error', { code: s.code ?? 500 });
            return;
          }
          this.apply(ev);
        },
      );
      if (expired) throw expired;
    }
  }

  private apply(ev: WatchEvent<T>): void {
    const obj = ev.object;
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (ev.type === 'BOOKMARK') return;
    if (ev.type === 'DELETED') {
      const old = this.store.remove(objectKeyOf(obj));
      this.emit((h) => h.onDelete?.(old ?? obj));
      return;
    }
    const old = this.store.upsert(obj);
    if (old) this.emit((h) => h.onUpdate?.(old, obj));
    else this.emit((h) => h.onAdd?.(obj));
  }
}
