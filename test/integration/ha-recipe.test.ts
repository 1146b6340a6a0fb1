// The user guide's high-availability recipe, followed to the letter: one etcd, a first `tug
// server`, its tls/, admin-token and node-token copied into a second server's data dir, the
// second started on another address with the same port. What a user then relies on: the admin
// kubeconfig of either server works against both, a service-account token issued by one is
// accepted by the other, an agent joins through either with the shared node token, the
// `kubernetes` Service lists both servers, and one controller manager keeps running when the
// leader dies. Both servers listen on their own loopback address (127.0.0.2 and 127.0.0.3) and
// share one port, as servers behind one Service must.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd, type RunningEtcd } from '../support/etcd.js';
import { eventually } from '../support/eventually.js';
import { kubectl, kubectlOk } from '../support/kubectl.js';
import { freePort, startTugServer, type TugServer } from '../support/tug-server.js';
import { startHollowAgent, type HollowAgent } from '../support/hollow-cluster.js';

const KUBECTL = '1.32';
const ADVERTISED = ['10.99.0.2', '10.99.0.3'] as const;
let etcd: RunningEtcd;
let first: TugServer;
let second: TugServer;
let agent: HollowAgent | undefined;
let secondDir: string;

/** kubectl through `via`'s admin kubeconfig, but aimed at `at`'s address. */
const k = (via: TugServer, at: TugServer, args: string[]): Promise<string> => kubectlOk([`--server=${at.url}`, ...args], { kubeconfig: via.kubeconfig, version: KUBECTL });

describe('the HA recipe of the user guide', { timeout: 240_000 }, () => {
  before(async () => {
    etcd = await startEtcd();
    const dsn = etcd.endpoint.replace(/^http:/, 'etcd:');
    const port = await freePort();
    // Endpoints refuse loopback addresses, so each server advertises an address of the (imagined)
    // machine it would run on; nothing here sends traffic to them.
    first = await startTugServer({ datastore: dsn, host: '127.0.0.2', port, extraArgs: ['--advertise-address', ADVERTISED[0]] });
    await eventually(() => /became leader/.test(first.logs()), { what: 'the first server to lead' });
    secondDir = await mkdtemp(join(tmpdir(), 'tug-server-b-'));
    for (const f of ['tls', 'admin-token', 'node-token']) await cp(join(first.dataDir, f), join(secondDir, f), { recursive: true });
    second = await startTugServer({ datastore: dsn, host: '127.0.0.3', port, dataDir: secondDir, extraArgs: ['--advertise-address', ADVERTISED[1]] });
  });
  after(async () => {
    await agent?.stop();
    await second?.cleanup();
    await first?.cleanup();
    await rm(secondDir, { recursive: true, force: true });
    await etcd?.stop();
  });

  it('shares one CA and admin token: either kubeconfig works against both servers', async () => {
    assert.equal(second.caCertPem, first.caCertPem, 'the second server kept the copied CA');
    await k(first, first, ['create', 'namespace', 'ha']);
    // A's kubeconfig (its CA, its token) against B, and B's against A.
    assert.match(await k(first, second, ['get', 'namespace', 'ha', '-o', 'name']), /namespace\/ha/);
    await k(second, first, ['create', 'configmap', 'c', '-n', 'ha', '--from-literal=k=v']);
    assert.equal(await k(first, second, ['get', 'configmap', 'c', '-n', 'ha', '-o', 'jsonpath={.data.k}']), 'v');
  });

  it('accepts on one server a service-account token issued by the other', async () => {
    await k(first, first, ['create', 'serviceaccount', 'robot', '-n', 'ha']);
    await k(first, first, ['create', 'rolebinding', 'robot-view', '-n', 'ha', '--clusterrole=view', '--serviceaccount=ha:robot']);
    const token = (await k(first, first, ['create', 'token', 'robot', '-n', 'ha'])).trim();
    const asRobot = (at: TugServer, args: string[]) => kubectl([`--server=${at.url}`, `--token=${token}`, ...args], { kubeconfig: first.kubeconfig, version: KUBECTL });
    const onSecond = await asRobot(second, ['get', 'configmaps', '-n', 'ha', '-o', 'name']);
    assert.equal(onSecond.code, 0, onSecond.stderr);
    assert.match(onSecond.stdout, /configmap\/c/);
    // The token is still a ServiceAccount's, with its limits, on the other server.
    const denied = await asRobot(second, ['delete', 'configmap', 'c', '-n', 'ha']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /forbidden: User "system:serviceaccount:ha:robot" cannot delete/);
  });

  it('lists both servers as endpoints of the kubernetes Service', async () => {
    interface Endpoints {
      subsets?: { addresses?: { ip: string }[]; ports?: { port: number }[] }[];
    }
    await eventually(
      async () => {
        const ep = JSON.parse(await k(first, second, ['get', 'endpoints', 'kubernetes', '-n', 'default', '-o', 'json'])) as Endpoints;
        const ips = (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
        const ports = (ep.subsets ?? []).flatMap((s) => (s.ports ?? []).map((p) => p.port));
        return ips.join(',') === ADVERTISED.join(',') && ports.every((p) => p === first.port);
      },
      { what: 'both servers in the kubernetes endpoints' },
    );
  });

  it('lets an agent join through the second server with the shared node token', async () => {
    agent = await startHollowAgent(second, { nodes: 1, prefix: 'ha-node' });
    await k(first, first, ['create', 'deployment', 'web', '-n', 'ha', '--image=nginx', '--replicas=2']);
    await eventually(
      async () => {
        const out = await k(first, first, ['get', 'pods', '-n', 'ha', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}/{.status.phase} {end}']);
        const pods = out.trim().split(/\s+/).filter(Boolean);
        return pods.length === 2 && pods.every((p) => p === 'ha-node-0/Running');
      },
      { timeoutMs: 60_000, what: 'web pods Running on the node that joined via the second server' },
    );
  });

  it('keeps one controller manager when the leader dies', async () => {
    // The first server leads (before() waited for it); the agent talks to the second.
    assert.match(first.logs(), /became leader/);
    const survivor = second;
    await first.stop({ kill: true });
    await k(survivor, survivor, ['scale', 'deployment/web', '-n', 'ha', '--replicas=3']);
    await eventually(
      async () => {
        const out = await k(survivor, survivor, ['get', 'pods', '-n', 'ha', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.status.phase} {end}']);
        return out.trim().split(/\s+/).filter((p) => p === 'Running').length === 3;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the survivor to run the third pod' },
    );
    assert.match(survivor.logs(), /became leader/);
  });
});
