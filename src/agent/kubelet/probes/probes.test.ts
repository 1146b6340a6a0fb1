// Unit tests of probes against servers on loopback: HTTP status handling, redirects, headers,
// timeouts and named ports; TCP connects; exec through a stand-in runtime; and the probe manager
// on a manual clock — startup gating, success/failure thresholds, readiness flips, liveness
// failures asking for a restart, and the Unhealthy events.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Pod } from '../../../api/core/v1/index.js';
import type { Clock } from '../../../lib/workqueue.js';
import type { ExecSyncResult, Runtime } from '../../cri/index.js';
import type { PodContainer } from '../pod-config.js';
import { Server as GrpcServer, ServerCredentials, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { execAction, httpGetAction, resolvePort, tcpAction } from './actions.js';
import { decodeCheckResponse, encodeCheckRequest, grpcAction } from './grpc.js';
import { ProbeManager } from './manager.js';

class ManualClock implements Clock {
  private t = 1_000_000;
  private timers: { at: number; fn: () => void }[] = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const entry = { at: this.t + ms, fn };
    this.timers.push(entry);
    return { cancel: () => (this.timers = this.timers.filter((x) => x !== entry)) };
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const d of due) d.fn();
  }
  /** Timers waiting to fire: a probe worker re-arms its timer once its attempt has finished. */
  get pending(): number {
    return this.timers.length;
  }
}

async function until(fn: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

let http: Server;
let port = 0;
let health = 200;
let lastHeaders: IncomingHttpHeaders = {};
let closedPort = 0;

before(async () => {
  http = createServer((req, res) => {
    lastHeaders = req.headers;
    if (req.url === '/hang') return;
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/healthz' });
      return res.end();
    }
    if (req.url === '/away') {
      res.writeHead(301, { location: 'http://127.0.0.2:1/elsewhere' });
      return res.end('gone');
    }
    res.writeHead(req.url === '/healthz' ? health : 404);
    res.end('body text');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  port = (http.address() as AddressInfo).port;
  const tmp = createTcpServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  closedPort = (tmp.address() as AddressInfo).port;
  await new Promise<void>((r) => tmp.close(() => r()));
});

after(async () => {
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
});

describe('probe actions', () => {
  it('HTTP: 2xx/3xx succeed, others fail with the status code; sends kube-probe headers', async () => {
    const spec = { port, path: '/healthz', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] };
    health = 200;
    assert.equal((await httpGetAction({ spec, defaultHost: '127.0.0.1', timeoutMs: 1000 })).result, 'success');
    assert.equal(lastHeaders['user-agent'], 'kube-probe/1.32');
    assert.equal(lastHeaders['x-probe'], 'yes');
    health = 503;
    assert.deepEqual(await httpGetAction({ spec, defaultHost: '127.0.0.1', timeoutMs: 1000 }), { result: 'failure', output: 'HTTP probe failed with statuscode: 503' });
  });

  it('HTTP: follows same-host redirects, warns on redirects elsewhere, times out', async () => {
    health = 200;
    assert.equal((await httpGetAction({ spec: { port, path: '/moved' }, defaultHost: '127.0.0.1', timeoutMs: 1000 })).result, 'success');
    health = 500;
    assert.equal((await httpGetAction({ spec: { port, path: '/moved' }, defaultHost: '127.0.0.1', timeoutMs: 1000 })).result, 'failure');
    assert.deepEqual(await httpGetAction({ spec: { port, path: '/away' }, defaultHost: '127.0.0.1', timeoutMs: 1000 }), { result: 'warning', output: 'Probe terminated redirects, Response body: gone' });
    const slow = await httpGetAction({ spec: { port, path: '/hang' }, defaultHost: '127.0.0.1', timeoutMs: 200 });
    assert.equal(slow.result, 'failure');
    assert.match(slow.output, /^Get "http:\/\/127\.0\.0\.1:\d+\/hang": context deadline exceeded/);
    const refused = await httpGetAction({ spec: { port: closedPort }, defaultHost: '127.0.0.1', timeoutMs: 1000 });
    assert.equal(refused.output, `Get "http://127.0.0.1:${closedPort}/": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`);
  });

  it('TCP: connecting succeeds, a closed port fails', async () => {
    assert.equal((await tcpAction({ host: '127.0.0.1', port, timeoutMs: 1000 })).result, 'success');
    assert.deepEqual(await tcpAction({ host: '127.0.0.1', port: closedPort, timeoutMs: 1000 }), { result: 'failure', output: `dial tcp 127.0.0.1:${closedPort}: connect: connection refused` });
  });

  it('resolves named ports and runs exec probes through the runtime', async () => {
    const c: PodContainer = { name: 'app', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] };
    assert.equal(resolvePort('http', c), 8080);
    assert.equal(resolvePort(81, c), 81);
    assert.throws(() => resolvePort('nope', c), /couldn't find port: nope in app/);
    const rt = { execSync: (r: { cmd: string[] }): Promise<ExecSyncResult> => Promise.resolve({ stdout: Buffer.from(r.cmd.join(' ')), stderr: Buffer.from(''), exitCode: r.cmd[0] === 'false' ? 1 : 0 }) } as unknown as Runtime;
    assert.deepEqual(await execAction({ runtime: rt, containerId: 'c', command: ['cat', '/tmp/ok'], timeoutSeconds: 1 }), { result: 'success', output: 'cat /tmp/ok' });
    assert.deepEqual(await execAction({ runtime: rt, containerId: 'c', command: ['false'], timeoutSeconds: 1 }), { result: 'failure', output: 'false' });
  });
});

describe('gRPC probes', () => {
  it('calls grpc.health.v1.Health/Check and succeeds only on SERVING', async () => {
    const server = new GrpcServer();
    const statuses: Record<string, number> = { '': 1, db: 2 };
    // An object, not the bare string: grpc-js takes a falsy request ('') for a missing one.
    const decodeRequest = (b: Buffer): { service: string } => ({ service: b.subarray(2).toString('utf8') });
    server.addService(
      {
        Check: {
          path: '/grpc.health.v1.Health/Check',
          requestStream: false,
          responseStream: false,
          requestSerialize: (r: { service: string }) => encodeCheckRequest(r.service),
          requestDeserialize: decodeRequest,
          responseSerialize: (n: number) => Buffer.from([0x08, n]),
          responseDeserialize: (b: Buffer) => decodeCheckResponse(b),
        },
      },
      {
        Check: (call: ServerUnaryCall<{ service: string }, number>, cb: sendUnaryData<number>) => cb(null, statuses[call.request.service] ?? 3),
      },
    );
    const grpcPort = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    try {
      assert.deepEqual(await grpcAction({ host: '127.0.0.1', port: grpcPort, service: '', timeoutMs: 2000 }), { result: 'success', output: '' });
      assert.deepEqual(await grpcAction({ host: '127.0.0.1', port: grpcPort, service: 'db', timeoutMs: 2000 }), { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
      assert.deepEqual(await grpcAction({ host: '127.0.0.1', port: grpcPort, service: 'other', timeoutMs: 2000 }), { result: 'failure', output: 'service unhealthy (responded with "SERVICE_UNKNOWN")' });
      const down = await grpcAction({ host: '127.0.0.1', port: closedPort, service: '', timeoutMs: 500 });
      assert.equal(down.result, 'failure');
    } finally {
      server.forceShutdown();
    }
  });
});

describe('probe manager', () => {
  it('gates on the startup probe, counts thresholds, flips readiness and asks for liveness restarts', async () => {
    const clock = new ManualClock();
    let startupOk = false;
    let liveOk = true;
    const runtime = {
      execSync: (r: { cmd: string[] }): Promise<ExecSyncResult> => {
        const ok = r.cmd[0] === 'startup' ? startupOk : liveOk;
        return Promise.resolve({ stdout: Buffer.from(ok ? '' : `${r.cmd[0]} not ok`), stderr: Buffer.from(''), exitCode: ok ? 0 : 1 });
      },
    } as unknown as Runtime;
    const events: string[] = [];
    const m = new ProbeManager({ runtime, recorder: { event: (_o, type, reason, msg) => void events.push(`${type} ${reason} ${msg}`) }, clock });
    const changes: string[] = [];
    m.onChange((uid) => changes.push(uid));
    const c: PodContainer = {
      name: 'app',
      image: 'x',
      ports: [{ name: 'http', containerPort: port }],
      startupProbe: { exec: { command: ['startup'] }, periodSeconds: 1, failureThreshold: 30 },
      readinessProbe: { httpGet: { port: 'http', path: '/healthz' }, periodSeconds: 1, successThreshold: 2, failureThreshold: 1 },
      livenessProbe: { exec: { command: ['live'] }, periodSeconds: 1, failureThreshold: 2, terminationGracePeriodSeconds: 5 },
    };
    const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [c] } };
    const target = { pod, containerName: 'app', containerId: 'c1', podIP: '127.0.0.1', startedAt: clock.now() };
    health = 200;
    assert.equal(m.ready(target), undefined, 'no result before tracking');
    m.sync(pod, [target]);
    await until(() => clock.pending === 3, 'the first attempts');
    assert.equal(m.started(target), false);
    assert.equal(m.ready(target), false);

    // One probe period, then wait until all three workers finished their attempts and re-armed.
    const period = async (): Promise<void> => {
      clock.advance(1000);
      await until(() => clock.pending === 3, 'the probe attempts');
    };
    const periodsUntil = async (fn: () => boolean, what: string): Promise<number> => {
      for (let n = 1; n <= 10; n++) {
        await period();
        if (fn()) return n;
      }
      throw new Error(`timed out waiting for ${what}`);
    };

    startupOk = true;
    assert.equal(await periodsUntil(() => m.started(target), 'startup to pass'), 1);
    assert.deepEqual(changes, ['u1']);
    assert.equal(await periodsUntil(() => m.ready(target) === true, 'two readiness successes'), 2);
    assert.equal(m.ready(target), true);

    health = 500;
    assert.equal(await periodsUntil(() => m.ready(target) === false, 'readiness to fail after one failure'), 1);
    assert.ok(events.some((e) => e === 'Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 500'));

    liveOk = false;
    await period();
    assert.ok(events.some((e) => e === 'Warning Unhealthy Liveness probe failed: live not ok'));
    assert.equal(m.mustRestart(target), undefined, 'one failure is below the threshold');
    await period();
    assert.deepEqual(m.mustRestart(target), { probe: 'liveness', gracePeriodSeconds: 5 });
    assert.equal(changes.length, 4, 'started, ready, unready, restart');

    // The restarted instance gets fresh workers; the old one is dropped.
    m.sync(pod, [{ ...target, containerId: 'c2' }]);
    assert.equal(m.mustRestart(target), undefined);
    assert.equal(m.started({ ...target, containerId: 'c2' }), false);
    m.forget('u1');
    assert.equal(m.ready({ ...target, containerId: 'c2' }), undefined);
  });

  it('treats containers without probes as started and ready', () => {
    const m = new ProbeManager({ runtime: {} as Runtime, recorder: { event: () => undefined }, clock: new ManualClock() });
    const pod: Pod = { metadata: { uid: 'u' }, spec: { containers: [{ name: 'a', image: 'x' }] } };
    const t = { pod, containerName: 'a', containerId: 'x' };
    m.sync(pod, [t]);
    assert.equal(m.started(t), true);
    assert.equal(m.ready(t), true);
  });
});
