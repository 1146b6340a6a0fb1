// The fake runtime's streaming, driven the way the agent drives any runtime: the URLs from
// exec/attach/portForward dialled with the SPDY clients. Exec runs the fake shell (echo, stdin to
// cat, redirections, exit codes, tar round trip through the container's file system), attach
// sees the main process's output and echo of stdin, port-forward reaches the address the pod's
// annotation names, and containers write CRI log lines that vanish when the runtime closes.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTar, tarBuffer } from '../../images/index.js';
import { dialPortForward, dialRemoteCommand } from '../../../lib/streaming/index.js';
import type { PodSandboxConfig } from '../runtime.js';
import { FakeRuntime } from './fake-runtime.js';
import { FAKE_LOG_INTERVAL } from './streaming.js';
import { FAKE_PORT_FORWARD } from './stream-server.js';

const collect = async (r: NodeJS.ReadableStream | undefined): Promise<Buffer> => {
  const parts: Buffer[] = [];
  if (r) for await (const c of r) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
};

describe('fake runtime streaming', () => {
  const rt = new FakeRuntime({ writeLogs: true });
  const logRoot = mkdtempSync(join(tmpdir(), 'fake-logs-'));
  const echo = createServer((s) => s.pipe(s));
  let sandboxId = '';
  let containerId = '';
  let logFile = '';

  before(async () => {
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const sandbox: PodSandboxConfig = {
      metadata: { name: 'p', namespace: 'default', uid: 'u1', attempt: 0 },
      logDirectory: join(logRoot, 'default_p_u1'),
      labels: {},
      annotations: { [FAKE_PORT_FORWARD]: `8080=127.0.0.1:${(echo.address() as AddressInfo).port}`, [FAKE_LOG_INTERVAL]: '50' },
    };
    sandboxId = await rt.runPodSandbox({ config: sandbox });
    await rt.pullImage({ image: { image: 'busybox' } });
    containerId = await rt.createContainer({
      podSandboxId: sandboxId,
      config: { metadata: { name: 'c', attempt: 0 }, image: { image: 'busybox' }, labels: {}, annotations: {}, logPath: 'c/0.log', stdin: true },
      sandboxConfig: sandbox,
    });
    await rt.startContainer(containerId);
    logFile = (await rt.containerStatus(containerId)).logPath;
  });

  after(async () => {
    await rt.close();
    echo.close();
    rmSync(logRoot, { recursive: true, force: true });
  });

  const exec = async (cmd: string[], stdin?: Buffer): Promise<{ out: string; err: string; outcome: unknown; raw: Buffer }> => {
    const url = await rt.exec({ containerId, cmd, stdin: stdin !== undefined, stdout: true, stderr: true });
    const c = await dialRemoteCommand(url, { stdin: stdin !== undefined, stdout: true, stderr: true, tty: false });
    const [out, err] = [collect(c.stdout), collect(c.stderr)];
    if (stdin) c.stdin?.end(stdin);
    const raw = await out;
    return { out: raw.toString(), err: (await err).toString(), outcome: await c.outcome, raw };
  };

  it('reports the full log path and writes CRI log lines', () => {
    assert.equal(logFile, join(logRoot, 'default_p_u1', 'c', '0.log'));
    assert.match(readFileSync(logFile, 'utf8'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F started c\n/);
  });

  it('runs echo, cat on stdin, scripts with redirections, and exit codes', async () => {
    assert.deepEqual(await exec(['echo', 'ok']).then((r) => [r.out, r.outcome]), ['ok\n', { exitCode: 0 }]);
    assert.equal((await exec(['cat'], Buffer.from('piped'))).out, 'piped');
    const script = await exec(['sh', '-c', 'echo one > /tmp/f; echo two >> /tmp/f && cat /tmp/f; exit 4']);
    assert.deepEqual([script.out, script.outcome], ['one\ntwo\n', { exitCode: 4 }]);
    const missing = await exec(['nosuchcmd']);
    assert.deepEqual([missing.err, missing.outcome], ['sh: nosuchcmd: not found\n', { exitCode: 127 }]);
  });

  it('unpacks and packs tar archives as kubectl cp uses them', async () => {
    const archive = tarBuffer([{ type: 'file', path: 'hello.txt', data: Buffer.from('hi there\n') }]);
    assert.deepEqual((await exec(['tar', '-xmf', '-', '-C', '/tmp'], archive)).outcome, { exitCode: 0 });
    assert.deepEqual((await exec(['test', '-d', '/tmp/hello.txt'])).outcome, { exitCode: 1 });
    assert.deepEqual((await exec(['test', '-f', '/tmp/hello.txt'])).outcome, { exitCode: 0 });
    assert.equal((await exec(['cat', '/tmp/hello.txt'])).out, 'hi there\n');
    const packed = await exec(['tar', 'cf', '-', '/tmp/hello.txt']);
    const entries = readTar(packed.raw);
    assert.deepEqual(entries.map((e) => [e.path, e.type === 'file' ? e.data.toString() : '']), [['tmp/hello.txt', 'hi there\n']]);
  });

  it('attaches to the main process: live output and stdin echoed back', async () => {
    const url = await rt.attach({ containerId, stdin: true, stdout: true, stderr: true });
    const c = await dialRemoteCommand(url, { stdin: true, stdout: true, stderr: true, tty: false });
    let seen = '';
    c.stdout?.on('data', (d: Buffer) => (seen += d.toString()));
    c.stdin?.write('typed\n');
    const deadline = Date.now() + 3000;
    while (!(seen.includes('typed\n') && seen.includes('tick')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.match(seen, /typed\n/);
    assert.match(seen, /tick \d+/);
    c.close();
    assert.match(readFileSync(logFile, 'utf8'), / stdout F typed\n/);
  });

  it('forwards ports to the address the annotation names, and refuses others', async () => {
    const pf = await dialPortForward(await rt.portForward({ podSandboxId: sandboxId }));
    const ok = await pf.forward(8080);
    const back = collect(ok.data);
    ok.data.end('ping');
    assert.equal((await back).toString(), 'ping');
    const refused = await pf.forward(9999);
    assert.match(await refused.error, /connection refused/);
    await pf.close();
  });

  it('writes no logs where the kubelet made no log directory', async () => {
    const quiet = new FakeRuntime();
    const sb: PodSandboxConfig = { metadata: { name: 'h', namespace: 'default', uid: 'u2', attempt: 0 }, logDirectory: join(logRoot, 'missing'), labels: {}, annotations: {} };
    const id = await quiet.runPodSandbox({ config: sb });
    await quiet.pullImage({ image: { image: 'busybox' } });
    const cid = await quiet.createContainer({ podSandboxId: id, config: { metadata: { name: 'c', attempt: 0 }, image: { image: 'busybox' }, labels: {}, annotations: {}, logPath: 'c/0.log' }, sandboxConfig: sb });
    await quiet.startContainer(cid);
    assert.equal(existsSync(join(logRoot, 'missing')), false);
    await quiet.close();
  });

  it('refuses to stream from containers that are not running', async () => {
    await rt.stopContainer(containerId, 0);
    await assert.rejects(rt.exec({ containerId, cmd: ['true'] }), /not running/);
    await rt.close();
    assert.equal(existsSync(logFile), false);
  });
});
