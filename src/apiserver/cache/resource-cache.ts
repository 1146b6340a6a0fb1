// The in-memory state of one resource (e.g. all pods): the current objects by storage key and a
// bounded window of recent events, so lists are served from memory and watches resume from a
// recent resourceVersion without touching storage. Each object's JSON (and each watch-event line)
// is produced at most once, however many watchers receive it.
import type { ApiObject, KindDef } from '../../api/kind.js';
import { expired } from '../../lib/errors.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** An object as the cache holds it, with its serialized forms memoised. */
export class CachedObject {
  private jsonText: string | undefined;
  private readonly lines = new Map<WatchEventType, string>();

  constructor(
    readonly key: string,
    readonly object: ApiObject,
    readonly revision: number,
  ) {}

  json(): string {
    this.jsonText ??= JSON.stringify(this.object);
    return this.jsonText;
  }

  /** The watch stream line for this object under an event type, built once. */
  line(type: WatchEventType): string {
    let l = this.lines.get(type);
    if (l === undefined) {
      l = `{"type":"${type}","object":${this.json()}}\n`;
      this.lines.set(type, l);
    }
    return l;
  }
}

export interface CacheEvent {
  type: WatchEventType;
  revision: number;
  key: string;
  /** The new state; for DELETED, the last state stamped with the deletion's revision. */
  object: CachedObject;
  /** The state before this event (MODIFIED and DELETED). */
  prev: CachedObject | undefined;
}

export interface Watcher {
  /** Storage key prefix the watcher is interested in (one namespace, or the whole kind). */
  prefix: string;
  /** Selector match; evaluated on both old and new state to turn moves in/out into ADDED/DELETED. */
  matches(obj: ApiObject): boolean;
  deliver(type: WatchEventType, obj: CachedObject): void;
}

const DEFAULT_CAPACITY = 4096;

export class ResourceCache {
  private objects = new Map<string, CachedObject>();
  private sortedKeys: string[] | undefined;
  /** The event window is `events[head..]`; the array is compacted once `head` grows large. */
  private events: CacheEvent[] = [];
  private head = 0;
  /** Every event with a revision above this one is still in the window. */
  private oldestRevision = 0;
  private readonly watchers = new Set<Watcher>();

  constructor(
    readonly kind: KindDef,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** Replaces the whole state (initial list, or re-list after the storage watch broke). */
  reset(objects: CachedObject[], revision: number): void {
    this.objects = new Map(objects.map((o) => [o.key, o]));
    this.sortedKeys = undefined;
    this.events = [];
    this.head = 0;
    this.oldestRevision = revision;
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): CachedObject | undefined {
    return this.objects.get(key);
  }

  /** Objects under a key prefix, in key order (the order Kubernetes lists in). */
  list(prefix: string): CachedObject[] {
    this.sortedKeys ??= [...this.objects.keys()].sort();
    const keys = this.sortedKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((keys[mid] as string) < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: CachedObject[] = [];
    for (let i = lo; i < keys.length; i++) {
      const k = keys[i] as string;
      if (!k.startsWith(prefix)) break;
      out.push(this.objects.get(k) as CachedObject);
    }
    return out;
  }

  apply(ev: CacheEvent): void {
    if (ev.type === 'DELETED') {
      this.objects.delete(ev.key);
      this.sortedKeys = undefined;
    } else {
      if (!this.objects.has(ev.key)) this.sortedKeys = undefined;
      this.objects.set(ev.key, ev.object);
    }
    this.events.push(ev);
    if (this.events.length - this.head > this.capacity) {
      this.oldestRevision = (this.events[this.head] as CacheEvent).revision;
      this.head += 1;
      if (this.head >= this.capacity) {
        this.events = this.events.slice(this.head);
        this.head = 0;
      }
    }
    for (const w of this.watchers) dispatch(w, ev);
  }

  /**
   * Registers a watcher and replays the events after `afterRevision` it missed. Throws 410
   * Expired when that revision has fallen out of the window.
   */
  watch(w: Watcher, afterRevision: number): () => void {
    if (afterRevision < this.oldestRevision)
      throw expired(`too old resource version: ${afterRevision} (${this.oldestRevision})`);
    let i = this.events.length;
    while (i > this.head && (this.events[i - 1] as CacheEvent).revision > afterRevision) i--;
    for (let j = i; j < this.events.length; j++) dispatch(w, this.events[j] as CacheEvent);
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  get watcherCount(): number {
    return this.watchers.size;
  }
}

function dispatch(w: Watcher, ev: CacheEvent): void {
  if (!ev.key.startsWith(w.prefix)) return;
  const now = ev.type !== 'DELETED' && w.matches(ev.object.object);
  const before = ev.prev !== undefined && w.matches(ev.prev.object);
  if (ev.type === 'DELETED') {
    if (before || w.matches(ev.object.object)) w.deliver('DELETED', ev.object);
  } else if (now && before) w.deliver('MODIFIED', ev.object);
  else if (now) w.deliver('ADDED', ev.object);
  else if (before) w.deliver('DELETED', ev.object);
}
