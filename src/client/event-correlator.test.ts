// Tests of event correlation as users see it in the written Events: repeats bump a count,
// similar events about one object fold into one "(combined from similar events)" Event, and a
// source's writes about one object stop after a burst of 25 until the budget refills (the
// count of the next write still includes what was dropped).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../api/kind.js';
import type { Client } from './client.js';
import { ApiEventRecorder } from './events.js';

interface Stored {
  name: string;
  message: string;
  count: number;
}

/** A client keeping Events by name, as the API would: creates add, merge patches update. */
function memoryClient(): { client: Client; events: Map<string, Stored>; writes: () => number } {
  const events = new Map<string, Stored>();
  let writes = 0;
  const client = {
    create: async (_k: unknown, _ns: unknown, ev: ApiObject & { message: string; count: number }) => {
      writes += 1;
      events.set(ev.metadata?.name ?? '', { name: ev.metadata?.name ?? '', message: ev.message, count: ev.count });
      return ev;
    },
    patch: async (_k: unknown, _ns: unknown, name: string, p: { body: { count: number; message: string } }) => {
      writes += 1;
      const e = events.get(name);
      if (!e) throw new Error(`no event ${name}`);
      Object.assign(e, p.body);
      return e;
    },
  } as unknown as Client;
  return { client, events, writes: () => writes };
}

const rs: ApiObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc', namespace: 'default', uid: 'rs-1' } };
const pod = (i: number): ApiObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}` } });
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('event correlation', () => {
  it('counts a repeated event on one Event', async () => {
    const c = memoryClient();
    const r = new ApiEventRecorder(c.client, 'test');
    for (let i = 0; i < 3; i++) {
      r.event(pod(0), 'Warning', 'FailedScheduling', '0/3 nodes are available: 3 Insufficient cpu.');
      await settle();
    }
    assert.deepEqual([...c.events.values()].map((e) => [e.message, e.count]), [['0/3 nodes are available: 3 Insufficient cpu.', 3]]);
  });

  it('folds similar events about one object into one combined Event, and stops after a burst of 25', async () => {
    const c = memoryClient();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const r = new ApiEventRecorder(c.client, 'replicaset-controller', { now: () => new Date(now) });
    for (let i = 0; i < 1000; i++) {
      r.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-abc-${i}`);
      if (i % 50 === 0) await settle();
    }
    await settle();
    const stored = [...c.events.values()];
    const single = stored.filter((e) => !e.message.startsWith('(combined'));
    const combined = stored.filter((e) => e.message.startsWith('(combined from similar events): Created pod: web-abc-'));
    assert.equal(single.length, 9, 'nine distinct events before folding');
    assert.equal(combined.length, 1);
    assert.equal(c.writes(), 25, 'a burst of 25 writes about one object');
    assert.equal(combined[0]?.count, 16, 'the combined Event counts what was written of it');
    assert.equal(combined[0]?.message, '(combined from similar events): Created pod: web-abc-24');
    // Five minutes on, the budget has one more write, and its count covers the dropped ones.
    now += 300_000;
    r.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-abc-1000');
    await settle();
    assert.equal(c.writes(), 26);
    assert.equal(combined[0]?.count, 992);
    assert.equal(combined[0]?.message, '(combined from similar events): Created pod: web-abc-1000');
  });

  it('keeps one Event per pod for events about many objects', async () => {
    const c = memoryClient();
    const r = new ApiEventRecorder(c.client, 'default-scheduler');
    for (let i = 0; i < 100; i++) r.event(pod(i), 'Normal', 'Scheduled', `Successfully assigned default/p${i} to n${i % 7}`);
    for (let i = 0; i < 50 && c.writes() < 100; i++) await settle();
    assert.equal(c.events.size, 100);
    assert.ok([...c.events.values()].every((e) => e.count === 1 && e.message.startsWith('Successfully assigned')));
  });
});
