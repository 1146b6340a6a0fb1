// Unit tests of the DefaultStorageClass admission step for new PersistentVolumeClaims.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../../api/kind.js';
import type { WriteContext } from '../strategy.js';
import { pvcDefaultClassAdmission } from './pvc-default-class.js';

const ctx: WriteContext = { now: new Date(), user: undefined, dryRun: false, warnings: [] };
const sc = (name: string, o: { isDefault?: string; beta?: boolean; created?: string } = {}): ApiObject => ({
  metadata: {
    name,
    creationTimestamp: o.created ?? '2024-01-01T00:00:00Z',
    annotations: o.isDefault ? { [o.beta ? 'storageclass.beta.kubernetes.io/is-default-class' : 'storageclass.kubernetes.io/is-default-class']: o.isDefault } : {},
  },
});
const claim = (spec: Record<string, unknown>, annotations: Record<string, string> = {}): ApiObject => ({ metadata: { name: 'data', annotations }, spec });
const classOf = (pvc: ApiObject): unknown => (pvc.spec as { storageClassName?: unknown }).storageClassName;

describe('pvcDefaultClassAdmission', () => {
  const classes = [sc('fast'), sc('local-path', { isDefault: 'true' }), sc('off', { isDefault: 'false' })];
  const admit = pvcDefaultClassAdmission(() => classes);

  it('gives a claim without a class the default class', async () => {
    const pvc = claim({ resources: { requests: { storage: '1Gi' } } });
    await admit(pvc, ctx);
    assert.equal(classOf(pvc), 'local-path');
  });

  it('leaves a claim naming a class, or asking for none with "", or using the beta annotation', async () => {
    for (const [pvc, want] of [
      [claim({ storageClassName: 'fast' }), 'fast'],
      [claim({ storageClassName: '' }), ''],
      [claim({}, { 'volume.beta.kubernetes.io/storage-class': 'fast' }), undefined],
    ] as const) {
      await admit(pvc, ctx);
      assert.equal(classOf(pvc), want);
    }
  });

  it('does nothing without a default class, and picks the newest of several (beta annotation too)', async () => {
    const none = claim({});
    await pvcDefaultClassAdmission(() => [sc('fast'), sc('off', { isDefault: 'false' })])(none, ctx);
    assert.equal(classOf(none), undefined);
    const several = claim({});
    await pvcDefaultClassAdmission(async () => [
      sc('old', { isDefault: 'true', created: '2023-01-01T00:00:00Z' }),
      sc('new', { isDefault: 'true', beta: true, created: '2025-01-01T00:00:00Z' }),
    ])(several, ctx);
    assert.equal(classOf(several), 'new');
  });
});
