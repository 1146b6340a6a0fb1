// The ingress controller end to end against a real `tug server`, once per data plane (nginx, the
// default, with its own nginx child process; and Node's own http): Services and EndpointSlices
// created through the API point at backend HTTP servers this test runs on 127.0.0.x, and the
// controller (in this process) listens on loopback ports. Covers host/path routing, IngressClass
// selection and creation, default backend, 404/503 pages, X-Forwarded headers, TLS with SNI for
// two hosts, WebSocket through the proxy, retries past a dead endpoint (idempotent methods only),
// endpoint changes applied within a second under a stream of requests with no errors and
// without dropping requests in flight, and status.loadBalancer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent as HttpAgent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import { nodeKind, secretKind, serviceKind } from '../../src/api/core/v1/index.js';
import { endpointSliceKind } from '../../src/api/discovery/v1/index.js';
import { ingressClassKind, ingressKind, type Ingress, type IngressClass } from '../../src/api/networking/v1/index.js';
import { HttpClient, InformerFactory } from '../../src/client/index.js';
import { DATA_PLANES, IngressController, type DataPlaneName } from '../../src/agent/ingress/index.js';
import { eventually } from '../support/eventually.js';
import { freePort, startTugServer, type TugServer } from '../support/tug-server.js';
import { NS, call, certFor, ingressObj, service, slice, startBackend, tlsSecret, type Backend, type Reply } from './ingress-fixtures.js';

const DEAD_IP = '127.0.0.19';
const BACKENDS: Record<string, string> = {
  web: '127.0.0.11',
  api: '127.0.0.12',
  wild: '127.0.0.13',
  def: '127.0.0.14',
  'tls-a': '127.0.0.15',
  'tls-b': '127.0.0.16',
  flaky: '127.0.0.17',
  plain: '127.0.0.18',
  'scale-1': '127.0.0.21',
  'scale-2': '127.0.0.22',
  'scale-3': '127.0.0.23',
};

function suite(plane: DataPlaneName): void {
  let server: TugServer;
  let client: HttpClient;
  let controller: IngressController;
  let running: Promise<void>;
  const stop = new AbortController();
  const backends: Backend[] = [];
  const logs: string[] = [];
  let backendPort = 0;
  let httpPort = 0;
  let httpsPort = 0;
  let stateDir = '';
  const certs: Record<string, { certPem: string; keyPem: string }> = {};

  const get = (host: string, path = '/', extra: Partial<Parameters<typeof call>[0]> = {}): Promise<Reply> => call({ port: httpPort, host, path, ...extra });
  const nameAt = async (host: string, path = '/'): Promise<string | number> => {
    const r = await get(host, path);
    return r.echo?.name ?? r.status;
  };

  async function startBackends(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      backendPort = await freePort();
      try {
        for (const [name, ip] of Object.entries(BACKENDS)) backends.push(await startBackend(name, ip, backendPort));
        return;
      } catch (err) {
        for (const b of backends.splice(0)) await b.close();
        if (attempt > 3) throw err;
      }
    }
  }

  async function createObjects(): Promise<void> {
    await client.create(nodeKind, undefined, { metadata: { name: 'ingress-test-node' } });
    await client.patch(
      nodeKind,
      undefined,
      'ingress-test-node',
      { type: 'merge', body: { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test' }] } } },
      { subresource: 'status' },
    );
    const endpoints: Record<string, { ip: string; ready?: boolean }[]> = {
      web: [{ ip: BACKENDS.web as string }],
      api: [{ ip: BACKENDS.api as string }],
      wild: [{ ip: BACKENDS.wild as string }],
      def: [{ ip: BACKENDS.def as string }],
      'tls-a': [{ ip: BACKENDS['tls-a'] as string }],
      'tls-b': [{ ip: BACKENDS['tls-b'] as string }],
      plain: [{ ip: BACKENDS.plain as string }],
      flaky: [{ ip: DEAD_IP }, { ip: BACKENDS.flaky as string }],
      scale: [{ ip: BACKENDS['scale-1'] as string }],
      empty: [{ ip: '127.0.0.30', ready: false }],
    };
    for (const [svc, eps] of Object.entries(endpoints)) {
      await client.create(serviceKind, NS, service(svc));
      await client.create(endpointSliceKind, NS, slice(svc, backendPort, eps));
    }
    for (const host of ['a.tls.test', 'b.tls.test']) {
      certs[host] = await certFor(host);
      await client.create(secretKind, NS, tlsSecret(`cert-${host.split('.')[0] as string}`, certs[host]));
    }
    const app = ingressObj('app', {
      cls: 'tugboat',
      rules: [
        {
          host: 'app.test',
          paths: [
            { path: '/', svc: 'web', port: 80 },
            { path: '/api', svc: 'api' },
            { path: '/exact', type: 'Exact', svc: 'api' },
            { path: '/ws', svc: 'api' },
            { path: '/empty', svc: 'empty' },
            { path: '/missing', svc: 'nosuch' },
            { path: '/flaky', type: 'ImplementationSpecific', svc: 'flaky' },
            { path: '/scale', svc: 'scale' },
          ],
        },
        { host: '*.wild.test', paths: [{ path: '/', svc: 'wild' }] },
      ],
    });
    const secure = ingressObj('secure', {
      cls: 'tugboat',
      tls: [
        { hosts: ['a.tls.test'], secretName: 'cert-a' },
        { hosts: ['b.tls.test'], secretName: 'cert-b' },
      ],
      rules: [
        { host: 'a.tls.test', paths: [{ path: '/', svc: 'tls-a' }] },
        { host: 'b.tls.test', paths: [{ path: '/', svc: 'tls-b' }] },
      ],
    });
    const unclassed = ingressObj('unclassed', { rules: [{ host: 'unclassed.test', paths: [{ path: '/', svc: 'plain' }] }] });
    const foreign = ingressObj('foreign', { cls: 'other', rules: [{ host: 'foreign.test', paths: [{ path: '/', svc: 'plain' }] }] });
    for (const ing of [app, secure, unclassed, foreign]) await client.create(ingressKind, NS, ing);
  }

  describe(`ingress controller (${plane} data plane) against a real tug server`, { timeout: 240_000 }, () => {
    before(async () => {
      server = await startTugServer();
      client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
      await startBackends();
      await createObjects();
      stateDir = await mkdtemp(join(tmpdir(), 'tug-ingress-test-'));
      httpPort = await freePort();
      httpsPort = await freePort();
      const informers = new InformerFactory(client);
      controller = new IngressController({
        client,
        informers,
        nodeName: 'ingress-test-node',
        nodeIp: '127.0.0.1',
        log: (m) => logs.push(m),
        httpListen: `127.0.0.1:${httpPort}`,
        httpsListen: `127.0.0.1:${httpsPort}`,
        dataPlane: plane,
        stateDir,
      });
      informers.start(stop.signal);
      running = controller.run(stop.signal);
      await controller.ready;
    });

    after(async () => {
      stop.abort();
      await running?.catch(() => undefined);
      for (const b of backends) await b.close();
      client?.close();
      await server?.cleanup();
      if (stateDir) await rm(stateDir, { recursive: true, force: true });
    });

    it('creates the tugboat IngressClass as the default class', async () => {
      const ic = await eventually(() => client.get<IngressClass>(ingressClassKind, undefined, 'tugboat'), { what: 'IngressClass tugboat' });
      assert.equal(ic.spec?.controller, 'tugboat.dev/ingress');
      assert.equal(ic.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'], 'true');
    });

    it('routes by host and path: longest path, Exact before Prefix, port by name or number', async () => {
      assert.equal(await nameAt('app.test', '/'), 'web');
      assert.equal(await nameAt('app.test', '/api/users?x=1'), 'api');
      assert.equal(await nameAt('app.test', '/apis'), 'web');
      assert.equal(await nameAt('app.test', '/exact'), 'api');
      assert.equal(await nameAt('app.test', '/exact/more'), 'web');
      assert.equal(await nameAt('APP.test:8080', '/api'), 'api');
      const r = await get('app.test', '/api/echo?q=1', { method: 'POST', body: 'hello' });
      assert.equal(r.echo?.url, '/api/echo?q=1');
      assert.equal(r.echo?.body, 'hello');
    });

    it('matches a wildcard host on exactly one label', async () => {
      assert.equal(await nameAt('x.wild.test'), 'wild');
      assert.equal(await nameAt('a.b.wild.test'), 404);
      assert.equal(await nameAt('wild.test'), 404);
    });

    it('serves Ingresses of its class, and unclassed ones because its class is the default', async () => {
      await eventually(async () => (await nameAt('unclassed.test')) === 'plain', { what: 'unclassed Ingress served' });
      assert.equal(await nameAt('foreign.test'), 404);
    });

    it('answers 404 when nothing matches and 503 when the service has no ready endpoints or does not exist', async () => {
      const notFound = await get('nowhere.test');
      assert.equal(notFound.status, 404);
      assert.match(notFound.body, /404 Not Found/);
      assert.equal((await get('app.test', '/empty')).status, 503);
      assert.equal((await get('app.test', '/missing')).status, 503);
    });

    it('sets X-Forwarded-* and X-Real-IP, replacing what the client sent, and keeps Host', async () => {
      const r = await get('app.test:' + String(httpPort), '/api', { headers: { 'X-Forwarded-For': '6.6.6.6', 'X-Real-IP': '6.6.6.6' } });
      const h = r.echo?.headers ?? {};
      assert.equal(h['host'], `app.test:${httpPort}`);
      assert.equal(h['x-forwarded-for'], '127.0.0.1');
      assert.equal(h['x-real-ip'], '127.0.0.1');
      assert.equal(h['x-forwarded-host'], `app.test:${httpPort}`);
      assert.equal(h['x-forwarded-proto'], 'http');
      assert.equal(h['x-forwarded-port'], String(httpPort));
      assert.equal(r.headers['x-backend'], 'api');
    });

    it('terminates TLS with the certificate of the SNI name, and a default one otherwise', async () => {
      const peerCN = (servername: string): Promise<string> =>
        new Promise((resolve, reject) => {
          const s = tlsConnect({ host: '127.0.0.1', port: httpsPort, servername, rejectUnauthorized: false }, () => {
            const cn = s.getPeerCertificate().subject?.CN;
            s.end();
            resolve(Array.isArray(cn) ? cn.join(',') : (cn ?? ''));
          });
          s.on('error', reject);
        });
      assert.equal(await peerCN('a.tls.test'), 'a.tls.test');
      assert.equal(await peerCN('b.tls.test'), 'b.tls.test');
      assert.equal(await peerCN('unknown.test'), 'Tugboat Ingress Default Certificate');
      for (const host of ['a.tls.test', 'b.tls.test']) {
        const r = await call({ port: httpsPort, host, tls: { servername: host, ca: [certs[host]?.certPem ?? ''] } });
        assert.equal(r.echo?.name, `tls-${host[0] as string}`);
        assert.equal(r.echo?.headers['x-forwarded-proto'], 'https');
        assert.equal(r.echo?.headers['x-forwarded-port'], String(httpsPort));
      }
    });

    it('proxies WebSocket upgrades both ways', async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${httpPort}/ws`, { headers: { Host: 'app.test' } });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const replies: string[] = [];
      for (const m of ['one', 'two']) {
        const got = new Promise<string>((resolve) => ws.once('message', (d: Buffer) => resolve(d.toString())));
        ws.send(m);
        replies.push(await got);
      }
      ws.close();
      assert.deepEqual(replies, ['api:one', 'api:two']);
    });

    it('retries idempotent requests past a dead endpoint, but never a POST', async () => {
      for (let i = 0; i < 8; i++) {
        const r = await get('app.test', '/flaky');
        assert.equal(r.status, 200, `GET ${i}: ${r.body}`);
        assert.equal(r.echo?.name, 'flaky');
      }
      const posts = [await get('app.test', '/flaky', { method: 'POST', body: 'x' }), await get('app.test', '/flaky', { method: 'POST', body: 'x' })];
      assert.deepEqual(posts.map((p) => p.status).sort(), [200, 502], 'round-robin sends one of two POSTs to the dead endpoint');
    });

    it('applies endpoint changes within a second, with no failed request and none dropped in flight', async (t) => {
      const agent = new HttpAgent({ keepAlive: true });
      const seen: { at: number; status: number; name: string }[] = [];
      let streaming = true;
      const worker = async (): Promise<void> => {
        while (streaming) {
          const at = Date.now();
          const r = await get('app.test', '/scale', { agent }).catch((err: unknown) => ({ status: -1, body: String(err), headers: {} }) as Reply);
          seen.push({ at, status: r.status, name: r.echo?.name ?? r.body });
        }
      };
      const workers = [worker(), worker()];
      const patchEndpoints = (ips: string[]): Promise<unknown> =>
        client.patch(endpointSliceKind, NS, 'scale-test', { type: 'merge', body: { endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })) } });
      const firstAfter = (t: number, pred: (s: { name: string }) => boolean): number | undefined => seen.find((s) => s.at >= t && pred(s))?.at;
      try {
        await new Promise((r) => setTimeout(r, 300));
        const up = Date.now();
        await patchEndpoints(['scale-1', 'scale-2', 'scale-3'].map((n) => BACKENDS[n] as string));
        await eventually(() => firstAfter(up, (s) => s.name === 'scale-2') && firstAfter(up, (s) => s.name === 'scale-3'), { timeoutMs: 5_000, intervalMs: 20, what: 'new endpoints used' });
        const upMs = Math.max(firstAfter(up, (s) => s.name === 'scale-2') ?? 0, firstAfter(up, (s) => s.name === 'scale-3') ?? 0) - up;
        // Requests held by every endpoint while two of them are removed must still complete.
        const slow = [0, 1, 2, 3, 4, 5].map(() => get('app.test', '/scale/slow'));
        await new Promise((r) => setTimeout(r, 100));
        const down = Date.now();
        await patchEndpoints([BACKENDS['scale-2'] as string]);
        const inFlight = await Promise.all(slow);
        await eventually(
          () => {
            const after = seen.filter((s) => s.at >= down);
            const run = after.findIndex((_, i) => after.slice(i, i + 10).length === 10 && after.slice(i, i + 10).every((s) => s.name === 'scale-2'));
            return run >= 0 ? after[run] : undefined;
          },
          { timeoutMs: 5_000, intervalMs: 20, what: 'removed endpoints no longer used' },
        );
        const lastOld = Math.max(...seen.filter((s) => s.at >= down && s.name !== 'scale-2').map((s) => s.at), down);
        streaming = false;
        await Promise.all(workers);
        assert.deepEqual(
          seen.filter((s) => s.status !== 200),
          [],
          'no request of the stream failed',
        );
        assert.deepEqual(inFlight.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
        assert.ok(inFlight.some((r) => r.echo?.name !== 'scale-2'), 'some requests in flight were on removed endpoints');
        t.diagnostic(`${seen.length} requests; new endpoints used ${upMs} ms after the patch, removed ones last used ${lastOld - down} ms after`);
        assert.ok(upMs < 1000, `new endpoints used after ${upMs} ms`);
        assert.ok(lastOld - down < 1000, `removed endpoints still used ${lastOld - down} ms after the change`);
        assert.ok(seen.length > 50, `only ${seen.length} requests in the stream`);
      } finally {
        streaming = false;
        await Promise.all(workers);
        agent.destroy();
      }
    });

    it('uses an Ingress default backend for requests no rule matches, finishing requests in flight across the change', async () => {
      // For nginx a new Ingress means a reload: requests the old workers hold must still complete.
      let slowDone = 0;
      const slow = Promise.all([0, 1, 2, 3].map(() => get('app.test', '/api/slow?delay=4000'))).finally(() => (slowDone = Date.now()));
      await new Promise((r) => setTimeout(r, 100));
      await client.create(ingressKind, NS, ingressObj('fallback', { cls: 'tugboat', def: 'def' }));
      await eventually(async () => (await nameAt('nowhere.test', '/x')) === 'def', { what: 'default backend' });
      const changed = Date.now();
      assert.equal(await nameAt('app.test', '/api'), 'api');
      assert.deepEqual((await slow).map((r) => `${r.status} ${r.echo?.name ?? r.body}`), ['200 api', '200 api', '200 api', '200 api']);
      assert.ok(changed < slowDone, 'the change was live while the slow requests were in flight');
    });

    it('writes the Ready nodes\' addresses into status.loadBalancer of its Ingresses only', async () => {
      const ing = await eventually(
        async () => {
          const i = await client.get<Ingress>(ingressKind, NS, 'app');
          return i.status?.loadBalancer?.ingress?.length ? i : undefined;
        },
        { what: 'status of app' },
      );
      assert.deepEqual(ing.status?.loadBalancer?.ingress, [{ ip: '127.0.0.1' }]);
      const foreign = await client.get<Ingress>(ingressKind, NS, 'foreign');
      assert.equal(foreign.status?.loadBalancer?.ingress, undefined);
      assert.ok(!logs.some((l) => l.includes('writing status')), logs.join('\n'));
    });
  });
}

for (const plane of DATA_PLANES) suite(plane);
