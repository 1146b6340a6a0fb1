// Tests for PATCH on the status subresource at the registry level (memory storage driver): a
// status-only patch changes status and nothing else, spec in a status patch is ignored as
// Kubernetes ignores it, and unknown status fields are still reported under Strict validation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podKind } from '../../api/core/v1/index.js';
import { StatusError } from '../../lib/errors.js';
import { openBackend } from '../../storage/index.js';
import { Store } from './store.js';
import { podStrategy } from './strategies/pods.js';

const ctx = { now: new Date('2024-01-01T00:00:00Z'), user: undefined, dryRun: false, warnings: [] };
const SMP = 'application/strategic-merge-patch+json';

interface PodView {
  spec: { containers: { name: string; image: string }[]; nodeName?: string };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
  metadata: { labels?: Record<string, string> };
}

async function podStore(): Promise<Store> {
  const store = new Store(podKind, podStrategy, await openBackend('memory://'));
  await store.create('default', { metadata: { name: 'p', labels: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, ctx, { fieldValidation: 'Strict' });
  return store;
}

const patchStatus = (store: Store, body: unknown, fieldValidation: 'Strict' | 'Ignore' = 'Strict') =>
  store.patch('default', 'p', { contentType: SMP, body }, { ...ctx, warnings: [] }, { fieldValidation, subresource: 'status' });

describe('status subresource patch', () => {
  it('changes status only, keeping the stored spec and metadata', async () => {
    const store = await podStore();
    await patchStatus(store, { metadata: {}, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
    const pod = (await store.getStored('default', 'p')).obj as unknown as PodView;
    assert.equal(pod.status.phase, 'Running');
    assert.deepEqual(pod.status.conditions?.map((c) => [c.type, c.status]), [['Ready', 'True']]);
    assert.equal(pod.spec.containers[0]?.image, 'busybox');
    assert.deepEqual(pod.metadata.labels, { a: '1' });
  });

  it('ignores spec in a status patch', async () => {
    const store = await podStore();
    await patchStatus(store, { spec: { nodeName: 'n1' }, status: { phase: 'Running' } });
    const pod = (await store.getStored('default', 'p')).obj as unknown as PodView;
    assert.equal(pod.spec.nodeName, undefined);
    assert.equal(pod.status.phase, 'Running');
  });

  it('reports unknown status fields under Strict validation', async () => {
    const store = await podStore();
    await assert.rejects(patchStatus(store, { status: { phase: 'Running', bogus: 1 } }), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message.includes('bogus'));
  });
});
