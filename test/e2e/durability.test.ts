// "Acknowledged writes survive kill -9 of the server", on sqlite and on etcd: objects created
// with kubectl, plus a stream of concurrent creates cut off by SIGKILL mid-flight, must all be
// there after a restart on the same data dir and port, with the same uid and resourceVersion;
// and the restarted server keeps counting resourceVersions upward.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type RunningEtcd } from '../support/etcd.js';
import { kubectl } from '../support/kubectl.js';
import { rawRequest } from '../support/raw-https.js';
import { startTugServer, type TugServer } from '../support/tug-server.js';
import type { Datastore } from './session.js';

interface Identity {
  uid: string;
  resourceVersion: string;
}

interface Listed {
  items: { kind?: string; metadata: { name: string; uid: string; resourceVersion: string } }[];
}

const NS = 'durable';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const SEED = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: keep
  namespace: ${NS}
data:
  a: b
---
apiVersion: v1
kind: Secret
metadata:
  name: keep
  namespace: ${NS}
stringData:
  password: hunter2
---
apiVersion: v1
kind: Service
metadata:
  name: keep
  namespace: ${NS}
spec:
  ports:
  - port: 80
`;

const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');

/** A server and the private HOME kubectl keeps its cache in. */
interface Target {
  server: TugServer;
  home: string;
}

async function kubectlOut(t: Target, args: string[], o: { stdin?: string } = {}): Promise<string> {
  const { server, home } = t;
  const r = await kubectl(args, { kubeconfig: server.kubeconfig, env: { HOME: home }, ...(o.stdin !== undefined ? { stdin: o.stdin } : {}) });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}\nserver log:\n${server.logs().slice(-2000)}`);
  return r.stdout;
}

/** name -> identity of everything of one resource in the namespace, read with kubectl. */
async function snapshot(t: Target, resource: string): Promise<Map<string, Identity>> {
  const out = await kubectlOut(t, ['get', resource, '-n', NS, '-o', 'json']);
  const list = JSON.parse(out) as Listed;
  return new Map(list.items.map((i) => [i.metadata.name, { uid: i.metadata.uid, resourceVersion: i.metadata.resourceVersion }]));
}

/** uid and resourceVersion of named objects (`kind/name`), read with kubectl. */
async function identities(t: Target, refs: string[]): Promise<Map<string, Identity>> {
  const out = await kubectlOut(t, ['get', ...refs, '-n', NS, '-o', 'jsonpath={range .items[*]}{.metadata.uid} {.metadata.resourceVersion}{"\\n"}{end}']);
  const ids = lines(out).map((l) => l.split(' '));
  assert.equal(ids.length, refs.length, out);
  return new Map(refs.map((r, i) => [r, { uid: ids[i]?.[0] ?? '', resourceVersion: ids[i]?.[1] ?? '' }]));
}

/** Creates configmaps over raw HTTPS, a few at a time, until the server dies; returns the acknowledged ones. */
async function createUntilKilled(server: TugServer, opts: { killAfterAcks: number }): Promise<Map<string, Identity>> {
  const acked = new Map<string, Identity>();
  let next = 0;
  let killed: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (killed) return;
      const name = `burst-${next++}`;
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: name } };
      try {
        const r = await rawRequest(server, { method: 'POST', path: `/api/v1/namespaces/${NS}/configmaps`, body, timeoutMs: 10_000 });
        if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${r.text}`);
        const m = (r.json as { metadata: Identity }).metadata;
        acked.set(name, { uid: m.uid, resourceVersion: m.resourceVersion });
        if (acked.size >= opts.killAfterAcks && !killed) killed = server.stop({ kill: true });
      } catch (err) {
        if (killed) return; // in flight when the server died: not acknowledged
        throw err;
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  await killed;
  return acked;
}

function durabilityScenario(datastore: Datastore): void {
  describe(`acknowledged writes survive kill -9 of tug server on ${datastore}`, { timeout: 300_000 }, () => {
    let etcd: RunningEtcd | undefined;
    let dataDir = '';
    let home = '';
    let dsn = 'sqlite';
    const servers: TugServer[] = [];

    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'tug-durable-'));
      home = await mkdtemp(join(tmpdir(), 'tug-durable-home-'));
      if (datastore === 'etcd') {
        etcd = await startEtcd();
        dsn = `etcd://${new URL(etcd.endpoint).host}`;
      }
    });

    after(async () => {
      for (const s of servers) await s.stop();
      await etcd?.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(home, { recursive: true, force: true });
    });

    it('keeps every acknowledged object, with its uid and resourceVersion, across SIGKILL and restart', async () => {
      const first = await startTugServer({ datastore: dsn, dataDir });
      servers.push(first);
      const applied = lines(await kubectlOut({ server: first, home }, ['apply', '-f', '-'], { stdin: SEED }));
      assert.deepEqual(applied, [`namespace/${NS} created`, 'configmap/keep created', 'secret/keep created', 'service/keep created']);
      await kubectlOut({ server: first, home }, ['label', 'configmap', 'keep', '-n', NS, 'version=2']);
      const seeded = await identities({ server: first, home }, ['configmap/keep', 'secret/keep', 'service/keep']);
      const burst = await createUntilKilled(first, { killAfterAcks: 40 });
      assert.ok(burst.size >= 40, `only ${burst.size} creates acknowledged`);
      assert.equal(alive(first.pid), false, 'the server survived SIGKILL');

      // A kubectl write straight before the crash: restart, write one more, kill at once.
      const second = await startTugServer({ datastore: dsn, dataDir, port: first.port });
      servers.push(second);
      const last = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\n  namespace: ${NS}\ndata:\n  k: v\n`;
      const lastOut = await kubectlOut({ server: second, home }, ['apply', '-f', '-', '-o', 'jsonpath={.metadata.uid} {.metadata.resourceVersion}'], { stdin: last });
      await second.stop({ kill: true });
      assert.equal(alive(second.pid), false);
      const [lastUid = '', lastRv = ''] = lastOut.split(' ');
      assert.match(lastRv, /^\d+$/, lastOut);

      const third = await startTugServer({ datastore: dsn, dataDir, port: first.port });
      servers.push(third);
      assert.equal(third.url, first.url);
      const configmaps = await snapshot({ server: third, home }, 'configmaps');
      const lost = [...burst].filter(([name, id]) => {
        const now = configmaps.get(name);
        return now?.uid !== id.uid || now.resourceVersion !== id.resourceVersion;
      });
      assert.deepEqual(lost, [], 'acknowledged creates lost or changed by kill -9');
      assert.deepEqual(configmaps.get('last'), { uid: lastUid, resourceVersion: lastRv });
      assert.equal(await kubectlOut({ server: third, home }, ['get', 'configmap', 'keep', '-n', NS, '-o', 'jsonpath={.metadata.labels.version}']), '2');
      assert.deepEqual(configmaps.get('keep'), seeded.get('configmap/keep'));
      assert.deepEqual((await snapshot({ server: third, home }, 'secrets')).get('keep'), seeded.get('secret/keep'));
      assert.deepEqual((await snapshot({ server: third, home }, 'services')).get('keep'), seeded.get('service/keep'));

      // New writes continue the revision sequence, and the service IP allocator remembers.
      const maxBefore = Math.max(...[...configmaps.values()].map((i) => Number(i.resourceVersion)));
      const after = `apiVersion: v1\nkind: Service\nmetadata:\n  name: after\n  namespace: ${NS}\nspec:\n  ports:\n  - port: 80\n`;
      const afterOut = await kubectlOut({ server: third, home }, ['apply', '-f', '-', '-o', 'jsonpath={.metadata.resourceVersion} {.spec.clusterIP}'], { stdin: after });
      const [rv = '', ip = ''] = afterOut.split(' ');
      assert.ok(Number(rv) > maxBefore, `resourceVersion ${rv} after restart is not above ${maxBefore}`);
      const keepIp = await kubectlOut({ server: third, home }, ['get', 'service', 'keep', '-n', NS, '-o', 'jsonpath={.spec.clusterIP}']);
      assert.notEqual(ip, keepIp, 'a restarted server handed out a cluster IP already in use');
    });
  });
}

durabilityScenario('sqlite');
durabilityScenario('etcd');
