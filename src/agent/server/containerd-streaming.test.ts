// The agent's streaming clients against containerd's own CRI stream server (root only): a real
// busybox container on our own containerd, exec'd through the URL CRI Exec returns (stdout,
// stderr, stdin half-close, exit codes, a TTY with resize), attached to, its CRI log file read
// back with the agent's log reader, and port-forwarded to busybox httpd inside the pod's network
// namespace. This is the interop the fake runtime's stream server only imitates.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { dialPortForward, dialRemoteCommand } from '../../lib/streaming/index.js';
import { pushTestImage, startTestRegistry, type TestRegistry } from '../images/test-registry.js';
import type { ContainerConfig, PodSandboxConfig } from '../cri/index.js';
import { startTestNode, type TestNode } from '../cri/containerd/test-node.js';
import { serveLog } from './logs.js';

const isRoot = process.getuid?.() === 0;

const collect = async (r: NodeJS.ReadableStream | undefined): Promise<string> => {
  let s = '';
  if (r) for await (const c of r) s += String(c);
  return s;
};

/** A ServerResponse stand-in that keeps what serveLog writes. */
function captureResponse(): { res: ServerResponse; text(): string } {
  let text = '';
  const w = new Writable({
    write(chunk: Buffer, _e, cb) {
      text += chunk.toString();
      cb();
    },
  });
  const res = Object.assign(w, { writeHead: () => res, flushHeaders: () => undefined }) as unknown as ServerResponse;
  return { res, text: () => text };
}

describe('streaming against containerd', { skip: !isRoot && 'needs root' }, () => {
  let node: TestNode;
  let registry: TestRegistry;
  let image = '';
  let sandboxId = '';
  let shellId = '';
  let webId = '';

  before(async () => {
    registry = await startTestRegistry();
    node = await startTestNode();
    image = await pushTestImage(registry);
    const rt = node.runtime;
    const uid = randomUUID();
    const sandbox: PodSandboxConfig = {
      metadata: { name: 'streams', uid, namespace: 'streaming-test', attempt: 0 },
      hostname: 'streams',
      logDirectory: `${node.logRoot}/${uid}`,
      labels: { 'io.kubernetes.pod.uid': uid },
      annotations: {},
    };
    sandboxId = await rt.runPodSandbox({ config: sandbox });
    await rt.pullImage({ image: { image } });
    const container = (name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
      metadata: { name, attempt: 0 },
      image: { image },
      command,
      labels: {},
      annotations: {},
      logPath: `${name}/0.log`,
      ...extra,
    });
    shellId = await rt.createContainer({ podSandboxId: sandboxId, config: container('shell', ['sh', '-c', 'echo booted; exec cat'], { stdin: true }), sandboxConfig: sandbox });
    await rt.startContainer(shellId);
    webId = await rt.createContainer({ podSandboxId: sandboxId, config: container('web', ['sh', '-c', 'echo hello-from-httpd > /tmp/index.html; exec httpd -f -p 8080 -h /tmp']), sandboxConfig: sandbox });
    await rt.startContainer(webId);
  });

  after(async () => {
    await node?.teardown();
    await registry?.stop();
  });

  it('execs over SPDY: output, stderr, exit codes', async () => {
    const url = await node.runtime.exec({ containerId: shellId, cmd: ['sh', '-c', 'echo out; echo err >&2; exit 7'], stdout: true, stderr: true });
    const c = await dialRemoteCommand(url, { stdin: false, stdout: true, stderr: true, tty: false });
    assert.equal(c.protocol, 'v4.channel.k8s.io');
    const [out, err] = await Promise.all([collect(c.stdout), collect(c.stderr)]);
    assert.deepEqual([out, err, await c.outcome], ['out\n', 'err\n', { exitCode: 7 }]);
  });

  it('passes stdin and its end to the process', async () => {
    const url = await node.runtime.exec({ containerId: shellId, cmd: ['sh', '-c', 'wc -c'], stdin: true, stdout: true, stderr: true });
    const c = await dialRemoteCommand(url, { stdin: true, stdout: true, stderr: true, tty: false });
    const out = collect(c.stdout);
    c.stdin?.end(Buffer.alloc(200_000, 0x61));
    assert.equal((await out).trim(), '200000');
    assert.deepEqual(await c.outcome, { exitCode: 0 });
  });

  it('runs a TTY and applies terminal sizes', async () => {
    const url = await node.runtime.exec({ containerId: shellId, cmd: ['sh'], stdin: true, stdout: true, tty: true });
    const c = await dialRemoteCommand(url, { stdin: true, stdout: true, stderr: false, tty: true });
    let seen = '';
    c.stdout?.on('data', (d: Buffer) => (seen += d.toString()));
    c.resize({ width: 123, height: 45 });
    await new Promise((r) => setTimeout(r, 200));
    c.stdin?.write('stty size; exit 2\r');
    assert.deepEqual(await c.outcome, { exitCode: 2 });
    assert.match(seen, /45 123/);
  });

  it('attaches to the main process', async () => {
    const url = await node.runtime.attach({ containerId: shellId, stdin: true, stdout: true, stderr: true });
    const c = await dialRemoteCommand(url, { stdin: true, stdout: true, stderr: true, tty: false });
    let seen = '';
    c.stdout?.on('data', (d: Buffer) => (seen += d.toString()));
    c.stdin?.write('echoed by cat\n');
    const deadline = Date.now() + 5000;
    while (!seen.includes('echoed by cat') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.match(seen, /echoed by cat\n/);
    c.close();
  });

  it('reads the container log containerd wrote', async () => {
    const st = await node.runtime.containerStatus(shellId);
    const cap = captureResponse();
    await serveLog(cap.res, st.logPath, { follow: false, previous: false, timestamps: false }, { running: () => Promise.resolve(true), signal: new AbortController().signal });
    assert.match(cap.text(), /^booted\n/);
    assert.match(cap.text(), /echoed by cat\n/);
  });

  it('port-forwards into the pod network namespace', async () => {
    const pf = await dialPortForward(await node.runtime.portForward({ podSandboxId: sandboxId, ports: [8080] }));
    let body = '';
    for (let i = 0; i < 40 && !body.includes('hello-from-httpd'); i++) {
      const { data } = await pf.forward(8080);
      const reply = collect(data);
      data.end('GET /index.html HTTP/1.0\r\n\r\n');
      body = await reply;
      if (!body) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(body, /^HTTP\/1\.[01] 200/);
    assert.match(body, /hello-from-httpd/);
    const refused = await pf.forward(9);
    assert.match(await refused.error, /refused|error forwarding/);
    await pf.close();
  });
});
