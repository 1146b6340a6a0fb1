// Integration tests of the service account controller against a real `tug server` running no
// controllers: every namespace gets a `default` ServiceAccount, which comes back if deleted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceKind, serviceAccountKind } from '../../api/core/v1/index.js';
import { kubectl } from '../../../test/support/kubectl.js';
import { eventually, getOrUndefined, startCluster, type Cluster } from '../testing/index.test.js';
import { serviceAccountController } from './index.js';

let c: Cluster;

const hasDefault = async (ns: string): Promise<boolean> => (await getOrUndefined(c.client, serviceAccountKind, ns, 'default')) !== undefined;

before(async () => {
  c = await startCluster();
  c.run(serviceAccountController);
});

after(() => c.stop());

describe('service account controller', () => {
  it('gives the initial namespaces a default ServiceAccount', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) await eventually(() => hasDefault(ns), { what: `default SA in ${ns}` });
  });

  it('gives a new namespace one, and recreates it when deleted', async () => {
    await c.client.create(namespaceKind, undefined, { metadata: { name: 'team-a' } });
    await eventually(() => hasDefault('team-a'), { what: 'default SA in team-a' });
    const before = await c.client.get(serviceAccountKind, 'team-a', 'default');
    await c.client.delete(serviceAccountKind, 'team-a', 'default');
    await eventually(async () => (await hasDefault('team-a')) && (await c.client.get(serviceAccountKind, 'team-a', 'default')).metadata?.uid !== before.metadata?.uid, {
      what: 'a new default SA',
    });
    const r = await kubectl(['get', 'serviceaccounts', '-n', 'team-a', '-o', 'name'], { kubeconfig: c.server.kubeconfig });
    assert.equal(r.stdout.trim(), 'serviceaccount/default');
    const secrets = await kubectl(['get', 'secrets', '-n', 'team-a', '-o', 'name'], { kubeconfig: c.server.kubeconfig });
    assert.equal(secrets.stdout.trim(), '', 'no token secrets are made');
  });
});
