// Integration tests of the Deployment controller (with our ReplicaSet controller and a fake
// kubelet) against a real `tug server`, driven by the real kubectl 1.32: create, rolling update
// within maxSurge/maxUnavailable at every observed step, rollout status/history/undo,
// pause/resume, Recreate, proportional scaling mid-rollout, history limits, adoption, and the
// progress deadline.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventKind, podKind, type Pod } from '../../api/core/v1/index.js';
import { deploymentKind, replicaSetKind, type Deployment, type ReplicaSet } from '../../api/apps/v1/index.js';
import { kubectl, kubectlOk } from '../../../test/support/kubectl.js';
import { replicaSetController } from '../replicaset/index.js';
import { createNamespace, eventually, startCluster, type Cluster } from '../testing/index.test.js';
import { deploymentController } from './index.js';

let c: Cluster;
const k = (ns: string, ...args: string[]): Promise<string> => kubectlOk(['-n', ns, ...args], { kubeconfig: c.server.kubeconfig });

before(async () => {
  c = await startCluster();
  c.run(replicaSetController, deploymentController);
  // Images with "never" in their name never become ready.
  c.fakeKubelet({ readyAfterMs: 80, shouldRun: (p) => !(p.spec?.containers ?? []).some((x) => (x.image ?? '').includes('never')) });
});

after(async () => {
  if (process.env.TUG_TEST_LOGS) console.error(c?.logs.join('\n'));
  await c?.stop();
});

const rsOf = async (ns: string): Promise<ReplicaSet[]> => (await c.client.list<ReplicaSet>(replicaSetKind, ns)).items;
const getDeploy = (ns: string, name: string): Promise<Deployment> => c.client.get<Deployment>(deploymentKind, ns, name);
const activePods = async (ns: string): Promise<Pod[]> =>
  (await c.client.list<Pod>(podKind, ns)).items.filter((p) => !p.metadata?.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));

/**
 * `kubectl create deployment`, sent as JSON: kubectl 1.32 posts typed creates as protobuf, which
 * the server does not read yet, so the manifest kubectl generates goes through `create -f -`.
 */
async function createDeployment(ns: string, name: string, ...flags: string[]): Promise<void> {
  const manifest = await k(ns, 'create', 'deployment', name, ...flags, '--dry-run=client', '-o', 'json');
  await kubectlOk(['-n', ns, 'create', '-f', '-'], { kubeconfig: c.server.kubeconfig, stdin: manifest });
}

async function rolledOut(ns: string, name: string): Promise<void> {
  await k(ns, 'rollout', 'status', `deployment/${name}`, '--timeout=60s');
}

/** Follows pods in a namespace (from a listed start) and calls `check` with the live ones after every change. */
async function samplePods(ns: string, check: (pods: Pod[]) => void): Promise<{ stop(): Promise<void>; samples: () => number }> {
  const list = await c.client.list<Pod>(podKind, ns);
  const live = new Map<string, Pod>(list.items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => [p.metadata?.name ?? '', p]));
  const abort = new AbortController();
  let samples = 0;
  const opts = { signal: abort.signal, resourceVersion: list.metadata.resourceVersion ?? '' };
  const done = c.client.watch<Pod>(podKind, ns, opts, (e) => {
    const key = e.object.metadata?.name ?? '';
    if (e.type === 'DELETED' || e.object.metadata?.deletionTimestamp) live.delete(key);
    else if (e.type === 'ADDED' || e.type === 'MODIFIED') live.set(key, e.object);
    samples += 1;
    check([...live.values()]);
  });
  return {
    samples: () => samples,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}

const isReady = (p: Pod): boolean => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;

describe('Deployment controller', () => {
  it('creates a hashed ReplicaSet and its pods, and reports a finished rollout', async () => {
    const ns = 'create';
    await createNamespace(c.client, ns);
    await createDeployment(ns, 'web', '--image=nginx:1.25', '--replicas=3');
    await rolledOut(ns, 'web');
    const [rs, ...rest] = await rsOf(ns);
    assert.ok(rs);
    assert.equal(rest.length, 0);
    const hash = rs.metadata?.labels?.['pod-template-hash'] ?? '';
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    assert.equal(rs.metadata?.name, `web-${hash}`);
    assert.equal(rs.spec?.selector?.matchLabels?.['pod-template-hash'], hash);
    assert.equal(rs.spec?.template?.metadata?.labels?.['pod-template-hash'], hash);
    assert.deepEqual(
      { rev: rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], desired: rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], max: rs.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'] },
      { rev: '1', desired: '3', max: '4' },
    );
    const pods = await activePods(ns);
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.metadata?.labels?.['pod-template-hash'] === hash && p.metadata?.name?.startsWith(`web-${hash}-`)));
    const d = await getDeploy(ns, 'web');
    assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
    const s = d.status ?? {};
    assert.deepEqual([s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas ?? 0, s.observedGeneration], [3, 3, 3, 3, 0, d.metadata?.generation]);
    const cond = (t: string) => s.conditions?.find((x) => x.type === t);
    assert.equal(cond('Available')?.reason, 'MinimumReplicasAvailable');
    assert.equal(cond('Progressing')?.reason, 'NewReplicaSetAvailable');
    assert.equal(cond('Progressing')?.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
    const events = (await c.client.list(eventKind, ns)).items.filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
    assert.deepEqual(events, [`Scaled up replica set web-${hash} from 0 to 3`]);
  });

  it('rolls out a new image within maxSurge and maxUnavailable, with history and undo', async () => {
    const ns = 'rolling';
    await createNamespace(c.client, ns);
    await createDeployment(ns, 'web', '--image=nginx:1.25', '--replicas=4');
    await k(ns, 'patch', 'deployment/web', '-p', JSON.stringify({ spec: { strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } } }));
    await rolledOut(ns, 'web');
    const violations: string[] = [];
    const sampler = await samplePods(ns, (pods) => {
      const available = pods.filter(isReady).length;
      if (pods.length > 5) violations.push(`${pods.length} pods exist (max 5)`);
      if (available < 3) violations.push(`only ${available} pods available (min 3)`);
    });
    await k(ns, 'set', 'image', 'deployment/web', 'nginx=nginx:1.26');
    await k(ns, 'annotate', 'deployment/web', 'kubernetes.io/change-cause=upgrade to 1.26');
    await rolledOut(ns, 'web');
    await sampler.stop();
    assert.deepEqual(violations, []);
    assert.ok(sampler.samples() > 10, 'the rollout went through several observed steps');
    const pods = await activePods(ns);
    assert.equal(pods.length, 4);
    assert.ok(pods.every((p) => p.spec?.containers?.[0]?.image === 'nginx:1.26'));
    const rss = await rsOf(ns);
    assert.equal(rss.length, 2);
    const byRev = new Map(rss.map((rs) => [rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], rs]));
    assert.equal(byRev.get('1')?.spec?.replicas, 0);
    assert.equal(byRev.get('2')?.spec?.replicas, 4);
    const downs = (await c.client.list(eventKind, ns)).items.map((e) => String(e.message)).filter((m) => m.startsWith('Scaled down'));
    assert.ok(downs.some((m) => new RegExp(`^Scaled down replica set ${byRev.get('1')?.metadata?.name} from \\d+ to \\d+$`).test(m)), downs.join('\n'));

    const history = await k(ns, 'rollout', 'history', 'deployment/web');
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+upgrade to 1\.26\n/);

    const firstRS = byRev.get('1') as ReplicaSet;
    assert.match(await k(ns, 'rollout', 'undo', 'deployment/web'), /rolled back/);
    await rolledOut(ns, 'web');
    const after = await rsOf(ns);
    assert.equal(after.length, 2, 'undo reuses the old ReplicaSet');
    const back = after.find((rs) => rs.metadata?.uid === firstRS.metadata?.uid);
    assert.equal(back?.spec?.replicas, 4);
    assert.equal(back?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(back?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal((await getDeploy(ns, 'web')).metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.ok((await activePods(ns)).every((p) => p.spec?.containers?.[0]?.image === 'nginx:1.25'));
    assert.match(await k(ns, 'rollout', 'history', 'deployment/web'), /REVISION\s+CHANGE-CAUSE\n2\s+upgrade to 1\.26\n3\s+<none>\n/);

    await k(ns, 'rollout', 'undo', 'deployment/web', '--to-revision=2');
    await rolledOut(ns, 'web');
    assert.equal((await rsOf(ns)).length, 2);
    assert.ok((await activePods(ns)).every((p) => p.spec?.containers?.[0]?.image === 'nginx:1.26'));
  });

  it('makes no rollout progress while paused but still scales, and resumes', async () => {
    const ns = 'pause';
    await createNamespace(c.client, ns);
    await createDeployment(ns, 'web', '--image=nginx:1.25', '--replicas=2');
    await rolledOut(ns, 'web');
    await k(ns, 'rollout', 'pause', 'deployment/web');
    await k(ns, 'set', 'image', 'deployment/web', 'nginx=nginx:1.26');
    await k(ns, 'scale', 'deployment/web', '--replicas=3');
    const paused = await eventually(async () => {
      const d = await getDeploy(ns, 'web');
      const p = d.status?.conditions?.find((x) => x.type === 'Progressing');
      return p?.reason === 'DeploymentPaused' && d.status?.observedGeneration === d.metadata?.generation && d.status?.availableReplicas === 3 ? p : undefined;
    }, { what: 'paused and scaled' });
    assert.equal(paused.status, 'Unknown');
    await new Promise((r) => setTimeout(r, 300));
    const rss = await rsOf(ns);
    assert.equal(rss.length, 1, 'no new ReplicaSet while paused');
    assert.equal(rss[0]?.spec?.replicas, 3);
    assert.ok((await activePods(ns)).every((p) => p.spec?.containers?.[0]?.image === 'nginx:1.25'));

    await k(ns, 'rollout', 'resume', 'deployment/web');
    await rolledOut(ns, 'web');
    const pods = await activePods(ns);
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.spec?.containers?.[0]?.image === 'nginx:1.26'));
    assert.equal((await rsOf(ns)).length, 2);
  });

  it('Recreate removes every old pod before creating new ones', async () => {
    const ns = 'recreate';
    await createNamespace(c.client, ns);
    await createDeployment(ns, 'web', '--image=nginx:1.25', '--replicas=3');
    await k(ns, 'patch', 'deployment/web', '-p', JSON.stringify({ spec: { strategy: { type: 'Recreate', rollingUpdate: null } } }));
    await rolledOut(ns, 'web');
    const mixed: string[] = [];
    const sampler = await samplePods(ns, (pods) => {
      const images = new Set(pods.map((p) => p.spec?.containers?.[0]?.image));
      if (images.size > 1) mixed.push([...images].join(','));
    });
    await k(ns, 'set', 'image', 'deployment/web', 'nginx=nginx:1.26');
    await rolledOut(ns, 'web');
    await sampler.stop();
    assert.deepEqual(mixed, []);
    const pods = await activePods(ns);
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.spec?.containers?.[0]?.image === 'nginx:1.26'));
  });

  it('spreads a scale-up mid-rollout over the ReplicaSets in proportion', async () => {
    const ns = 'proportional';
    await createNamespace(c.client, ns);
    await createDeployment(ns, 'web', '--image=nginx:1.25', '--replicas=10');
    await k(ns, 'patch', 'deployment/web', '-p', JSON.stringify({ spec: { strategy: { rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } } }));
    await rolledOut(ns, 'web');
    const first = (await rsOf(ns))[0] as ReplicaSet;
    // The new pods never become ready, so the rollout stops at 8 old + 5 new.
    await k(ns, 'set', 'image', 'deployment/web', 'nginx=never-ready:1');
    const sizes = async (): Promise<[number, number] | undefined> => {
      const rss = await rsOf(ns);
      const old = rss.find((r) => r.metadata?.uid === first.metadata?.uid);
      const fresh = rss.find((r) => r.metadata?.uid !== first.metadata?.uid);
      return old && fresh ? [old.spec?.replicas ?? 0, fresh.spec?.replicas ?? 0] : undefined;
    };
    await eventually(async () => ((await sizes())?.join() === '8,5' ? true : undefined), { what: 'rollout stuck at 8 old + 5 new' });
    await k(ns, 'scale', 'deployment/web', '--replicas=20');
    // 10 more (up to 20 + 3 surge) split by size: 8 * 23/13 -> 14 and 5 * 23/13 -> 9.
    await eventually(async () => ((await sizes())?.join() === '14,9' ? true : undefined), { what: 'proportional 14 + 9' });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await sizes(), [14, 9]);
  });

  it('reports ProgressDeadlineExceeded when pods never become ready', async () => {
    const ns = 'deadline';
    await createNamespace(c.client, ns);
    await createDeployment(ns, 'stuck', '--image=never-ready:1', '--replicas=2');
    await k(ns, 'patch', 'deployment/stuck', '-p', JSON.stringify({ spec: { progressDeadlineSeconds: 3 } }));
    const r = await kubectl(['-n', ns, 'rollout', 'status', 'deployment/stuck', '--timeout=60s'], { kubeconfig: c.server.kubeconfig });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /deployment "stuck" exceeded its progress deadline/);
    const d = await getDeploy(ns, 'stuck');
    const p = d.status?.conditions?.find((x) => x.type === 'Progressing');
    assert.equal(p?.status, 'False');
    assert.equal(p?.reason, 'ProgressDeadlineExceeded');
    assert.match(p?.message ?? '', /^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/);
    assert.equal(d.status?.conditions?.find((x) => x.type === 'Available')?.reason, 'MinimumReplicasUnavailable');
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    const ns = 'history-limit';
    await createNamespace(c.client, ns);
    await createDeployment(ns, 'web', '--image=nginx:1.25', '--replicas=1');
    await k(ns, 'patch', 'deployment/web', '-p', JSON.stringify({ spec: { revisionHistoryLimit: 1 } }));
    for (const v of ['1.26', '1.27', '1.28']) {
      await k(ns, 'set', 'image', 'deployment/web', `nginx=nginx:${v}`);
      await rolledOut(ns, 'web');
    }
    const revisions = await eventually(async () => {
      const rss = await rsOf(ns);
      return rss.length === 2 ? rss.map((r) => r.metadata?.annotations?.['deployment.kubernetes.io/revision']).sort() : undefined;
    }, { what: 'two ReplicaSets left' });
    assert.deepEqual(revisions, ['3', '4']);
  });

  it('adopts a matching orphan ReplicaSet and releases one whose labels stop matching', async () => {
    const ns = 'adopt';
    await createNamespace(c.client, ns);
    const labels = { app: 'web' };
    const template = { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };
    const orphan = await c.client.create<ReplicaSet>(replicaSetKind, ns, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'handmade', labels },
      spec: { replicas: 2, selector: { matchLabels: labels }, template },
    } as ReplicaSet);
    const d = await c.client.create<Deployment>(deploymentKind, ns, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: labels }, template },
    } as Deployment);
    await rolledOut(ns, 'web');
    const rss = await rsOf(ns);
    assert.equal(rss.length, 1, 'the orphan is reused, not replaced');
    assert.equal(rss[0]?.metadata?.uid, orphan.metadata?.uid);
    assert.equal(rss[0]?.metadata?.ownerReferences?.[0]?.uid, d.metadata?.uid);

    await c.client.patch(replicaSetKind, ns, 'handmade', { type: 'merge', body: { metadata: { labels: { app: 'gone' } } } });
    await eventually(async () => ((await c.client.get<ReplicaSet>(replicaSetKind, ns, 'handmade')).metadata?.ownerReferences ?? []).length === 0 || undefined, {
      what: 'the ReplicaSet released',
    });
  });
});
