// Crash-loop back-off timing on an injected clock: first restart immediate, then 10 s, 20 s, ...
// capped at 5 min, measured from when the container finished, and reset after a calm spell.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../../lib/workqueue.js';
import { RestartBackoff, goDuration } from './restart-backoff.js';

function clockAt(start: number): Clock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    setTimeout: () => ({ cancel: () => undefined }),
  };
  return c;
}

describe('RestartBackoff', () => {
  it('restarts at once the first time, then waits 10s, 20s, 40s ... up to 5m after each exit', () => {
    const clock = clockAt(0);
    const b = new RestartBackoff(clock, { initialMs: 10_000, maxMs: 300_000 });
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const finishedAt = clock.t; // the container crashes as soon as it starts
      const wait = b.remaining('p/c', finishedAt);
      waits.push(wait);
      clock.t += wait;
      assert.equal(b.remaining('p/c', finishedAt), 0);
      b.next('p/c', finishedAt);
    }
    assert.deepEqual(waits, [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    assert.equal(b.current('p/c'), 300_000);
  });

  it('counts the wait from when the container finished, and starts over after a long healthy run', () => {
    const clock = clockAt(0);
    const b = new RestartBackoff(clock, { initialMs: 10_000, maxMs: 300_000 });
    b.next('p/c', 0);
    clock.t = 4_000;
    assert.equal(b.remaining('p/c', 1_000), 7_000);
    b.next('p/c', 1_000);
    assert.equal(b.current('p/c'), 20_000);
    // Up for more than twice the maximum since the last restart: no back-off, and the next one is short again.
    clock.t = 700_000;
    assert.equal(b.remaining('p/c', 700_000), 0);
    b.next('p/c', 700_000);
    assert.equal(b.current('p/c'), 10_000);
    b.forget('p/');
    assert.equal(b.remaining('p/c', clock.t), 0);
  });

  it('formats durations as Go does', () => {
    assert.deepEqual([200, 10_000, 80_000, 160_000, 300_000, 3_660_000].map(goDuration), ['200ms', '10s', '1m20s', '2m40s', '5m0s', '1h1m0s']);
  });
});
