// Unit test of the relister: the first listing reports every pod, later ones only pods whose
// sandboxes or containers appeared, vanished or changed state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeRuntime } from '../cri/index.js';
import { realClock } from '../../lib/workqueue.js';
import { containerConfigFor, sandboxConfigFor } from './pod-config.js';
import type { Pod } from '../../api/core/v1/index.js';
import { Relister } from './relister.js';

describe('relister', () => {
  it('reports the pods whose runtime state changed', async () => {
    const rt = new FakeRuntime();
    const r = new Relister({ runtime: rt, clock: realClock, periodMs: 1000, onChange: () => undefined, log: () => undefined });
    const pod = (uid: string): Pod => ({ metadata: { name: uid, namespace: 'ns', uid }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await rt.pullImage({ image: { image: 'busybox' } });
    const a = await rt.runPodSandbox({ config: sandboxConfigFor(pod('a'), 0) });
    await rt.runPodSandbox({ config: sandboxConfigFor(pod('b'), 0) });
    assert.deepEqual((await r.relist()).sort(), ['a', 'b']);
    assert.deepEqual(await r.relist(), []);
    const c = await rt.createContainer({ podSandboxId: a, config: containerConfigFor(pod('a'), { name: 'c', image: 'busybox' }, { kind: 'app', attempt: 0 }), sandboxConfig: sandboxConfigFor(pod('a'), 0) });
    assert.deepEqual(await r.relist(), ['a']);
    await rt.startContainer(c);
    assert.deepEqual(await r.relist(), ['a']);
    await rt.stopContainer(c, 0);
    assert.deepEqual(await r.relist(), ['a']);
    await rt.removePodSandbox(a);
    assert.deepEqual(await r.relist(), ['a']);
    assert.deepEqual(await r.relist(), []);
  });
});
