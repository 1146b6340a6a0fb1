// Expectations: after a controller creates or deletes N pods for an owner, it must not act on
// that owner again until its informer has seen those N events, or it would create duplicates
// from a stale cache. Each owner key has pending add/delete counts that observed events lower;
// expectations also expire (5 minutes, as in Kubernetes) so a lost event cannot wedge an owner.
const TTL_MS = 5 * 60 * 1000;

interface Pending {
  adds: number;
  deletes: number;
  at: number;
  /** Keys of objects whose deletion we wait to see (so a delete is counted once). */
  deleting: Set<string>;
}

export class Expectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when the controller may act: nothing outstanding, or the expectation expired. */
  satisfied(key: string): boolean {
    const p = this.pending.get(key);
    if (!p) return true;
    if ((p.adds <= 0 && p.deletes <= 0) || this.now() - p.at > TTL_MS) {
      this.pending.delete(key);
      return true;
    }
    return false;
  }

  expectCreations(key: string, n: number): void {
    const p = this.get(key);
    p.adds += n;
  }

  expectDeletions(key: string, objectKeys: string[]): void {
    const p = this.get(key);
    for (const k of objectKeys) {
      if (!p.deleting.has(k)) {
        p.deleting.add(k);
        p.deletes += 1;
      }
    }
  }

  creationObserved(key: string): void {
    const p = this.pending.get(key);
    if (p) p.adds -= 1;
  }

  deletionObserved(key: string, objectKey: string): void {
    const p = this.pending.get(key);
    if (p?.deleting.delete(objectKey)) p.deletes -= 1;
  }

  /** A create that failed will never be observed. */
  creationFailed(key: string): void {
    this.creationObserved(key);
  }

  forget(key: string): void {
    this.pending.delete(key);
  }

  private get(key: string): Pending {
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { adds: 0, deletes: 0, at: this.now(), deleting: new Set() }));
    p.at = this.now();
    return p;
  }
}
