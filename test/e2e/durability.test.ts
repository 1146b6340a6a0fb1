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

async function kubectlOut(server: TugServer, home: string, args: string[]): Promise<string> {
  const r = await kubectl(args, { kubeconfig: server.kubeconfig, env: { HOME: home } });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}\nserver log:\n${server.logs().slice(-2000)}`);
  return r.stdout;
}

/** name -> identity of everything of one resource in the namespace, read with kubectl. */
async function snapshot(server: TugServer, home: string, resource: string): Promise<Map<string, Identity>> {
  const out = await kubectlOut(server, home, ['get', resource, '-n', NS, '-o', 'json']);
  const list = JSON.parse(out) as Listed;
  return new Map(list.items.map((i) => [i.metadata.name, { uid: i.metadata.uid, resourceVersion: i.metadata.resourceVersion }]));
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
      await kubectlOut(first, home, ['create', 'namespace', NS]);
      const manifest = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: keep\n  namespace: ${NS}\nspec:\n  selector:\n    matchLabels:\n      app: keep\n  template:\n    metadata:\n      labels:\n        app: keep\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.25\n`;
      const apply = await kubectl(['apply', '-f', '-'], { kubeconfig: first.kubeconfig, env: { HOME: home }, stdin: manifest });
      assert.equal(apply.stdout.trim(), 'deployment.apps/keep created', apply.stderr);
      await kubectlOut(first, home, ['create', 'secret', 'generic', 'keep', '-n', NS, '--from-literal=a=b']);
      await kubectlOut(first, home, ['scale', 'deployment', 'keep', '-n', NS, '--replicas=3']);
      const burst = await createUntilKilled(first, { killAfterAcks: 40 });
      assert.ok(burst.size >= 40, `only ${burst.size} creates acknowledged`);
      assert.equal(alive(first.pid), false, 'the server survived SIGKILL');
      // kubectl writes straight before the crash: restart, write one more, kill again at once.
      const second = await startTugServer({ datastore: dsn, dataDir, port: first.port });
      servers.push(second);
      const lastOut = await kubectlOut(second, home, ['create', 'configmap', 'last', '-n', NS, '--from-literal=k=v', '-o', 'jsonpath={.metadata.uid} {.metadata.resourceVersion}']);
      const [lastUid = '', lastRv = ''] = lastOut.split(' ');
      const deployBefore = await snapshot(second, home, 'deployments');
      const secretsBefore = await snapshot(second, home, 'secrets');
      const configmapsBefore = await snapshot(second, home, 'configmaps');
      await second.stop({ kill: true });
      assert.equal(alive(second.pid), false);

      const third = await startTugServer({ datastore: dsn, dataDir, port: first.port });
      servers.push(third);
      assert.equal(third.url, first.url);
      const configmaps = await snapshot(third, home, 'configmaps');
      const missing = [...burst].filter(([name, id]) => {
        const now = configmaps.get(name);
        return now?.uid !== id.uid || now.resourceVersion !== id.resourceVersion;
      });
      assert.deepEqual(missing, [], 'acknowledged creates lost or changed by kill -9');
      assert.deepEqual(configmaps.get('last'), { uid: lastUid, resourceVersion: lastRv });
      assert.deepEqual(configmaps, configmapsBefore);
      assert.deepEqual(await snapshot(third, home, 'deployments'), deployBefore);
      assert.deepEqual(await snapshot(third, home, 'secrets'), secretsBefore);
      assert.equal((await kubectlOut(third, home, ['get', 'deployment', 'keep', '-n', NS, '-o', 'jsonpath={.spec.replicas}'])), '3');

      // New writes continue the revision sequence instead of reusing old numbers.
      const maxBefore = Math.max(...[...configmaps.values()].map((i) => Number(i.resourceVersion)));
      const rv = await kubectlOut(third, home, ['create', 'configmap', 'after', '-n', NS, '--from-literal=k=v', '-o', 'jsonpath={.metadata.resourceVersion}']);
      assert.ok(Number(rv) > maxBefore, `resourceVersion ${rv} after restart is not above ${maxBefore}`);
    });
  });
}

durabilityScenario('sqlite');
durabilityScenario('etcd');
