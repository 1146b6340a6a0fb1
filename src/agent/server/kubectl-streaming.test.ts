// kubectl's streaming verbs end to end — real kubectl 1.32 and 1.27 against a real `tug server`,
// relayed by the API server to a fake-runtime node agent's HTTPS endpoint: logs (-f, --previous,
// --tail, --since, --timestamps, -c), exec over WebSocket v5 (1.32) and SPDY (1.27) with exit
// codes and stdin, attach, port-forward (WebSocket tunnel, SPDY, and channel-framed WebSocket),
// and cp both ways. Errors come back worded as kubectl users know them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { podKind, type Pod } from '../../api/core/v1/index.js';
import { eventually } from '../../../test/support/eventually.js';
import { kubectl, kubectlOk, kubectlPath } from '../../../test/support/kubectl.js';
import { startStreamingNode, type StreamingNode } from '../../../test/support/streaming-node.js';
import { selfSignedCert } from './cert.js';

const NS = 'default';

/** Runs kubectl in the background, collecting output, until stopped. */
function background(args: string[], o: { kubeconfig: string; version?: string; env?: Record<string, string> }) {
  const child = spawn(kubectlPath(o.version ?? '1.32'), ['--kubeconfig', o.kubeconfig, ...args], { env: { ...process.env, ...(o.env ?? {}) }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  return {
    child,
    out: () => stdout,
    err: () => stderr,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function tcpRoundTrip(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('connect', () => s.write(payload));
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.length >= payload.length) s.end();
    });
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
}

describe('kubectl streaming through the API server to the agent', () => {
  let n: StreamingNode;
  let echo: Server;
  let echoPort = 0;
  let work = '';
  const k = (args: string[], version = '1.32'): Promise<string> => kubectlOk(args, { kubeconfig: n.srv.kubeconfig, version });
  const kr = (args: string[], o: { version?: string; stdin?: string; env?: Record<string, string> } = {}) =>
    kubectl(args, { kubeconfig: n.srv.kubeconfig, ...o, timeoutMs: 30_000 });

  async function runningPod(name: string, o: { annotations?: Record<string, string>; containers?: string[]; stdin?: boolean; restartPolicy?: 'Always' } = {}): Promise<Pod> {
    await n.client.create<Pod>(podKind, NS, {
      metadata: { name, namespace: NS, ...(o.annotations ? { annotations: o.annotations } : {}) },
      spec: {
        nodeName: n.nodeName,
        ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}),
        containers: (o.containers ?? ['app']).map((c) => ({ name: c, image: 'busybox:1.36', ...(o.stdin ? { stdin: true } : {}) })),
      },
    });
    return eventually(
      async () => {
        const p = await n.client.get<Pod>(podKind, NS, name);
        return p.status?.phase === 'Running' && p.status.containerStatuses?.every((c) => c.state?.running) ? p : undefined;
      },
      { timeoutMs: 20_000, what: `pod ${name} running` },
    );
  }

  before(async () => {
    n = await startStreamingNode();
    work = await mkdtemp(join(tmpdir(), 'kubectl-streaming-'));
    echo = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as AddressInfo).port;
    await Promise.all([
      runningPod('quiet'),
      runningPod('ticker', { annotations: { 'tugboat.dev/fake-log-interval-ms': '150' }, stdin: true }),
      runningPod('duo', { containers: ['web', 'side'] }),
      runningPod('pf', { annotations: { 'tugboat.dev/fake-port-forward': `127.0.0.1:${echoPort}` } }),
    ]);
  });

  after(async () => {
    if (process.env.STREAMING_TEST_LOGS) console.log(n.logs.join('\n'));
    echo?.close();
    await n?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('publishes the streaming subresources in discovery', async () => {
    const out = await k(['api-resources', '--api-group=', '-o', 'name']);
    const raw = JSON.parse(await k(['get', '--raw', '/api/v1'])) as { resources: { name: string; verbs: string[] }[] };
    const verbs = Object.fromEntries(raw.resources.filter((r) => r.name.startsWith('pods/')).map((r) => [r.name, r.verbs.sort().join(',')]));
    assert.deepEqual(
      { log: verbs['pods/log'], exec: verbs['pods/exec'], attach: verbs['pods/attach'], pf: verbs['pods/portforward'] },
      { log: 'get', exec: 'create,get', attach: 'create,get', pf: 'create,get' },
    );
    assert.match(out, /^pods$/m);
  });

  it('kubectl logs: plain, --timestamps, -c, --since', async () => {
    assert.equal(await k(['logs', 'quiet']), 'started app\n');
    assert.match(await k(['logs', 'quiet', '--timestamps']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z started app\n$/);
    assert.equal(await k(['logs', 'duo', '-c', 'side']), 'started side\n');
    assert.equal(await k(['logs', 'quiet', '--since=1h']), 'started app\n');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await k(['logs', 'quiet', '--since=1s']), '');
    for (const v of ['1.27', '1.29']) assert.equal(await k(['logs', 'quiet'], v), 'started app\n');
  });

  it('kubectl logs --tail and -f stream a growing log', async () => {
    await eventually(async () => (await k(['logs', 'ticker'])).split('\n').length > 5, { what: 'ticks' });
    const tail = (await k(['logs', 'ticker', '--tail=2'])).trimEnd().split('\n');
    assert.equal(tail.length, 2);
    assert.match(tail[1] ?? '', /^tick \d+$/);
    const f = background(['logs', '-f', 'ticker', '--tail=1'], { kubeconfig: n.srv.kubeconfig });
    try {
      const lines = await eventually(() => {
        const l = f.out().trimEnd().split('\n').filter(Boolean);
        return l.length >= 4 ? l : undefined;
      }, { timeoutMs: 10_000, what: 'followed lines' });
      const nums = lines.map((l) => Number(/^tick (\d+)$/.exec(l)?.[1]));
      for (let i = 1; i < nums.length; i++) assert.equal(nums[i], (nums[i - 1] ?? 0) + 1, lines.join('|'));
    } finally {
      await f.stop();
    }
  });

  it('kubectl logs --previous shows the last terminated instance', async () => {
    await runningPod('crashy', { annotations: { 'tugboat.dev/fake-exit-code': '1', 'tugboat.dev/fake-run-seconds': '1' } }).catch(() => undefined);
    const bad = await kr(['logs', 'quiet', '--previous']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /previous terminated container "app" in pod "quiet" not found/);
    await eventually(async () => ((await n.client.get<Pod>(podKind, NS, 'crashy')).status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1, { timeoutMs: 20_000, what: 'a restart' });
    const prev = await k(['logs', 'crashy', '--previous', '--timestamps']);
    const cur = await k(['logs', 'crashy', '--timestamps']);
    assert.match(prev, /Z started app\n$/);
    assert.match(cur, /Z started app\n$/);
    assert.notEqual(prev, cur);
  });

  it('kubectl exec over WebSocket v5 (1.32) and SPDY (1.27), with exit codes', async () => {
    const v = await kr(['exec', 'quiet', '-v=8', '--', 'echo', 'ok']);
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout, 'ok\n');
    assert.match(v.stderr, /Sec-Websocket-Protocol: v5\.channel\.k8s\.io/i);
    assert.doesNotMatch(v.stderr, /fallback/i);
    assert.equal(await k(['exec', 'quiet', '--', 'echo', 'ok'], '1.27'), 'ok\n');
    for (const version of ['1.32', '1.27']) {
      const r = await kr(['exec', 'quiet', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], { version });
      assert.equal(r.code, 3, `${version}: ${r.stderr}`);
      assert.equal(r.stdout, 'out\n');
    }
    const spdy = await kr(['exec', 'quiet', '--', 'echo', 'via-spdy'], { env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } });
    assert.equal(spdy.stdout, 'via-spdy\n', spdy.stderr);
  });

  it('kubectl exec -i passes stdin and its end through', async () => {
    for (const version of ['1.32', '1.27']) {
      const r = await kr(['exec', '-i', 'quiet', '--', 'cat'], { version, stdin: 'hello from stdin\n' });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'hello from stdin\n');
    }
    const multi = await kr(['exec', '-i', 'duo', '-c', 'side', '--', 'sh'], { stdin: 'echo one\necho two\nexit 5\n' });
    assert.equal(multi.stdout, 'one\ntwo\n');
    assert.equal(multi.code, 5);
  });

  it('kubectl exec -it runs an interactive shell on a terminal (1.32 WebSocket, 1.27 SPDY)', async () => {
    for (const version of ['1.32', '1.27']) {
      // `script` gives kubectl the terminal it insists on for -t.
      const child = spawn('script', ['-qfec', `${kubectlPath(version)} --kubeconfig ${n.srv.kubeconfig} exec -it quiet -- sh`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      try {
        await eventually(() => out.includes('/ # '), { timeoutMs: 10_000, what: 'a prompt' });
        child.stdin.write('echo hi-$((1))-tty\r');
        await eventually(() => /hi-\S*-tty\r\n\/ # /.test(out), { timeoutMs: 5_000, what: 'command output' });
        child.stdin.write('exit 3\r');
        assert.equal(await exited, 3, out);
      } finally {
        child.kill('SIGKILL');
      }
      assert.match(out, /echo hi-\$\(\(1\)\)-tty\r\n/, 'the terminal echoes what is typed');
    }
  });

  it('kubectl attach streams the main process, and -i reaches its stdin', async () => {
    const a = background(['attach', 'ticker', '-i'], { kubeconfig: n.srv.kubeconfig });
    try {
      a.child.stdin.write('typed by a user\n');
      await eventually(() => a.out().includes('typed by a user') && /tick \d+/.test(a.out()), { timeoutMs: 10_000, what: 'attach output' });
    } finally {
      await a.stop();
    }
    assert.match(await k(['logs', 'ticker']), /typed by a user/);
  });

  it('kubectl port-forward over the WebSocket tunnel (1.32) and SPDY (1.27)', async () => {
    for (const version of ['1.32', '1.27']) {
      const pf = background(['port-forward', 'pod/pf', ':8080', '-v=8'], { kubeconfig: n.srv.kubeconfig, version });
      try {
        const local = await eventually(() => Number(/Forwarding from 127\.0\.0\.1:(\d+) -> 8080/.exec(pf.out())?.[1]) || undefined, { timeoutMs: 10_000, what: 'forwarding' });
        assert.equal(await tcpRoundTrip(local, `ping ${version}`), `ping ${version}`);
        assert.equal(await tcpRoundTrip(local, 'again'), 'again');
        // 1.32 really used the WebSocket tunnel rather than falling back to SPDY.
        if (version === '1.32') {
          assert.match(pf.err(), /Sec-Websocket-Protocol: SPDY\/3\.1\+portforward\.k8s\.io/i);
          assert.doesNotMatch(pf.err(), /fallback/i);
        }
      } finally {
        await pf.stop();
      }
    }
  });

  it('port-forward over channel-framed WebSocket (v4.channel.k8s.io, as client libraries and browsers use it)', async () => {
    // The token rides in a sub-protocol, as browsers must send it.
    const bearer = `base64url.bearer.authorization.k8s.io.${Buffer.from(n.srv.token).toString('base64url')}`;
    const ws = new WebSocket(`wss://127.0.0.1:${n.srv.port}/api/v1/namespaces/${NS}/pods/pf/portforward?ports=8080`, ['v4.channel.k8s.io', bearer], { ca: n.srv.caCertPem });
    const frames: [number, Buffer][] = [];
    ws.on('message', (m: Buffer) => frames.push([m[0] ?? -1, m.subarray(1)]));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    await eventually(() => frames.length >= 2, { what: 'port frames' });
    assert.deepEqual(frames.slice(0, 2).map(([c, d]) => [c, d.readUInt16LE(0)]), [[0, 8080], [1, 8080]]);
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('over channels')]));
    await eventually(() => Buffer.concat(frames.slice(2).filter(([c]) => c === 0).map(([, d]) => d)).toString() === 'over channels', { what: 'echo' });
    ws.close();
  });

  it('kubectl cp into and out of a container (1.32 WebSocket, 1.27 SPDY)', async () => {
    const src = join(work, 'in.txt');
    await writeFile(src, 'copied content\n'.repeat(5000));
    for (const version of ['1.32', '1.27']) {
      await k(['cp', src, `quiet:/tmp/in-${version}.txt`], version);
      assert.equal(await k(['exec', 'quiet', '--', 'cat', `/tmp/in-${version}.txt`]), 'copied content\n'.repeat(5000));
      const back = join(work, `back-${version}.txt`);
      await k(['cp', `quiet:/tmp/in-${version}.txt`, back], version);
      assert.equal(await readFile(back, 'utf8'), 'copied content\n'.repeat(5000));
    }
  });

  it('the agent endpoint answers only the API server', async () => {
    const get = (o: { cert?: string; key?: string }): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = httpsGet({ host: '127.0.0.1', port: n.kubeletPort, path: `/containerLogs/${NS}/quiet/app`, rejectUnauthorized: false, ...o }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
    assert.equal(await get({}), 401);
    const stranger = await selfSignedCert({ commonName: 'kube-apiserver-kubelet-client', names: ['localhost'] });
    assert.equal(await get({ cert: stranger.certPem, key: stranger.keyPem }), 401);
  });

  it('reports errors as kubectl users know them', async () => {
    const noContainer = await kr(['logs', 'duo', '-c', 'nope']);
    assert.match(noContainer.stderr, /container nope is not valid for pod duo/);
    const missing = await kr(['exec', 'quiet', '--', 'nosuchcmd']);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /nosuchcmd: not found/);
    const refused = background(['port-forward', 'pod/quiet', ':9'], { kubeconfig: n.srv.kubeconfig });
    try {
      const local = await eventually(() => Number(/Forwarding from 127\.0\.0\.1:(\d+) -> 9/.exec(refused.out())?.[1]) || undefined, { timeoutMs: 10_000, what: 'forwarding' });
      await tcpRoundTrip(local, 'x').catch(() => '');
      await eventually(() => /connection refused/.test(refused.err()), { timeoutMs: 10_000, what: 'refusal reported' });
    } finally {
      await refused.stop();
    }
  });
});
