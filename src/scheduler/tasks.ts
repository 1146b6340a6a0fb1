// The scheduler's background writes (bindings, status patches, evictions): started without
// waiting, but never floating — each is tracked until it settles, failures go to the log, the
// main loop can wait for room when too many are in flight, and shutdown waits for all of them.
export class Tasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly onError: (err: unknown) => void) {}

  get size(): number {
    return this.running.size;
  }

  add(work: Promise<void>): void {
    const p: Promise<void> = work.catch(this.onError).finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves when any one task settles (at once when none is running). */
  async any(): Promise<void> {
    if (this.running.size > 0) await Promise.race(this.running);
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }
}
