// Per-pod workers: one pod's syncs never overlap and coalesce, different pods run concurrently,
// delayed re-syncs fire on the clock, and failures are retried.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realClock } from '../../lib/workqueue.js';
import { PodWorkers } from './pod-workers.js';

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('PodWorkers', () => {
  it('serialises syncs of one pod, coalescing events that arrive meanwhile, without blocking other pods', async () => {
    const log: string[] = [];
    let release: (() => void) | undefined;
    const workers = new PodWorkers(
      async (uid) => {
        log.push(`start ${uid}`);
        if (uid === 'slow' && !release) await new Promise<void>((r) => (release = r));
        log.push(`end ${uid}`);
        return undefined;
      },
      { clock: realClock, onError: () => undefined },
    );
    workers.enqueue('slow');
    workers.enqueue('slow');
    workers.enqueue('slow');
    workers.enqueue('fast');
    await tick();
    assert.deepEqual(log, ['start slow', 'start fast', 'end fast']);
    release?.();
    await tick();
    assert.deepEqual(log, ['start slow', 'start fast', 'end fast', 'end slow', 'start slow', 'end slow']);
    workers.stop();
  });

  it('re-syncs when a sync asks for it, and retries failed syncs', async () => {
    let runs = 0;
    let fails = 1;
    const errors: unknown[] = [];
    const workers = new PodWorkers(
      async () => {
        runs++;
        if (fails-- > 0) throw new Error('boom');
        return runs < 4 ? 1 : undefined;
      },
      { clock: realClock, onError: (_uid, err) => errors.push(err), retryBaseMs: 1 },
    );
    workers.enqueue('p');
    for (let i = 0; i < 100 && runs < 4; i++) await tick();
    assert.equal(runs, 4);
    assert.equal(errors.length, 1);
    workers.stop();
  });
});
