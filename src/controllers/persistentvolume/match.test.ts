// Unit tests of how the PV binder picks a volume for a claim.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, PersistentVolume, PersistentVolumeClaim } from '../../api/core/v1/index.js';
import { findBestMatch, mismatch } from './match.js';

const vol = (name: string, o: { size: string; modes?: string[]; cls?: string; phase?: string; mode?: 'Block' | 'Filesystem'; host?: string; ref?: { name: string; uid?: string } }): PersistentVolume => ({
  metadata: { name, labels: { disk: name.startsWith('ssd') ? 'ssd' : 'hdd' } },
  spec: {
    capacity: { storage: o.size },
    accessModes: o.modes ?? ['ReadWriteOnce'],
    storageClassName: o.cls ?? '',
    ...(o.mode ? { volumeMode: o.mode } : {}),
    ...(o.host ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [o.host] }] }] } } } : {}),
    ...(o.ref ? { claimRef: { namespace: 'ns', ...o.ref } } : {}),
  },
  status: { phase: (o.phase ?? 'Available') as 'Available' },
});
const claim = (o: { size: string; modes?: string[]; cls?: string; selector?: Record<string, string>; mode?: 'Block' } = { size: '1Gi' }): PersistentVolumeClaim => ({
  metadata: { name: 'c', namespace: 'ns', uid: 'u1' },
  spec: {
    accessModes: o.modes ?? ['ReadWriteOnce'],
    resources: { requests: { storage: o.size } },
    storageClassName: o.cls ?? '',
    ...(o.selector ? { selector: { matchLabels: o.selector } } : {}),
    ...(o.mode ? { volumeMode: o.mode } : {}),
  },
});
const node = (name: string): Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
const pick = (c: PersistentVolumeClaim, vs: PersistentVolume[], o: { delayBinding?: boolean; node?: Node } = {}): string | undefined =>
  findBestMatch(c, vs, { delayBinding: o.delayBinding ?? false, node: o.node })?.metadata?.name;

describe('findBestMatch', () => {
  it('takes the smallest volume that is big enough, free and of the same class', () => {
    const vs = [vol('hdd-5', { size: '5Gi' }), vol('hdd-2', { size: '2Gi' }), vol('hdd-1', { size: '1Gi' }), vol('hdd-2b', { size: '2Gi', phase: 'Released' }), vol('hdd-fast', { size: '2Gi', cls: 'fast' })];
    assert.equal(pick(claim({ size: '1500Mi' }), vs), 'hdd-2');
    assert.equal(pick(claim({ size: '1500Mi', cls: 'fast' }), vs), 'hdd-fast');
    assert.equal(pick(claim({ size: '6Gi' }), vs), undefined);
  });

  it('needs every access mode, the same volume mode and the selector to match', () => {
    const vs = [vol('hdd-1', { size: '1Gi' }), vol('ssd-2', { size: '2Gi', modes: ['ReadWriteOnce', 'ReadOnlyMany'] }), vol('hdd-block', { size: '1Gi', mode: 'Block' })];
    assert.equal(pick(claim({ size: '1Gi', modes: ['ReadOnlyMany'] }), vs), 'ssd-2');
    assert.equal(pick(claim({ size: '1Gi', selector: { disk: 'ssd' } }), vs), 'ssd-2');
    assert.equal(pick(claim({ size: '1Gi', mode: 'Block' }), vs), 'hdd-block');
    assert.equal(pick(claim({ size: '1Gi', modes: ['ReadWriteMany'] }), vs), undefined);
  });

  it('prefers a volume pre-bound to the claim, and skips volumes pre-bound to others', () => {
    const vs = [vol('hdd-1', { size: '1Gi', ref: { name: 'other' } }), vol('hdd-9', { size: '9Gi', ref: { name: 'c' } }), vol('hdd-2', { size: '2Gi' })];
    assert.equal(pick(claim(), vs), 'hdd-9');
    assert.equal(pick(claim(), [vs[0] as PersistentVolume, vs[2] as PersistentVolume]), 'hdd-2');
    assert.equal(pick(claim(), [vol('hdd-9', { size: '9Gi', ref: { name: 'c', uid: 'someone-else' } })]), undefined, 'a different uid is another claim');
  });

  it('waits for a node for WaitForFirstConsumer claims, then wants a volume reachable from it', () => {
    const vs = [vol('hdd-a', { size: '1Gi', host: 'a' }), vol('hdd-b', { size: '2Gi', host: 'b' })];
    assert.equal(pick(claim(), vs, { delayBinding: true }), undefined);
    assert.equal(pick(claim(), vs, { delayBinding: true, node: node('b') }), 'hdd-b');
    assert.equal(pick(claim(), vs, { delayBinding: true, node: node('c') }), undefined);
    assert.equal(pick(claim(), [...vs, vol('hdd-pre', { size: '1Gi', host: 'a', ref: { name: 'c' } })], { delayBinding: true }), 'hdd-pre');
  });
});

describe('mismatch', () => {
  it('explains why a named volume cannot serve the claim', () => {
    assert.equal(mismatch(vol('v', { size: '1Gi' }), claim({ size: '2Gi' })), 'requested PV is too small');
    assert.equal(mismatch(vol('v', { size: '2Gi', cls: 'x' }), claim({ size: '2Gi' })), 'storageClassName does not match');
    assert.equal(mismatch(vol('v', { size: '2Gi', mode: 'Block' }), claim({ size: '2Gi' })), 'incompatible volumeMode');
    assert.equal(mismatch(vol('v', { size: '2Gi' }), claim({ size: '2Gi', modes: ['ReadWriteMany'] })), 'incompatible accessMode');
    assert.equal(mismatch(vol('v', { size: '2Gi' }), claim({ size: '2Gi' })), undefined);
  });
});
