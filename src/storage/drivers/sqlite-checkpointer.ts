// When the sqlite driver copies its write-ahead log back into the database file. SQLite's own
// autocheckpoint runs inside the commit that crosses 1,000 WAL pages — every ~270 writes here,
// since each write appends ~4 pages — and a checkpoint (copy pages, fsync the WAL and the database)
// stalls that commit and the whole event loop behind it for milliseconds to tens of milliseconds:
// the tail of the API's write latency. This moves checkpoints off the write path: a timer runs one
// as soon as writes pause for `idleMs`, and only a WAL grown past `walLimitBytes` under sustained
// writing is checkpointed mid-stream. Durability is unchanged: a commit is in the WAL before it is
// acknowledged, and the WAL is replayed on the next open whenever a checkpoint had not run.

export interface CheckpointerOptions {
  /** Runs one checkpoint (PASSIVE: never waits, never blocks writers). */
  checkpoint(): void;
  /** Current size of the WAL file in bytes. */
  walBytes(): number;
  /** How long writes must pause before a checkpoint runs; also the check interval. */
  idleMs: number;
  /** A WAL this large is checkpointed even while writes continue. */
  walLimitBytes: number;
  /** A failed checkpoint is retried on the next tick; this hears about the failure. */
  onError(err: unknown): void;
}

export class WalCheckpointer {
  /** Writes since the last checkpoint. */
  private pending = 0;
  /** Writes since the previous tick: none means the writers paused for a whole interval. */
  private sinceTick = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: CheckpointerOptions) {
    this.timer = setInterval(() => this.tick(), o.idleMs);
    // A store left open must not keep the process alive; SQLite checkpoints on close anyway.
    this.timer.unref();
  }

  /** Called after every committed write transaction. */
  noteWrite(): void {
    this.pending++;
    this.sinceTick++;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const busy = this.sinceTick > 0;
    this.sinceTick = 0;
    if (this.pending === 0) return;
    if (busy && this.o.walBytes() < this.o.walLimitBytes) return;
    try {
      this.o.checkpoint();
      this.pending = 0;
    } catch (err) {
      this.o.onError(err);
    }
  }
}
