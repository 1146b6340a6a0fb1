// Remembers the slice writes the controller made that its informer has not shown yet. Syncing a
// service from a cache that does not contain our own last create would create the slice again;
// so until the cache shows every write (a created slice present, an updated one at a new
// resourceVersion, a deleted one absent) the service counts as stale and is retried shortly.
// Entries expire, so a write someone else undid before we saw it cannot wedge a service.
import type { EndpointSlice } from '../../api/discovery/v1/index.js';

type Expect = { name: string; at: number } & ({ want: 'present' } | { want: 'absent' } | { want: 'changed'; from: string });

const TTL_MS = 30_000;

export class SliceTracker {
  private readonly pending = new Map<string, Expect[]>();

  constructor(private readonly now: () => number) {}

  created(service: string, name: string): void {
    this.add(service, { name, want: 'present', at: this.now() });
  }

  updated(service: string, name: string, fromResourceVersion: string): void {
    this.add(service, { name, want: 'changed', from: fromResourceVersion, at: this.now() });
  }

  deleted(service: string, name: string): void {
    this.add(service, { name, want: 'absent', at: this.now() });
  }

  /** True while some write is not visible through `lookup` yet; seen writes are forgotten. */
  stale(service: string, lookup: (name: string) => EndpointSlice | undefined): boolean {
    const list = this.pending.get(service);
    if (!list) return false;
    const now = this.now();
    const left = list.filter((e) => {
      if (now - e.at > TTL_MS) return false;
      const s = lookup(e.name);
      if (e.want === 'present') return s === undefined;
      if (e.want === 'absent') return s !== undefined;
      return s !== undefined && s.metadata?.resourceVersion === e.from;
    });
    if (left.length === 0) this.pending.delete(service);
    else this.pending.set(service, left);
    return left.length > 0;
  }

  forget(service: string): void {
    this.pending.delete(service);
  }

  private add(service: string, e: Expect): void {
    const list = (this.pending.get(service) ?? []).filter((x) => x.name !== e.name);
    list.push(e);
    this.pending.set(service, list);
  }
}
