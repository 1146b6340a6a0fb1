// Services through the node's proxy on a real `tug up` node, driven by kubectl 1.32 (root only):
// a pod reaches a Deployment through its ClusterIP and gets both replicas; a pod reaches itself
// through its own Service (hairpin); the host reaches a NodePort on the node's address; a pod
// reaches the API server through the `kubernetes` Service (HTTPS, with its service-account token),
// whose EndpointSlice names the node address the server listens on; a Service with no endpoints
// refuses connections at once; `kubectl patch` to ClusterIP takes the node port away and back to
// NodePort gives a new one; while the cluster is stopped the rules stay and keep carrying
// traffic, a restarted agent re-syncs them, and `tug down` removes the table. Traffic goes only to
// this cluster's service, pod and node addresses (the node address is on a bridge `tug up` made).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { deleteLink, run } from '../../src/agent/network/index.js';
import { proxyTableName } from '../../src/agent/proxy/index.js';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/tug-server.js';
import { startTugUp, type TugUp } from '../support/tug-up.js';
import { apply, createNamespace, httpGet, httpOk, IMAGE, isRoot, shPod } from './lib.js';

const NS = 'svc-e2e';
const SERVE = 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www';

const webDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 2,
        containers: [{ name: 'web', image: IMAGE, command: ['sh', '-c', SERVE], ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } }],
      },
    },
  },
};
const service = (name: string, selector: Record<string, string>, extra: Record<string, unknown> = {}): unknown => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...extra },
});

interface SvcJson {
  spec: { type: string; clusterIP: string; ports: { nodePort?: number }[]; externalTrafficPolicy?: string };
}

async function tableExists(table: string): Promise<boolean> {
  return (await run('nft', ['list', 'table', 'inet', table])).code === 0;
}

describe('Services on tug up: the node proxy', { skip: !isRoot && 'needs root', timeout: 420_000 }, () => {
  let cluster: TugUp | undefined;
  // The API server listens on every address so pods can reach it at the node address; the node
  // address sits on a bridge of this test's own, in a /24 no other cluster uses.
  const id = randomBytes(2);
  const nodeBridge = `tugn${id.toString('hex')}`;
  const nodeCidr = `10.39.${(id[0] ?? 0) % 256}.0/24`;
  let extraArgs: string[] = [];
  const c = (): TugUp => {
    if (!cluster) throw new Error('cluster not started');
    return cluster;
  };
  const svc = async (name: string): Promise<SvcJson> => JSON.parse(await c().kubectlOk(['get', 'svc', name, '-n', NS, '-o', 'json'])) as SvcJson;
  // busybox's `wget -T` crashes (SIGSEGV) in the test image: time limits come from `timeout`.
  const exec = (pod: string, script: string) => c().kubectl(['exec', '-n', NS, pod, '--', 'sh', '-c', script], { timeoutMs: 30_000 });
  const nodeIP = async (): Promise<string> => (await c().kubectlOk(['get', 'node', c().node, '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}'])).trim();

  before(async () => {
    extraArgs = ['--listen', `0.0.0.0:${await freePort()}`, '--node-bridge-name', nodeBridge, '--node-cidr', nodeCidr];
    cluster = await startTugUp({ extraArgs });
    await createNamespace(c(), NS);
    await apply(
      c(),
      NS,
      webDeployment,
      service('web', { app: 'web' }),
      service('np', { app: 'web' }, { type: 'NodePort' }),
      service('empty', { app: 'nobody' }),
      service('hair', { app: 'hair' }),
      shPod('hair', SERVE, { labels: { app: 'hair' } }),
      shPod('client', 'sleep 3600'),
    );
    await c().kubectlOk(['rollout', 'status', '-n', NS, 'deployment/web', '--timeout=120s'], { timeoutMs: 130_000 });
    await c().kubectlOk(['wait', '-n', NS, '--for=condition=Ready', 'pod/hair', 'pod/client', '--timeout=120s'], { timeoutMs: 130_000 });
  });
  after(async () => {
    await cluster?.destroy();
    // `tug down` removes the node bridge it made; this is in case it could not.
    await deleteLink(nodeBridge).catch(() => false);
  });

  it('balances a pod’s connections to a ClusterIP over both replicas on the node', async () => {
    const ip = (await svc('web')).spec.clusterIP;
    const pods = (await c().kubectlOk(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).trim().split(/\s+/).sort();
    assert.equal(pods.length, 2);
    // The endpoints reach the proxy a moment after the pods are Ready.
    await eventually(async () => (await exec('client', `timeout 3 wget -qO- http://${ip}/`)).code === 0, { timeoutMs: 30_000, intervalMs: 500, what: `client → ${ip}` });
    const r = await exec('client', `for i in $(seq 1 16); do timeout 3 wget -qO- http://${ip}/ || echo FAILED; done`);
    const seen = r.stdout.trim().split('\n');
    assert.equal(seen.length, 16, r.stdout + r.stderr);
    assert.ok(!seen.includes('FAILED'), `every request answered: ${seen.join(', ')}`);
    assert.deepEqual([...new Set(seen)].sort(), pods, 'both replicas answered');
  });

  it('lets a pod reach itself through its own Service (hairpin)', async () => {
    const ip = (await svc('hair')).spec.clusterIP;
    const r = await eventually(
      async () => {
        const x = await exec('hair', `timeout 3 wget -qO- http://${ip}/`);
        return x.code === 0 ? x : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: `hair → ${ip} → hair` },
    );
    assert.equal(r.stdout.trim(), 'hair');
  });

  it('serves a NodePort on the node address to the host', async () => {
    const port = (await svc('np')).spec.ports[0]?.nodePort ?? 0;
    assert.ok(port >= 30000 && port <= 32767, `node port ${port}`);
    const body = await httpOk(`http://${await nodeIP()}:${port}/`);
    assert.match(body, /^web-/);
  });

  it('takes the node port away on kubectl patch to ClusterIP, and allocates one back on NodePort', async () => {
    const addr = await nodeIP();
    const before = (await svc('np')).spec.ports[0]?.nodePort ?? 0;
    await c().kubectlOk(['patch', 'svc', 'np', '-n', NS, '-p', '{"spec":{"type":"ClusterIP"}}']);
    const now = await svc('np');
    assert.equal(now.spec.type, 'ClusterIP');
    assert.equal(now.spec.ports[0]?.nodePort, undefined, 'the server dropped the node port');
    assert.equal(now.spec.externalTrafficPolicy, undefined);
    await eventually(async () => httpGet(`http://${addr}:${before}/`, 2000).then(() => false, (e: unknown) => /ECONNREFUSED/.test(String(e))), {
      timeoutMs: 15_000,
      intervalMs: 300,
      what: `node port ${before} to close`,
    });
    await c().kubectlOk(['patch', 'svc', 'np', '-n', NS, '-p', '{"spec":{"type":"NodePort"}}']);
    const again = (await svc('np')).spec.ports[0]?.nodePort ?? 0;
    assert.ok(again >= 30000 && again <= 32767, `new node port ${again}`);
    assert.match(await httpOk(`http://${addr}:${again}/`), /^web-/);
    // The cluster IP never changes.
    const r = await c().kubectl(['patch', 'svc', 'np', '-n', NS, '-p', '{"spec":{"clusterIP":"10.43.250.250"}}']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /spec\.clusterIPs\[0\]: Invalid value: .*may not change once set/);
  });

  it('lets a pod reach the API server through the kubernetes Service', async () => {
    const addr = await nodeIP();
    const slice = JSON.parse(await c().kubectlOk(['get', 'endpointslice', 'kubernetes', '-n', 'default', '-o', 'json'])) as {
      endpoints: { addresses: string[] }[];
      ports: { port: number }[];
      metadata: { labels: Record<string, string> };
    };
    assert.deepEqual(slice.endpoints.map((e) => e.addresses[0]), [addr], 'the server advertises the node address');
    assert.equal(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], undefined);
    const port = slice.ports[0]?.port;
    assert.match(await c().kubectlOk(['get', 'endpoints', 'kubernetes', '-n', 'default']), new RegExp(`${addr.replaceAll('.', '\\.')}:${port}`));
    const ip = (await c().kubectlOk(['get', 'svc', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const token = '/var/run/secrets/kubernetes.io/serviceaccount/token';
    // busybox's TLS cannot agree on a cipher with the server's ECDSA certificate and says so with
    // the server's handshake alert: either answer shows a TLS server behind the Service address.
    const script = `timeout 10 wget -qO- --no-check-certificate --header "Authorization: Bearer $(cat ${token})" https://${ip}/version`;
    const r = await exec('client', script);
    assert.match(r.stdout + r.stderr, /"gitVersion":\s*"v1\.32\.\d+\+tugboat"|TLS error from peer \(alert code \d+\)/, r.stdout + r.stderr);
    // The connection is made, neither refused nor dropped.
    const tcp = await exec('client', `timeout 10 nc ${ip} 443 </dev/null; echo "nc exit $?"`);
    assert.match(tcp.stdout, /nc exit 0/, tcp.stdout + tcp.stderr);
  });

  it('refuses connections to a Service with no endpoints at once', async () => {
    const ip = (await svc('empty')).spec.clusterIP;
    // A dropped packet would leave wget waiting until `timeout` kills it; a reject is "refused".
    const r = await exec('client', `timeout 20 wget -qO- http://${ip}/`);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Connection refused/, r.stderr);
  });

  it('keeps the rules while the cluster is stopped, re-syncs them on restart, and tug down removes them', async () => {
    const table = proxyTableName(c().node);
    assert.ok(await tableExists(table), `nft table inet ${table}`);
    const web = (await svc('web')).spec.clusterIP;
    assert.equal(await c().stop(), 0);
    assert.ok(await tableExists(table), 'the table outlives the agent');
    // Pods keep running under their shims; the host still reaches them through the cluster IP.
    assert.match(await httpOk(`http://${web}/`), /^web-/);
    cluster = await startTugUp({ again: c(), extraArgs });
    // A Service created after the restart is served, and so are the old ones.
    await apply(c(), NS, service('late', { app: 'web' }));
    const late = (await svc('late')).spec.clusterIP;
    await eventually(async () => (await exec('client', `timeout 3 wget -qO- http://${late}/`)).code === 0, { timeoutMs: 30_000, intervalMs: 500, what: `client → late ${late}` });
    assert.match((await exec('client', `timeout 3 wget -qO- http://${web}/`)).stdout, /^web-/);
    assert.match(c().output(), new RegExp(`proxy: table ${table} in sync`));
    await c().destroy();
    cluster = undefined;
    assert.equal(await tableExists(table), false, 'tug down deleted the table');
  });
});
