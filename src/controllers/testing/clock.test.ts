// The clock controller tests inject (no tests of its own; named *.test.ts so the build leaves it
// out). Running, the default, it is real time plus an offset the test advances; frozen it stands
// still until set or advanced. Either way a test can run out a long delay without waiting for it.
import type { Clock } from '../../lib/workqueue.js';

interface Timer {
  at: number;
  fn: () => void;
  t: NodeJS.Timeout;
}

/**
 * Timers fire at their real-time delay (harmless early wake-ups for a frozen clock, and what
 * keeps retries going) or as soon as the clock is moved past them.
 */
export class TestClock implements Clock {
  private offset = 0;
  private readonly timers = new Set<Timer>();

  constructor(private readonly o: { frozenAt?: number } = {}) {}

  now(): number {
    return this.o.frozenAt !== undefined ? this.o.frozenAt + this.offset : Date.now() + this.offset;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const entry: Timer = { at: this.now() + ms, fn, t: setTimeout(() => this.fire(entry), ms) };
    entry.t.unref();
    this.timers.add(entry);
    return { cancel: () => (clearTimeout(entry.t), this.timers.delete(entry)) };
  }

  advance(ms: number): void {
    this.offset += ms;
    for (const e of [...this.timers]) if (e.at <= this.now()) this.fire(e);
  }

  /** Moves the clock to `ms` (never backwards). */
  set(ms: number): void {
    this.advance(Math.max(0, ms - this.now()));
  }

  private fire(e: Timer): void {
    if (!this.timers.delete(e)) return;
    clearTimeout(e.t);
    e.fn();
  }
}
