// Per-node back-off for deleting failed daemon pods: a kubelet that keeps rejecting a pod would
// otherwise make the controller delete and re-create it in a tight loop. The delay starts at one
// second and doubles per failure up to fifteen minutes; a node quiet for twice that is forgotten.
const INITIAL_MS = 1000;
const MAX_MS = 15 * 60 * 1000;

interface Entry {
  delayMs: number;
  at: number;
}

export class FailedPodBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  /** True while the last failure on this key is more recent than its delay. */
  inBackoff(key: string): boolean {
    return this.remainingMs(key) > 0;
  }

  remainingMs(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.at + e.delayMs - this.now());
  }

  /** Records a failure: the first waits the initial delay, later ones twice the previous one. */
  next(key: string): void {
    const now = this.now();
    const e = this.entries.get(key);
    if (!e || now - e.at > 2 * MAX_MS) this.entries.set(key, { delayMs: INITIAL_MS, at: now });
    else this.entries.set(key, { delayMs: Math.min(MAX_MS, e.delayMs * 2), at: now });
  }
}
