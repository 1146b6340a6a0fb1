// Integration tests of the service account controller against a real `tug server` running no
// controllers: every namespace gets a `default` ServiceAccount, which comes back if deleted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceKind, serviceAccountKind } from '../../api/core/v1/index.js';
import { ApiEventRecorder, HttpClient, InformerFactory, type Client } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { realClock } from '../runtime/index.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';
import { eventually } from '../../../test/support/eventually.js';
import { kubectl } from '../../../test/support/kubectl.js';
import { serviceAccountController } from './index.js';

let srv: TugServer;
let client: Client;
const ac = new AbortController();
let running: Promise<void>;

const hasDefault = async (ns: string): Promise<boolean> => {
  try {
    await client.get(serviceAccountKind, ns, 'default');
    return true;
  } catch (err) {
    if (err instanceof StatusError && err.reason === 'NotFound') return false;
    throw err;
  }
};

before(async () => {
  srv = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
  client = new HttpClient({ server: srv.url, caCertPem: srv.caCertPem, token: srv.token });
  const informers = new InformerFactory(client);
  const ctrl = serviceAccountController({ client, informers, recorder: (c) => new ApiEventRecorder(client, c), clock: realClock, log: () => {} });
  running = ctrl.run(ac.signal);
  informers.start(ac.signal);
});

after(async () => {
  ac.abort();
  await running;
  await srv.cleanup();
});

describe('service account controller', () => {
  it('gives the initial namespaces a default ServiceAccount', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) await eventually(() => hasDefault(ns), { what: `default SA in ${ns}` });
  });

  it('gives a new namespace one, and recreates it when deleted', async () => {
    await client.create(namespaceKind, undefined, { metadata: { name: 'team-a' } });
    await eventually(() => hasDefault('team-a'), { what: 'default SA in team-a' });
    const before = await client.get(serviceAccountKind, 'team-a', 'default');
    await client.delete(serviceAccountKind, 'team-a', 'default');
    await eventually(async () => (await hasDefault('team-a')) && (await client.get(serviceAccountKind, 'team-a', 'default')).metadata?.uid !== before.metadata?.uid, {
      what: 'a new default SA',
    });
    const r = await kubectl(['get', 'serviceaccounts', '-n', 'team-a', '-o', 'name'], { kubeconfig: srv.kubeconfig });
    assert.equal(r.stdout.trim(), 'serviceaccount/default');
    const secrets = await kubectl(['get', 'secrets', '-n', 'team-a', '-o', 'name'], { kubeconfig: srv.kubeconfig });
    assert.equal(secrets.stdout.trim(), '', 'no token secrets are made');
  });
});
