// Tests for pods/binding at the registry level (on the memory storage driver): binding sets
// spec.nodeName, copies annotations and adds PodScheduled=True; binding twice, binding a pod
// being deleted, and malformed Bindings are refused the way Kubernetes refuses them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podKind } from '../../api/core/v1/index.js';
import { StatusError } from '../../lib/errors.js';
import { openBackend } from '../../storage/index.js';
import { bindPod } from './bind.js';
import { Store } from './store.js';
import { podStrategy } from './strategies/pods.js';

const ctx = { now: new Date('2024-01-01T00:00:00Z'), user: undefined, dryRun: false, warnings: [] };

async function podStore(): Promise<Store> {
  const store = new Store(podKind, podStrategy, await openBackend('memory://'));
  await store.create('default', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, ctx, { fieldValidation: 'Strict' });
  return store;
}

const binding = (node: string, extra: object = {}) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', ...extra }, target: { kind: 'Node', name: node } });
const bind = (store: Store, body: unknown) => bindPod(store, { namespace: 'default', name: 'p', body, now: ctx.now, dryRun: false });

const statusError = (code: number, text: string) => (e: unknown) => e instanceof StatusError && e.code === code && e.message.includes(text);

describe('pods/binding', () => {
  it('assigns the node, copies annotations and marks the pod scheduled', async () => {
    const store = await podStore();
    assert.deepEqual(await bind(store, binding('n1', { annotations: { 'example.com/why': 'test' } })), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const { obj } = await store.getStored('default', 'p');
    const pod = obj as { spec: { nodeName?: string }; metadata: { annotations?: Record<string, string> }; status: { conditions?: { type: string; status: string }[] } };
    assert.equal(pod.spec.nodeName, 'n1');
    assert.equal(pod.metadata.annotations?.['example.com/why'], 'test');
    assert.deepEqual(pod.status.conditions?.map((c) => [c.type, c.status]), [['PodScheduled', 'True']]);
  });

  it('refuses to bind a pod twice', async () => {
    const store = await podStore();
    await bind(store, binding('n1'));
    await assert.rejects(bind(store, binding('n2')), statusError(409, 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "n1"'));
  });

  it('refuses a pod being deleted and a stale uid', async () => {
    const store = await podStore();
    await assert.rejects(bind(store, binding('n1', { uid: 'someone-else' })), statusError(409, 'Precondition failed'));
    await store.update('default', 'p', { ...(await store.getStored('default', 'p')).obj, metadata: { name: 'p', finalizers: ['example.com/hold'] } }, ctx, { fieldValidation: 'Strict' });
    await store.delete('default', 'p', {}, ctx);
    await assert.rejects(bind(store, binding('n1')), statusError(409, 'pod p is being deleted, cannot be assigned to a host'));
  });

  it('validates the Binding', async () => {
    const store = await podStore();
    await assert.rejects(bind(store, { metadata: { name: 'other' }, target: { name: 'n1' } }), statusError(400, 'name in URL does not match name in Binding object'));
    await assert.rejects(bind(store, { metadata: { name: 'p' }, target: { kind: 'Pod' } }), (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.equal(e.code, 422);
      assert.deepEqual(e.details?.causes?.map((c) => c.field), ['target.kind', 'target.name']);
      return true;
    });
  });
});
