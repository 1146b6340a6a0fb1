// Reads for one kind: get, list and watch, with Kubernetes resourceVersion semantics. Lists and
// watches come from the watch cache; a list with no resourceVersion first waits until the cache
// has caught up with storage (a consistent read), `resourceVersion=0` takes the cache as it is,
// `resourceVersionMatch=Exact` and continued pages read storage at the exact revision the first
// page was served at.
import type { ApiObject, KindDef } from '../../api/kind.js';
import { badRequest, expired, notFound, StatusError } from '../../lib/errors.js';
import { CompactedError, FutureRevisionError, type Backend } from '../../storage/index.js';
import { CachedObject, type ResourceCache, type WatchEventType } from '../cache/resource-cache.js';
import type { WatchCache } from '../cache/watch-cache.js';
import { fromStorage } from './codec.js';
import { listPrefix, objectKey } from './keys.js';
import { makeFilter, type ObjectFilter } from './filter.js';
import { decodeContinue, encodeContinue } from './continue-token.js';

export interface ListQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface ListPage {
  items: CachedObject[];
  resourceVersion: number;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchQuery extends ListQuery {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

export interface WatchSink {
  event(type: WatchEventType, obj: CachedObject): void;
  /** All initial events have been sent (sendInitialEvents=true). */
  initialEventsEnd(resourceVersion: number): void;
}

const PAGE = 500;

export class Reader {
  private readonly cache: ResourceCache;

  constructor(
    readonly kind: KindDef,
    private readonly backend: Backend,
    private readonly watchCache: WatchCache,
  ) {
    this.cache = watchCache.resource(kind);
  }

  private rev(value: string, what: string): number {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw badRequest(`invalid ${what}: ${JSON.stringify(value)}`);
    return n;
  }

  async get(namespace: string | undefined, name: string, resourceVersion?: string): Promise<ApiObject> {
    const key = objectKey(this.kind, namespace, name);
    if (resourceVersion) {
      await this.watchCache.waitForRevision(this.rev(resourceVersion, 'resourceVersion'));
      const hit = this.cache.get(key);
      if (!hit) throw notFound({ group: this.kind.group, resource: this.kind.plural }, name);
      return hit.object;
    }
    const kv = await this.backend.get(key);
    if (!kv) throw notFound({ group: this.kind.group, resource: this.kind.plural }, name);
    return fromStorage(kv);
  }

  async list(namespace: string | undefined, q: ListQuery): Promise<ListPage> {
    const filter = makeFilter(this.kind, q);
    const prefix = listPrefix(this.kind, namespace);
    const limit = q.limit && q.limit > 0 ? q.limit : 0;
    if (q.resourceVersionMatch && !q.resourceVersion) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (q.continue) {
      if (q.resourceVersion && q.resourceVersion !== '0') throw badRequest('specifying resource version is not allowed when using continue');
      const token = decodeContinue(q.continue);
      return this.listStorage(prefix, filter, { limit, revision: token.revision, startAfter: prefix + token.start });
    }
    if (q.resourceVersionMatch === 'Exact') {
      const revision = this.rev(q.resourceVersion ?? '', 'resourceVersion');
      if (revision === 0) throw badRequest('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
      return this.listStorage(prefix, filter, { limit, revision });
    }
    if (!q.resourceVersion) await this.watchCache.sync();
    else if (q.resourceVersion !== '0') await this.watchCache.waitForRevision(this.rev(q.resourceVersion, 'resourceVersion'));
    const revision = this.watchCache.revision;
    const matching = this.cache.list(prefix).filter((o) => filter.matches(o.object));
    if (!limit || matching.length <= limit) return { items: matching, resourceVersion: revision };
    const items = matching.slice(0, limit);
    const last = items[items.length - 1] as CachedObject;
    return {
      items,
      resourceVersion: revision,
      continue: encodeContinue({ revision, start: last.key.slice(prefix.length) }),
      // Kubernetes only counts what is left when nothing is filtered out.
      ...(filter.everything ? { remainingItemCount: matching.length - limit } : {}),
    };
  }

  /** A page read from storage at an exact revision (continued lists, resourceVersionMatch=Exact). */
  private async listStorage(prefix: string, filter: ObjectFilter, o: { limit: number; revision: number; startAfter?: string }): Promise<ListPage> {
    const items: CachedObject[] = [];
    let startAfter = o.startAfter;
    let lastKey: string | undefined;
    try {
      for (;;) {
        const page = await this.backend.list(prefix, { revision: o.revision, limit: o.limit ? Math.max(PAGE, o.limit) : 0, ...(startAfter ? { startAfter } : {}) });
        for (const kv of page.items) {
          const obj = fromStorage(kv);
          lastKey = kv.key;
          if (!filter.matches(obj)) continue;
          items.push(new CachedObject(kv.key, obj, kv.modRevision));
          if (o.limit && items.length === o.limit) {
            const more = page.more || page.items[page.items.length - 1]?.key !== kv.key;
            return {
              items,
              resourceVersion: o.revision,
              ...(more ? { continue: encodeContinue({ revision: o.revision, start: kv.key.slice(prefix.length) }) } : {}),
            };
          }
        }
        if (!page.more || !lastKey) break;
        startAfter = lastKey;
      }
    } catch (err) {
      if (err instanceof CompactedError)
        throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      if (err instanceof FutureRevisionError)
        throw new StatusError('Timeout', `Too large resource version: ${o.revision}, current: ${err.current}`);
      throw err;
    }
    return { items, resourceVersion: o.revision };
  }

  /**
   * Starts a watch; returns a function that stops it. Throws (410 Expired) when the requested
   * resourceVersion has left the cache window; the HTTP layer turns that into an ERROR event.
   */
  async watch(namespace: string | undefined, q: WatchQuery, sink: WatchSink): Promise<() => void> {
    const filter = makeFilter(this.kind, q);
    const prefix = listPrefix(this.kind, namespace);
    const watcher = { prefix, matches: (o: ApiObject) => filter.matches(o), deliver: (t: WatchEventType, o: CachedObject) => sink.event(t, o) };
    const rv = q.resourceVersion;
    const initial = q.sendInitialEvents === true || !rv || rv === '0';
    if (!initial) {
      const from = this.rev(rv, 'resourceVersion');
      await this.watchCache.waitForRevision(from);
      return this.cache.watch(watcher, from);
    }
    if (!rv) await this.watchCache.sync();
    const revision = this.watchCache.revision;
    for (const o of this.cache.list(prefix)) if (filter.matches(o.object)) sink.event('ADDED', o);
    if (q.sendInitialEvents) sink.initialEventsEnd(revision);
    return this.cache.watch(watcher, revision);
  }
}
