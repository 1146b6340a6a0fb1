// End-to-end check that the official JavaScript client (@kubernetes/client-node) drives a real
// `tug server` exactly as it drives Kubernetes: typed CRUD on ConfigMaps and Deployments, every
// patch flavour, label-selected and paged lists, an informer that sees adds, updates and deletes,
// and recovery when a watch resumes from a resourceVersion the watch cache has already dropped
// (the server answers with a 410 ERROR event and the informer must re-list to the true state).
// Only the client library talks to the API, except for the bulk writes that push old events out
// of the watch cache, which go over raw HTTPS because they are about volume, not the client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type Informer,
  type ObjectCache,
  type V1ConfigMap,
  type V1Deployment,
} from '@kubernetes/client-node';
import { startTugServer, type TugServer } from '../support/tug-server.js';

/** Events the server's watch cache keeps per kind; a watch from before them gets 410 Gone. */
const WATCH_CACHE_CAPACITY = 4096;

function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      const v = check();
      if (v !== undefined) resolve(v);
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof ApiException) return err.code;
    throw err;
  }
}

/** One raw HTTPS request on a keep-alive agent; resolves with status and body text. */
function raw(server: TugServer, agent: Agent, o: { method: string; path: string; body?: unknown; contentType?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
    const req = request(
      `${server.url}${o.path}`,
      {
        method: o.method,
        agent,
        ca: server.caCertPem,
        headers: {
          Authorization: `Bearer ${server.token}`,
          Accept: 'application/json',
          ...(payload === undefined ? {} : { 'Content-Type': o.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>): V1ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

describe('@kubernetes/client-node against tug server (sqlite)', { timeout: 180_000 }, () => {
  let server: TugServer;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  before(async () => {
    server = await startTugServer({ datastore: 'sqlite' });
    kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    for (const name of ['cn-crud', 'cn-paging', 'cn-informer', 'cn-relist']) {
      await core.createNamespace({ body: { metadata: { name } } });
    }
  });

  after(async () => {
    await server?.cleanup();
  });

  it('creates, reads, replaces, patches and deletes ConfigMaps', async () => {
    const namespace = 'cn-crud';
    const created = await core.createNamespacedConfigMap({ namespace, body: cm('settings', { mode: 'fast' }, { app: 'demo' }) });
    assert.equal(created.metadata?.namespace, namespace);
    assert.ok(created.metadata?.uid, 'server assigns a uid');
    assert.ok(created.metadata?.resourceVersion, 'server assigns a resourceVersion');
    assert.ok(created.metadata?.creationTimestamp instanceof Date, 'creationTimestamp parses as a date');

    assert.equal(await statusOf(core.createNamespacedConfigMap({ namespace, body: cm('settings', {}) })), 409);

    const got = await core.readNamespacedConfigMap({ name: 'settings', namespace });
    assert.deepEqual(got.data, { mode: 'fast' });
    assert.equal(got.metadata?.uid, created.metadata?.uid);

    const replaced = await core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace,
      body: { ...got, data: { mode: 'slow', extra: '1' } },
    });
    assert.deepEqual(replaced.data, { mode: 'slow', extra: '1' });
    assert.notEqual(replaced.metadata?.resourceVersion, got.metadata?.resourceVersion);
    // Replacing with the now-stale resourceVersion is an optimistic-concurrency conflict.
    assert.equal(await statusOf(core.replaceNamespacedConfigMap({ name: 'settings', namespace, body: { ...got, data: { mode: 'lost' } } })), 409);

    // The generated client sends JSON Patch unless told otherwise.
    const jsonPatched = await core.patchNamespacedConfigMap({
      name: 'settings',
      namespace,
      body: [
        { op: 'replace', path: '/data/mode', value: 'json' },
        { op: 'remove', path: '/data/extra' },
      ],
    });
    assert.deepEqual(jsonPatched.data, { mode: 'json' });

    const merged = await core.patchNamespacedConfigMap(
      { name: 'settings', namespace, body: { metadata: { labels: { tier: 'web' } }, data: { added: 'yes', mode: null } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.data, { added: 'yes' });
    assert.deepEqual(merged.metadata?.labels, { app: 'demo', tier: 'web' });

    const strategic = await core.patchNamespacedConfigMap(
      { name: 'settings', namespace, body: { data: { s: 'smp' } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(strategic.data, { added: 'yes', s: 'smp' });

    await core.deleteNamespacedConfigMap({ name: 'settings', namespace });
    assert.equal(await statusOf(core.readNamespacedConfigMap({ name: 'settings', namespace })), 404);
    assert.equal(await statusOf(core.deleteNamespacedConfigMap({ name: 'settings', namespace })), 404);
  });

  it('creates, reads, lists, replaces, patches and deletes a Deployment', async () => {
    const namespace = 'cn-crud';
    const body: V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'main', image: 'busybox:1', ports: [{ containerPort: 8080 }] }, { name: 'side', image: 'pause:1' }] },
        },
      },
    };
    const created = await apps.createNamespacedDeployment({ namespace, body });
    assert.equal(created.metadata?.generation, 1);
    // Defaults the server must fill in, as Kubernetes does.
    assert.equal(created.spec?.strategy?.type, 'RollingUpdate');
    assert.equal(created.spec?.revisionHistoryLimit, 10);
    assert.equal(created.spec?.template.spec?.restartPolicy, 'Always');
    assert.equal(created.spec?.template.spec?.containers[0]?.ports?.[0]?.protocol, 'TCP');

    const got = await apps.readNamespacedDeployment({ name: 'web', namespace });
    assert.equal(got.spec?.replicas, 2);

    const list = await apps.listNamespacedDeployment({ namespace });
    assert.deepEqual(list.items.map((d) => d.metadata?.name), ['web']);
    assert.ok(list.metadata?.resourceVersion, 'lists carry a resourceVersion');

    // Read-modify-write as real clients do: a controller may write status in between (409).
    let replaced: V1Deployment | undefined;
    for (let attempt = 0; !replaced && attempt < 5; attempt++) {
      const current = await apps.readNamespacedDeployment({ name: 'web', namespace });
      current.spec = { ...current.spec!, replicas: 3 };
      replaced = await apps.replaceNamespacedDeployment({ name: 'web', namespace, body: current }).catch((err: unknown) => {
        if (err instanceof ApiException && err.code === 409) return undefined;
        throw err;
      });
    }
    assert.ok(replaced, 'replace kept conflicting');
    assert.equal(replaced.spec?.replicas, 3);
    assert.equal(replaced.metadata?.generation, 1 + 1, 'a spec change bumps generation');

    // Strategic merge: containers merge by name, so only `main` changes and `side` stays.
    const patched = await apps.patchNamespacedDeployment(
      { name: 'web', namespace, body: { spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox:2' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const containers = patched.spec?.template.spec?.containers ?? [];
    assert.deepEqual(containers.map((c) => [c.name, c.image]), [['main', 'busybox:2'], ['side', 'pause:1']]);
    assert.equal(containers[0]?.ports?.[0]?.containerPort, 8080, 'fields the patch did not name survive');

    // An invalid object is rejected with 422 and nothing changes.
    const invalid = await statusOf(
      apps.patchNamespacedDeployment(
        { name: 'web', namespace, body: { spec: { replicas: -1 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    assert.equal(invalid, 422);

    await apps.deleteNamespacedDeployment({ name: 'web', namespace });
    assert.equal(await statusOf(apps.readNamespacedDeployment({ name: 'web', namespace })), 404);
  });

  it('lists with a label selector and pages with limit/continue', async () => {
    const namespace = 'cn-paging';
    for (let i = 0; i < 30; i++) {
      const name = `item-${String(i).padStart(2, '0')}`;
      await core.createNamespacedConfigMap({ namespace, body: cm(name, { i: String(i) }, { parity: i % 2 === 0 ? 'even' : 'odd', group: i < 10 ? 'a' : 'b' }) });
    }
    const even = await core.listNamespacedConfigMap({ namespace, labelSelector: 'parity=even' });
    assert.equal(even.items.length, 15);
    assert.deepEqual(new Set(even.items.map((c) => c.metadata?.labels?.parity)), new Set(['even']));

    const set = await core.listNamespacedConfigMap({ namespace, labelSelector: 'parity in (odd),group!=b' });
    assert.deepEqual(set.items.map((c) => c.metadata?.name), ['item-01', 'item-03', 'item-05', 'item-07', 'item-09']);

    // Other components may add objects to every namespace; page over whatever is there.
    const everything = (await core.listNamespacedConfigMap({ namespace })).items.map((c) => c.metadata?.name ?? '');
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    let firstRV: string | undefined;
    do {
      const page = await core.listNamespacedConfigMap({ namespace, limit: 7, ...(token ? { _continue: token } : {}) });
      pages++;
      names.push(...page.items.map((c) => c.metadata?.name ?? ''));
      firstRV ??= page.metadata?.resourceVersion;
      // Every page is served at the first page's snapshot.
      assert.equal(page.metadata?.resourceVersion, firstRV);
      if (pages === 1) assert.equal(page.metadata?.remainingItemCount, everything.length - 7);
      token = page.metadata?._continue || undefined;
      if (pages === 1) {
        // A write between pages must not show up in (or shift) the remaining pages.
        await core.createNamespacedConfigMap({ namespace, body: cm('item-00a', { late: 'yes' }) });
      }
    } while (token);
    assert.equal(pages, Math.ceil(everything.length / 7));
    assert.deepEqual(names, everything, 'pages add up to the snapshot, without the late write');
    assert.deepEqual(names.filter((n) => n.startsWith('item-')), Array.from({ length: 30 }, (_, i) => `item-${String(i).padStart(2, '0')}`));

    // With a selector the remaining count is unknown, so Kubernetes leaves it unset.
    const selected = await core.listNamespacedConfigMap({ namespace, labelSelector: 'group=a', limit: 4 });
    assert.equal(selected.items.length, 4);
    assert.ok(selected.metadata?._continue, 'a partial selected list has a continue token');
    assert.equal(selected.metadata?.remainingItemCount, undefined);
  });

  it('feeds an informer add, update and delete events', async () => {
    const namespace = 'cn-informer';
    const informer = makeInformer<V1ConfigMap>(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => core.listNamespacedConfigMap({ namespace }));
    const seen: string[] = [];
    const ours = (o: V1ConfigMap): boolean => o.data?.v !== undefined;
    informer.on('add', (o) => void (ours(o) && seen.push(`add ${o.metadata?.name} ${o.data?.v}`)));
    informer.on('update', (o) => void (ours(o) && seen.push(`update ${o.metadata?.name} ${o.data?.v}`)));
    informer.on('delete', (o) => void (ours(o) && seen.push(`delete ${o.metadata?.name}`)));
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await core.createNamespacedConfigMap({ namespace, body: cm('before', { v: '0' }) });
    await informer.start();
    try {
      await waitFor('initial list', () => (seen.includes('add before 0') ? true : undefined));
      await core.createNamespacedConfigMap({ namespace, body: cm('live', { v: '1' }) });
      await waitFor('add event', () => (seen.includes('add live 1') ? true : undefined));
      await core.patchNamespacedConfigMap({ name: 'live', namespace, body: { data: { v: '2' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await waitFor('update event', () => (seen.includes('update live 2') ? true : undefined));
      await core.deleteNamespacedConfigMap({ name: 'live', namespace });
      await waitFor('delete event', () => (seen.includes('delete live') ? true : undefined));
      assert.deepEqual(seen, ['add before 0', 'add live 1', 'update live 2', 'delete live']);
      assert.equal(informer.get('live', namespace), undefined);
      assert.equal(informer.get('before', namespace)?.data?.v, '0');
      assert.deepEqual(errors, []);
    } finally {
      await informer.stop();
    }
  });

  it('answers a watch from an expired resourceVersion with 410, and an informer re-lists', async () => {
    const namespace = 'cn-relist';
    const lists = { count: 0 };
    // Label-selected, so objects other components may add to the namespace stay out of it.
    const labelSelector = 'suite=relist';
    const informer: Informer<V1ConfigMap> & ObjectCache<V1ConfigMap> = makeInformer<V1ConfigMap>(
      kc,
      `/api/v1/namespaces/${namespace}/configmaps`,
      () => {
        lists.count++;
        return core.listNamespacedConfigMap({ namespace, labelSelector });
      },
      labelSelector,
    );
    const mine = { suite: 'relist' };
    const deleted: string[] = [];
    informer.on('delete', (o) => deleted.push(o.metadata?.name ?? ''));
    const workers = 16;
    for (let w = 0; w < workers; w++) await core.createNamespacedConfigMap({ namespace, body: cm(`hot-${w}`, { n: '0' }, mine) });
    await core.createNamespacedConfigMap({ namespace, body: cm('doomed', { n: '0' }, mine) });
    await informer.start();
    await waitFor('informer sync', () => (informer.list(namespace).length === workers + 1 ? true : undefined));
    await informer.stop();
    const staleRV = (await core.readNamespacedConfigMap({ name: 'hot-0', namespace })).metadata?.resourceVersion;
    assert.ok(staleRV);

    // Push more events than the watch cache holds: each worker updates its own ConfigMap so the
    // writes never conflict; the last value each one wrote is what a correct re-list must show.
    const perWorker = Math.ceil((WATCH_CACHE_CAPACITY + 200) / workers);
    const agent = new Agent({ keepAlive: true, maxSockets: workers });
    try {
      await Promise.all(
        Array.from({ length: workers }, async (_, w) => {
          for (let n = 1; n <= perWorker; n++) {
            const r = await raw(server, agent, {
              method: 'PATCH',
              path: `/api/v1/namespaces/${namespace}/configmaps/hot-${w}`,
              body: { data: { n: String(n) } },
              contentType: 'application/merge-patch+json',
            });
            assert.equal(r.status, 200, r.body);
          }
        }),
      );
    } finally {
      agent.destroy();
    }
    await core.deleteNamespacedConfigMap({ name: 'doomed', namespace });
    await core.createNamespacedConfigMap({ namespace, body: cm('newcomer', { n: 'new' }, mine) });

    // The low-level watch from the stale revision gets an ERROR event with a 410 Status.
    const events: { type: string; code?: number; reason?: string }[] = [];
    const ended = new Promise<unknown>((resolve) => {
      void new Watch(kc).watch(
        `/api/v1/namespaces/${namespace}/configmaps`,
        { resourceVersion: staleRV },
        (type, obj: { code?: number; reason?: string }) => events.push({ type, code: obj.code, reason: obj.reason }),
        resolve,
      );
    });
    const doneErr = await ended;
    assert.equal(doneErr, null, 'the server ends the stream cleanly after the ERROR event');
    assert.deepEqual(events, [{ type: 'ERROR', code: 410, reason: 'Expired' }]);

    // The informer resumes from its stale revision, is told 410, re-lists and converges.
    const listsBefore = lists.count;
    await informer.start();
    try {
      await waitFor(
        'informer to converge after 410',
        () => {
          const state = informer.list(namespace);
          const hotDone = Array.from({ length: workers }, (_, w) => informer.get(`hot-${w}`, namespace)?.data?.n).every((n) => n === String(perWorker));
          return hotDone && state.length === workers + 1 && informer.get('newcomer', namespace) && !informer.get('doomed', namespace) ? true : undefined;
        },
        30_000,
      );
      assert.ok(lists.count > listsBefore, 'the informer listed again');
      assert.deepEqual(deleted, ['doomed'], 'the re-list reports the object deleted while it was away');
      const fresh = await core.listNamespacedConfigMap({ namespace, labelSelector });
      assert.deepEqual(
        informer.list(namespace).map((c) => `${c.metadata?.name}=${c.data?.n}`).sort(),
        fresh.items.map((c) => `${c.metadata?.name}=${c.data?.n}`).sort(),
      );
    } finally {
      await informer.stop();
    }
  });
});
