// The checkpoint policy on its own, with Node's mocked timers: nothing is checkpointed while
// writes keep coming and the WAL is small, a pause of one interval checkpoints, a WAL past its
// limit is checkpointed during writes, and a failed checkpoint is reported and retried.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { WalCheckpointer } from './sqlite-checkpointer.js';

describe('WalCheckpointer', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setInterval'] }));
  afterEach(() => mock.timers.reset());

  function setup(o: { fail?: () => boolean } = {}): { c: WalCheckpointer; runs: () => number; wal: { bytes: number }; errors: unknown[] } {
    let runs = 0;
    const wal = { bytes: 0 };
    const errors: unknown[] = [];
    const c = new WalCheckpointer({
      checkpoint: () => {
        if (o.fail?.()) throw new Error('disk I/O error');
        runs++;
        wal.bytes = 0;
      },
      walBytes: () => wal.bytes,
      idleMs: 100,
      walLimitBytes: 1000,
      onError: (e) => errors.push(e),
    });
    return { c, runs: () => runs, wal, errors };
  }

  it('waits for writes to pause for a whole interval', () => {
    const { c, runs, wal } = setup();
    for (let t = 0; t < 10; t++) {
      c.noteWrite();
      wal.bytes += 50;
      mock.timers.tick(100);
    }
    assert.equal(runs(), 0, 'no checkpoint while every interval had writes');
    mock.timers.tick(100);
    assert.equal(runs(), 1, 'the first quiet interval checkpoints');
    mock.timers.tick(500);
    assert.equal(runs(), 1, 'nothing new to checkpoint');
    c.stop();
  });

  it('checkpoints during writes once the WAL passes its limit', () => {
    const { c, runs, wal } = setup();
    for (let t = 0; t < 5; t++) {
      c.noteWrite();
      wal.bytes += 400;
      mock.timers.tick(100);
    }
    // 400, 800 (below), 1200 (at the third tick: over) → one; then 400, 800 again.
    assert.equal(runs(), 1);
    c.stop();
  });

  it('reports a failed checkpoint and retries it on the next tick', () => {
    let failures = 1;
    const { c, runs, errors } = setup({ fail: () => failures-- > 0 });
    c.noteWrite();
    mock.timers.tick(100); // the write's own interval: busy
    mock.timers.tick(100);
    assert.equal(errors.length, 1);
    assert.equal(runs(), 0);
    mock.timers.tick(100);
    assert.equal(runs(), 1);
    c.stop();
  });
});
