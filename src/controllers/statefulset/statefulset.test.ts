// The StatefulSet controller against a real API server with no other controllers and no
// scheduler (the test plays kubelet by marking pods Running and Ready): ordered creation that
// waits for each predecessor, claims made from templates before their pods, scale-down from the
// highest ordinal, Parallel creation, partitioned rolling updates, claim retention owners, and
// the revision history kubectl reads.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statefulSetKind, type StatefulSet } from '../../api/apps/v1/index.js';
import { eventKind, persistentVolumeClaimKind, podKind, type Event, type PersistentVolumeClaim, type Pod } from '../../api/core/v1/index.js';
import { kubectlOk } from '../../../test/support/kubectl.js';
import { eventually, markRunning, startCluster, type Cluster } from '../testing/index.test.js';
import { statefulSetController } from './index.js';

const NS = 'default';

function statefulSet(name: string, o: { replicas: number; parallel?: boolean; partition?: number; claims?: boolean; retention?: 'Delete' } ): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: NS },
    spec: {
      replicas: o.replicas,
      serviceName: 'nginx',
      selector: { matchLabels: { app: name } },
      ...(o.parallel ? { podManagementPolicy: 'Parallel' as const } : {}),
      ...(o.partition !== undefined ? { updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { partition: o.partition } } } : {}),
      ...(o.retention ? { persistentVolumeClaimRetentionPolicy: { whenDeleted: o.retention, whenScaled: o.retention } } : {}),
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'web', image: 'nginx:1', volumeMounts: o.claims ? [{ name: 'www', mountPath: '/usr/share/nginx/html' }] : [] }],
          // Replaced by the claim volume; declared only because the API server (unlike Kubernetes)
          // checks template volume mounts against template volumes alone.
          ...(o.claims ? { volumes: [{ name: 'www', emptyDir: {} }] } : {}),
        },
      },
      ...(o.claims
        ? { volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] }
        : {}),
    },
  };
}

describe('StatefulSet controller', () => {
  let env: Cluster;
  const pods = async (app: string): Promise<Pod[]> =>
    (await env.client.list<Pod>(podKind, NS, { labelSelector: `app=${app}` })).items.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const names = async (app: string): Promise<string[]> => (await pods(app)).map((p) => p.metadata?.name ?? '');
  const getSet = (name: string): Promise<StatefulSet> => env.client.get<StatefulSet>(statefulSetKind, NS, name);
  const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  /** Plays kubelet for every not-yet-running pod of the app. */
  const startAll = async (app: string): Promise<void> => {
    for (const p of await pods(app)) if (p.status?.phase !== 'Running' && !p.metadata?.deletionTimestamp) await markRunning(env.client, p);
  };

  before(async () => {
    env = await startCluster();
    env.run(statefulSetController);
  });
  after(async () => env.stop());

  it('creates pods in order, each after its predecessor is ready, with claims made first', async () => {
    await env.client.create(statefulSetKind, NS, statefulSet('web', { replicas: 3, claims: true }));
    await eventually(async () => (await names('web')).join() === 'web-0', { what: 'web-0' });
    // Give the controller every chance to run ahead; it must not while web-0 is not ready.
    await eventually(async () => (await getSet('web')).status?.replicas === 1, { what: 'status replicas 1' });
    await pause(500);
    assert.deepEqual(await names('web'), ['web-0']);

    const [web0] = await pods('web');
    assert.equal(web0?.spec?.hostname, 'web-0');
    assert.equal(web0?.spec?.subdomain, 'nginx');
    assert.equal(web0?.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(web0?.metadata?.labels?.['apps.kubernetes.io/pod-index'], '0');
    assert.match(web0?.metadata?.labels?.['controller-revision-hash'] ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.deepEqual(web0?.spec?.volumes?.[0], { name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
    const claim = await env.client.get<PersistentVolumeClaim>(persistentVolumeClaimKind, NS, 'www-web-0');
    assert.equal(claim.metadata?.labels?.app, 'web');
    assert.equal(claim.metadata?.ownerReferences, undefined, 'Retain policy: claims have no owners');

    await markRunning(env.client, web0 as Pod);
    await eventually(async () => (await names('web')).join() === 'web-0,web-1', { what: 'web-1 after web-0 is ready' });
    await pause(300);
    assert.deepEqual(await names('web'), ['web-0', 'web-1']);
    await startAll('web');
    await eventually(async () => (await names('web')).length === 3, { what: 'web-2' });
    await startAll('web');
    const set = await eventually(async () => {
      const s = await getSet('web');
      return s.status?.readyReplicas === 3 ? s : undefined;
    }, { what: 'three ready replicas' });
    assert.equal(set.status?.replicas, 3);
    assert.equal(set.status?.availableReplicas, 3);
    assert.equal(set.status?.currentRevision, set.status?.updateRevision);
    assert.equal(set.status?.observedGeneration, set.metadata?.generation);

    const events = (await env.client.list<Event>(eventKind, NS)).items.filter((e) => e.involvedObject?.name === 'web').map((e) => `${e.reason}: ${e.message}`);
    assert.ok(events.includes('SuccessfulCreate: create Pod web-0 in StatefulSet web successful'), events.join('\n'));
    assert.ok(events.includes('SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success'), events.join('\n'));
  });

  it('scales down from the highest ordinal, one pod at a time, keeping the claims', async () => {
    const deleted: string[] = [];
    const ac = new AbortController();
    const watching = env.client
      .watch<Pod>(podKind, NS, { labelSelector: 'app=web', signal: ac.signal }, (e) => {
        if (e.type === 'DELETED') deleted.push(e.object.metadata?.name ?? '');
      })
      .catch(() => undefined);
    await env.client.patch(statefulSetKind, NS, 'web', { type: 'merge', body: { spec: { replicas: 1 } } });
    await eventually(async () => (await names('web')).join() === 'web-0', { what: 'scale down to web-0' });
    await eventually(() => deleted.length === 2, { what: 'two deletions seen' });
    ac.abort();
    await watching;
    assert.deepEqual(deleted, ['web-2', 'web-1']);
    const claims = (await env.client.list<PersistentVolumeClaim>(persistentVolumeClaimKind, NS)).items.map((c) => c.metadata?.name).sort();
    assert.deepEqual(claims, ['www-web-0', 'www-web-1', 'www-web-2']);
  });

  it('Parallel creates every pod at once', async () => {
    await env.client.create(statefulSetKind, NS, statefulSet('par', { replicas: 3, parallel: true }));
    await eventually(async () => (await names('par')).join() === 'par-0,par-1,par-2', { what: 'all three pods without waiting for readiness' });
  });

  it('rolls out from the highest ordinal, honouring the partition, and kubectl shows the history', async () => {
    await env.client.create(statefulSetKind, NS, statefulSet('db', { replicas: 3, partition: 2 }));
    for (let i = 0; i < 3; i++) {
      await eventually(async () => (await names('db')).length === i + 1, { what: `db-${i}` });
      await startAll('db');
    }
    const before = await eventually(async () => {
      const s = await getSet('db');
      return s.status?.readyReplicas === 3 ? s : undefined;
    }, { what: 'db ready' });
    const oldRev = before.status?.currentRevision ?? '';

    await env.client.patch(statefulSetKind, NS, 'db', { type: 'strategic', body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } } });
    const updated = await eventually(async () => {
      await startAll('db');
      const s = await getSet('db');
      return s.status?.updatedReplicas === 1 && s.status.readyReplicas === 3 ? s : undefined;
    }, { what: 'db-2 updated' });
    const newRev = updated.status?.updateRevision ?? '';
    assert.notEqual(newRev, oldRev);
    assert.equal(updated.status?.currentRevision, oldRev, 'partitioned: current revision stays');
    const revOf = async (): Promise<string[]> => (await pods('db')).map((p) => `${p.metadata?.name ?? ''}=${p.metadata?.labels?.['controller-revision-hash'] === newRev ? 'new' : 'old'}`);
    assert.deepEqual(await revOf(), ['db-0=old', 'db-1=old', 'db-2=new']);
    assert.equal((await pods('db'))[2]?.spec?.containers[0]?.image, 'nginx:2');

    const deleted: string[] = [];
    const ac = new AbortController();
    const watching = env.client
      .watch<Pod>(podKind, NS, { labelSelector: 'app=db', signal: ac.signal }, (e) => {
        if (e.type === 'DELETED') deleted.push(e.object.metadata?.name ?? '');
      })
      .catch(() => undefined);
    await env.client.patch(statefulSetKind, NS, 'db', { type: 'merge', body: { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } } });
    const done = await eventually(async () => {
      await startAll('db');
      const s = await getSet('db');
      return s.status?.updatedReplicas === 3 && s.status.readyReplicas === 3 && s.status.currentRevision === newRev ? s : undefined;
    }, { what: 'every pod updated', timeoutMs: 30_000 });
    ac.abort();
    await watching;
    assert.deepEqual(deleted, ['db-1', 'db-0'], 'updated from the highest ordinal down');
    assert.equal(done.status?.currentReplicas, 3);
    assert.deepEqual(await revOf(), ['db-0=new', 'db-1=new', 'db-2=new']);

    const kc = { kubeconfig: env.server.kubeconfig };
    const history = await kubectlOk(['rollout', 'history', 'sts/db', '-n', NS], kc);
    assert.match(history, /statefulset\.apps\/db/);
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    assert.match(await kubectlOk(['rollout', 'history', 'sts/db', '-n', NS, '--revision=1'], kc), /nginx:1/);
    assert.match(await kubectlOk(['rollout', 'status', 'sts/db', '-n', NS, '--timeout=5s'], kc), /partitioned roll out complete: 3 new pods have been updated/);
    assert.match(await kubectlOk(['rollout', 'undo', 'sts/db', '-n', NS], kc), /rolled back/);
    assert.equal((await getSet('db')).spec?.template?.spec?.containers[0]?.image, 'nginx:1');
    await eventually(async () => /\n2\s+<none>\n3\s+<none>/.test(await kubectlOk(['rollout', 'history', 'sts/db', '-n', NS], kc)), {
      what: 'the rolled-back revision renumbered to 3',
    });
    assert.match(await kubectlOk(['rollout', 'undo', 'sts/db', '-n', NS, '--to-revision=3'], kc), /skipped rollback/);
  });

  it('retention policy Delete: claims owned by the set, and by their pod once it is scaled away', async () => {
    await env.client.create(statefulSetKind, NS, statefulSet('kept', { replicas: 2, claims: true, retention: 'Delete' }));
    for (let i = 0; i < 2; i++) {
      await eventually(async () => (await names('kept')).length === i + 1, { what: `kept-${i}` });
      await startAll('kept');
    }
    const set = await getSet('kept');
    const c0 = await env.client.get<PersistentVolumeClaim>(persistentVolumeClaimKind, NS, 'www-kept-0');
    assert.deepEqual(c0.metadata?.ownerReferences?.map((r) => [r.kind, r.uid]), [['StatefulSet', set.metadata?.uid]]);
    const pod1 = (await pods('kept'))[1] as Pod;
    await env.client.patch(statefulSetKind, NS, 'kept', { type: 'merge', body: { spec: { replicas: 1 } } });
    const c1 = await eventually(async () => {
      const c = await env.client.get<PersistentVolumeClaim>(persistentVolumeClaimKind, NS, 'www-kept-1');
      return c.metadata?.ownerReferences?.some((r) => r.kind === 'Pod') ? c : undefined;
    }, { what: 'www-kept-1 owned by its pod' });
    assert.deepEqual(c1.metadata?.ownerReferences?.map((r) => [r.kind, r.uid]), [['Pod', pod1.metadata?.uid]]);
    await eventually(async () => (await names('kept')).join() === 'kept-0', { what: 'kept-1 deleted' });
  });
});
