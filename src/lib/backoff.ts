// Exponential back-off with jitter for retry loops (informer re-lists, reconnects). The clock is
// injectable so tests need not wait for real time.
export interface Sleeper {
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realSleeper: Sleeper = {
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor?: number;
  /** Fraction of random spread added to each delay (0.1 = up to +10%). */
  jitter?: number;
  sleeper?: Sleeper;
}

export class Backoff {
  private current: number;

  constructor(private readonly o: BackoffOptions) {
    this.current = o.initialMs;
  }

  /** The next delay, and grow the one after it. */
  next(): number {
    const d = this.current * (1 + Math.random() * (this.o.jitter ?? 0.1));
    this.current = Math.min(this.o.maxMs, this.current * (this.o.factor ?? 2));
    return Math.min(this.o.maxMs, d);
  }

  reset(): void {
    this.current = this.o.initialMs;
  }

  wait(signal: AbortSignal): Promise<void> {
    return (this.o.sleeper ?? realSleeper).sleep(this.next(), signal);
  }
}
