// Integration tests of the root CA publisher against a real `tug server` running no controllers:
// every namespace gets kube-root-ca.crt holding the server's CA, and it comes back when deleted
// or when its data is changed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { configMapKind, namespaceKind, type ConfigMap } from '../../api/core/v1/index.js';
import { ApiEventRecorder, HttpClient, InformerFactory, type Client } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { realClock } from '../runtime/index.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';
import { eventually } from '../../../test/support/eventually.js';
import { kubectl } from '../../../test/support/kubectl.js';
import { rootCaCertPublisherController } from './index.js';

let srv: TugServer;
let client: Client;
const ac = new AbortController();
let running: Promise<void>;

const caOf = async (ns: string): Promise<string | undefined> => {
  try {
    return (await client.get<ConfigMap>(configMapKind, ns, 'kube-root-ca.crt')).data?.['ca.crt'];
  } catch (err) {
    if (err instanceof StatusError && err.reason === 'NotFound') return undefined;
    throw err;
  }
};

before(async () => {
  srv = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
  client = new HttpClient({ server: srv.url, caCertPem: srv.caCertPem, token: srv.token });
  const informers = new InformerFactory(client);
  const ctrl = rootCaCertPublisherController({
    client,
    informers,
    recorder: (c) => new ApiEventRecorder(client, c),
    clock: realClock,
    log: () => {},
    rootCaPem: srv.caCertPem,
  });
  running = ctrl.run(ac.signal);
  informers.start(ac.signal);
});

after(async () => {
  ac.abort();
  await running;
  await srv.cleanup();
});

describe('root CA publisher', () => {
  it('publishes the cluster CA in the initial namespaces', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      const pem = await eventually(() => caOf(ns), { what: `kube-root-ca.crt in ${ns}` });
      assert.equal(pem, srv.caCertPem);
    }
    // What kubectl users read is a CA certificate.
    const r = await kubectl(['get', 'configmap', 'kube-root-ca.crt', '-n', 'default', '-o', 'jsonpath={.data.ca\\.crt}'], { kubeconfig: srv.kubeconfig });
    assert.equal(new X509Certificate(r.stdout).ca, true);
  });

  it('publishes in a new namespace, recreates it when deleted and restores changed data', async () => {
    await client.create(namespaceKind, undefined, { metadata: { name: 'team-ca' } });
    await eventually(() => caOf('team-ca'), { what: 'kube-root-ca.crt in team-ca' });
    const first = await client.get<ConfigMap>(configMapKind, 'team-ca', 'kube-root-ca.crt');
    await kubectl(['delete', 'configmap', 'kube-root-ca.crt', '-n', 'team-ca'], { kubeconfig: srv.kubeconfig });
    await eventually(async () => (await caOf('team-ca')) !== undefined && (await client.get(configMapKind, 'team-ca', 'kube-root-ca.crt')).metadata?.uid !== first.metadata?.uid, {
      what: 'a new kube-root-ca.crt',
    });
    const patch = JSON.stringify({ data: { 'ca.crt': 'tampered', extra: 'x' }, metadata: { labels: { mine: 'yes' } } });
    await kubectl(['patch', 'configmap', 'kube-root-ca.crt', '-n', 'team-ca', '--type=merge', '-p', patch], { kubeconfig: srv.kubeconfig });
    const restored = await eventually(
      async () => {
        const cm = await client.get<ConfigMap>(configMapKind, 'team-ca', 'kube-root-ca.crt');
        return cm.data?.['ca.crt'] === srv.caCertPem && cm;
      },
      { what: 'kube-root-ca.crt restored' },
    );
    assert.deepEqual(Object.keys(restored.data ?? {}), ['ca.crt']);
    assert.equal(restored.metadata?.labels?.mine, 'yes', 'labels users add are kept');
  });
});
