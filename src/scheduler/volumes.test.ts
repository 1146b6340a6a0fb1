// Tests for waiting on claims: a wait ends when the claim is reported bound, and gives up after
// its timeout or when the scheduler stops.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { persistentVolumeClaimKind, persistentVolumeKind, type PersistentVolume, type PersistentVolumeClaim } from '../api/core/v1/index.js';
import { storageClassKind, type StorageClass } from '../api/storage/v1/index.js';
import { Informer, type Client } from '../client/index.js';
import { InformerVolumes } from './volumes.js';

const client = {} as Client;
const claim = (bound: boolean): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'default' },
  spec: bound ? { volumeName: 'pv-1' } : {},
  status: { phase: bound ? 'Bound' : 'Pending' },
});

function volumes(): { v: InformerVolumes; claims: Informer<PersistentVolumeClaim> } {
  const claims = new Informer<PersistentVolumeClaim>(client, persistentVolumeClaimKind);
  const v = new InformerVolumes(claims, new Informer<PersistentVolume>(client, persistentVolumeKind), new Informer<StorageClass>(client, storageClassKind));
  return { v, claims };
}

describe('InformerVolumes.waitForBound', () => {
  it('resolves once the claim is bound', async () => {
    const { v, claims } = volumes();
    claims.store.upsert(claim(false));
    let done = false;
    const waiting = v.waitForBound('default', 'data', { signal: new AbortController().signal, timeoutMs: 10_000 }).then(() => (done = true));
    v.claimChanged(claim(false));
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false);
    v.claimChanged(claim(true));
    await waiting;
    assert.equal(done, true);
  });

  it('gives up after the timeout or when aborted', async () => {
    const { v } = volumes();
    await assert.rejects(v.waitForBound('default', 'data', { signal: new AbortController().signal, timeoutMs: 10 }), /timed out waiting for persistentvolumeclaim "data"/);
    const stop = new AbortController();
    const waiting = v.waitForBound('default', 'data', { signal: stop.signal, timeoutMs: 10_000 });
    stop.abort();
    await assert.rejects(waiting);
  });
});
