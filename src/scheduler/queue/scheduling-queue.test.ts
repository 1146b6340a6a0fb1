// Tests for the scheduling queue: priority then age ordering, exponential backoff, unschedulable
// pods moved back only by events their rejecting plugins care about (or after five minutes),
// events during an attempt not being lost, and gated pods held back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../../lib/workqueue.js';
import { podInfo } from '../framework/pod-info.js';
import { makePod } from '../testing/fixtures.js';
import { SchedulingQueue } from './scheduling-queue.js';

function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const t = { at: now + ms, fn };
      timers.push(t);
      return { cancel: () => timers.splice(timers.indexOf(t), 1) };
    },
    advance(ms) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
}

const pod = (name: string, priority = 0) => podInfo(makePod(name, { priority }));

describe('SchedulingQueue', () => {
  it('pops higher priority first, then the pod that waited longest', async () => {
    const clock = fakeClock();
    const q = new SchedulingQueue({ clock });
    q.add(pod('low'));
    clock.advance(1);
    q.add(pod('high', 100));
    clock.advance(1);
    q.add(pod('low2'));
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await q.pop())?.pod.name);
    assert.deepEqual(order, ['high', 'low', 'low2']);
  });

  it('keeps an unschedulable pod until an event its plugin cares about, then backs it off 1 s, 2 s, ...', async () => {
    const clock = fakeClock();
    const q = new SchedulingQueue({ clock });
    q.add(pod('p'));
    const first = await q.pop();
    assert.ok(first);
    q.addUnschedulable(first, { cycle: q.schedulingCycle, plugins: new Set(['NodeResourcesFit']) });
    q.moveAll(new Set(['TaintToleration']));
    assert.equal(q.pending.unschedulable, 1, 'an unrelated event does not move it');
    q.moveAll(new Set(['NodeResourcesFit']));
    assert.deepEqual([q.pending.unschedulable, q.pending.backoff], [0, 1]);
    clock.advance(999);
    q.flushBackoff();
    assert.equal(q.pending.active, 0);
    clock.advance(1);
    q.flushBackoff();
    const second = await q.pop();
    assert.equal(second?.attempts, 2);
    q.addBackoff(second as NonNullable<typeof second>);
    clock.advance(1999);
    q.flushBackoff();
    assert.equal(q.pending.active, 0, 'the second backoff is 2 s');
    clock.advance(1);
    q.flushBackoff();
    assert.equal(q.pending.active, 1);
  });

  it('does not lose an event that happened while the pod was being scheduled', async () => {
    const clock = fakeClock();
    const q = new SchedulingQueue({ clock });
    q.add(pod('p'));
    const p = await q.pop();
    const cycle = q.schedulingCycle;
    q.moveAll(new Set(['NodeResourcesFit']));
    q.addUnschedulable(p as NonNullable<typeof p>, { cycle, plugins: new Set(['NodeResourcesFit']) });
    assert.deepEqual([q.pending.unschedulable, q.pending.backoff], [0, 1]);
  });

  it('retries unschedulable pods after five minutes without events', async () => {
    const clock = fakeClock();
    const q = new SchedulingQueue({ clock });
    q.add(pod('p'));
    const p = await q.pop();
    q.addUnschedulable(p as NonNullable<typeof p>, { cycle: q.schedulingCycle, plugins: new Set(['NodeAffinity']) });
    clock.advance(4 * 60_000);
    q.flushUnschedulable();
    assert.equal(q.pending.unschedulable, 1);
    clock.advance(60_000);
    q.flushUnschedulable();
    assert.equal(q.pending.unschedulable, 0);
  });

  it('holds gated pods until an update removes the gates, and wakes a waiting pop', async () => {
    const clock = fakeClock();
    const q = new SchedulingQueue({ clock });
    const gatedPod = makePod('g', { spec: { schedulingGates: [{ name: 'example.com/wait' }] } });
    q.add(podInfo(gatedPod));
    assert.deepEqual(q.pending, { active: 0, backoff: 0, unschedulable: 0, gated: 1 });
    const popped = q.pop();
    q.update(podInfo({ ...gatedPod, spec: { ...gatedPod.spec, containers: gatedPod.spec?.containers ?? [], schedulingGates: [] } }), { retry: true });
    assert.equal((await popped)?.pod.name, 'g');
  });
});
