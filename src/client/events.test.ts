// Tests for the event recorder's queue: events are written in the order they happened, a few at
// a time, and once a thousand are waiting further ones are dropped and the drop is reported
// (client-go's broadcaster behaves the same way), so a burst cannot pile up unbounded writes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../api/kind.js';
import type { Client } from './client.js';
import { ApiEventRecorder } from './events.js';

/** A client whose creates wait until released, recording what was written and how many at once. */
function slowClient(): { client: Client; written: string[]; maxInFlight: () => number; release: () => void } {
  const written: string[] = [];
  let inFlight = 0;
  let max = 0;
  const waiting: (() => void)[] = [];
  const client = {
    create: async (_kind: unknown, _ns: unknown, ev: ApiObject & { reason?: string }) => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      await new Promise<void>((resolve) => waiting.push(resolve));
      written.push(ev.reason ?? '');
      inFlight -= 1;
      return ev;
    },
  } as unknown as Client;
  const release = (): void => {
    for (const w of waiting.splice(0)) w();
  };
  return { client, written, maxInFlight: () => max, release };
}

const pod = (i: number): ApiObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}` } });

async function drain(c: { release: () => void }, until: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !until(); i++) {
    c.release();
    await new Promise((r) => setImmediate(r));
  }
}

describe('ApiEventRecorder', () => {
  it('writes events in order, a few at a time', async () => {
    const c = slowClient();
    const r = new ApiEventRecorder(c.client, 'test');
    for (let i = 0; i < 20; i++) r.event(pod(i), 'Normal', `R${i}`, 'm');
    await drain(c, () => c.written.length === 20);
    assert.deepEqual(c.written, Array.from({ length: 20 }, (_, i) => `R${i}`));
    assert.ok(c.maxInFlight() <= 4, `at most 4 writes at once, saw ${c.maxInFlight()}`);
  });

  it('drops events beyond a thousand waiting and says so', async () => {
    const c = slowClient();
    const errors: string[] = [];
    const r = new ApiEventRecorder(c.client, 'test', { onError: (e) => errors.push(String(e)) });
    for (let i = 0; i < 1500; i++) r.event(pod(i), 'Normal', 'Scheduled', `m${i}`);
    await drain(c, () => c.written.length >= 1004);
    await drain(c, () => false);
    assert.equal(c.written.length, 1004, '4 in flight plus 1000 queued');
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /dropped/);
  });
});
