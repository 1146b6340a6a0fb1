// Integration tests of the namespace controller against a real `tug server` running no
// controllers: a namespace full of objects of many kinds is deleted; an object held by a
// finalizer keeps it Terminating with the conditions Kubernetes reports, and once released the
// namespace empties and disappears.
import { setMaxListeners } from 'node:events';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject, KindDef } from '../../api/kind.js';
import { configMapKind, namespaceKind, persistentVolumeClaimKind, podKind, secretKind, serviceAccountKind, serviceKind, type Namespace } from '../../api/core/v1/index.js';
import { deploymentKind } from '../../api/apps/v1/index.js';
import { jobKind } from '../../api/batch/v1/index.js';
import { leaseKind } from '../../api/coordination/v1/index.js';
import { ApiEventRecorder, HttpClient, InformerFactory, type Client } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { realClock } from '../runtime/index.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';
import { eventually } from '../../../test/support/eventually.js';
import { kubectl } from '../../../test/support/kubectl.js';
import { namespaceController } from './index.js';

const NS = 'doomed';
const POD_SPEC = { containers: [{ name: 'c', image: 'busybox' }] };

let srv: TugServer;
let client: Client;
const ac = new AbortController();
setMaxListeners(100, ac.signal);
let running: Promise<void>;

before(async () => {
  srv = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
  client = new HttpClient({ server: srv.url, caCertPem: srv.caCertPem, token: srv.token });
  const informers = new InformerFactory(client);
  const ctrl = namespaceController({ client, informers, recorder: (c) => new ApiEventRecorder(client, c), clock: realClock, log: () => {} });
  running = ctrl.run(ac.signal);
  informers.start(ac.signal);
});

after(async () => {
  ac.abort();
  await running;
  await srv.cleanup();
});

async function count(kind: KindDef): Promise<number> {
  return (await client.list(kind, NS)).items.length;
}

describe('namespace controller', () => {
  it('empties a terminating namespace, reporting what holds it up, then lets it go', async () => {
    await client.create(namespaceKind, undefined, { metadata: { name: NS } });
    const create = (kind: KindDef, obj: ApiObject): Promise<ApiObject> => client.create(kind, NS, obj);
    for (let i = 0; i < 3; i++) await create(podKind, { metadata: { name: `p${i}` }, spec: POD_SPEC });
    await create(configMapKind, { metadata: { name: 'cm' }, data: { a: 'b' } });
    await create(configMapKind, { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await create(secretKind, { metadata: { name: 's' }, stringData: { a: 'b' } });
    await create(serviceKind, { metadata: { name: 'svc' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });
    await create(serviceAccountKind, { metadata: { name: 'sa' } });
    await create(leaseKind, { metadata: { name: 'l' }, spec: {} });
    await create(persistentVolumeClaimKind, { metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const tmpl = { metadata: { labels: { app: 'x' } }, spec: POD_SPEC };
    await create(deploymentKind, { metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'x' } }, template: tmpl } });
    await create(jobKind, { metadata: { name: 'j' }, spec: { template: { ...tmpl, spec: { ...POD_SPEC, restartPolicy: 'Never' } } } });

    await client.delete(namespaceKind, undefined, NS);
    const conditionsOf = async (): Promise<Map<string, { status: string; reason?: string; message?: string }>> => {
      const ns = await client.get<Namespace & ApiObject>(namespaceKind, undefined, NS);
      return new Map((ns.status?.conditions ?? []).map((c) => [c.type ?? '', { status: c.status ?? '', reason: c.reason, message: c.message }]));
    };
    await eventually(async () => (await conditionsOf()).get('NamespaceContentRemaining')?.message === 'Some resources are remaining: configmaps. has 1 resource instances', {
      what: 'only the held ConfigMap to remain',
    });
    const conds = await conditionsOf();
    assert.deepEqual(conds.get('NamespaceFinalizersRemaining'), {
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message: 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    });
    assert.equal(conds.get('NamespaceContentRemaining')?.reason, 'SomeResourcesRemain');
    assert.equal(conds.get('NamespaceDeletionContentFailure')?.status, 'False');
    assert.equal(conds.get('NamespaceDeletionDiscoveryFailure')?.reason, 'ResourcesDiscovered');
    for (const kind of [podKind, secretKind, serviceKind, serviceAccountKind, leaseKind, persistentVolumeClaimKind, deploymentKind, jobKind]) assert.equal(await count(kind), 0, kind.plural);
    const ns = await client.get<Namespace & ApiObject>(namespaceKind, undefined, NS);
    assert.equal(ns.status?.phase, 'Terminating');
    assert.deepEqual(ns.spec?.finalizers, ['kubernetes']);
    const described = await kubectl(['describe', 'namespace', NS], { kubeconfig: srv.kubeconfig });
    assert.match(described.stdout, /Status:\s+Terminating/);
    assert.match(described.stdout, /NamespaceContentRemaining\s+True\s+.*SomeResourcesRemain\s+Some resources are remaining: configmaps\. has 1 resource instances/);

    await client.patch(configMapKind, NS, 'held', { type: 'merge', body: { metadata: { finalizers: null } } });
    await eventually(
      async () => {
        try {
          await client.get(namespaceKind, undefined, NS);
          return false;
        } catch (err) {
          return err instanceof StatusError && err.reason === 'NotFound';
        }
      },
      { what: 'the namespace to disappear' },
    );
  });
});
