// kubectl 1.32's streaming verbs against real pods on a `tug up` node (root only), through the API
// server to the node agent: `logs` (-c, --tail, --timestamps, --previous after a restart, -f
// following new lines), `exec` with stdin and exit codes over WebSocket and over SPDY, `attach`,
// `port-forward` to busybox httpd on a loopback port, and `cp` in and out of a container.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually } from '../support/eventually.js';
import { kubectlPath } from '../support/kubectl.js';
import { startTugUp, type TugUp } from '../support/tug-up.js';
import { apply, container, createNamespace, hostDirs, httpOk, IMAGE, isRoot, pod, waitCondition, waitPod } from './lib.js';

/** Runs a long-lived kubectl (port-forward, logs -f) until `until` sees what it waits for in stdout. */
function kubectlUntil(c: TugUp, args: string[], until: (out: string) => boolean, timeoutMs = 20_000): Promise<{ out: string; stop(): void }> {
  const child = spawn(kubectlPath('1.32'), ['--kubeconfig', c.kubeconfig, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`kubectl ${args.join(' ')}: not seen within ${timeoutMs} ms; stdout: ${out} stderr: ${err}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (until(out)) {
        clearTimeout(timer);
        resolve({ out, stop });
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!until(out)) reject(new Error(`kubectl ${args.join(' ')} exited with ${code}: ${err}${out}`));
    });
  });
}

describe('real pods on tug up: kubectl logs, exec, attach, port-forward, cp', { skip: !isRoot && 'needs root', timeout: 180_000 }, () => {
  let c: TugUp;
  let ns = '';
  let work = '';
  before(async () => {
    c = await startTugUp();
    ns = await createNamespace(c, 'stream');
    work = await dirs.make('tug-e2e-cp-');
    await apply(
      c,
      ns,
      pod('duo', {
        terminationGracePeriodSeconds: 1,
        containers: [
          { name: 'web', image: IMAGE, command: ['sh', '-c', 'mkdir -p /www; echo "served over port-forward" > /www/index.html; echo web up; exec httpd -f -p 80 -h /www'], ports: [{ containerPort: 80 }] },
          { name: 'ticker', image: IMAGE, command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 1; done'] },
        ],
      }),
      pod('twice', {
        terminationGracePeriodSeconds: 1,
        // The first run exits 1; the restarted one stays up, so --previous has exactly one run to show.
        containers: [
          {
            name: 'main',
            image: IMAGE,
            command: ['sh', '-c', 'n=$(cat /state/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /state/n; echo "run $n"; [ $n -ge 2 ] && exec sleep 3600; exit 1'],
            volumeMounts: [{ name: 'state', mountPath: '/state' }],
          },
        ],
        volumes: [{ name: 'state', emptyDir: {} }],
      }),
      pod('chat', { terminationGracePeriodSeconds: 1, containers: [{ name: 'cat', image: IMAGE, command: ['sh', '-c', 'echo attached; exec cat'], stdin: true }] }),
    );
    await waitCondition(c, ns, 'Ready', ['pod/duo', 'pod/chat']);
  });
  after(async () => {
    await c?.destroy();
  });
  const dirs = hostDirs();

  it('kubectl logs with -c, --tail and --timestamps, and -f follows new lines', async () => {
    assert.equal(await c.kubectlOk(['logs', '-n', ns, 'duo', '-c', 'web']), 'web up\n');
    await eventually(async () => (await c.kubectlOk(['logs', '-n', ns, 'duo', '-c', 'ticker'])).includes('tick 3\n'), { timeoutMs: 15_000, what: 'three ticks' });
    const all = (await c.kubectlOk(['logs', '-n', ns, 'duo', '-c', 'ticker'])).split('\n').filter(Boolean);
    assert.deepEqual(all.slice(0, 3), ['tick 1', 'tick 2', 'tick 3']);
    const tail = (await c.kubectlOk(['logs', '-n', ns, 'duo', '-c', 'ticker', '--tail=2'])).split('\n').filter(Boolean);
    assert.equal(tail.length, 2);
    assert.match(tail[1] ?? '', /^tick \d+$/);
    const stamped = (await c.kubectlOk(['logs', '-n', ns, 'duo', '-c', 'web', '--timestamps'])).trim();
    assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z web up$/);
    // Without -c kubectl picks the first container and says so.
    const noC = await c.kubectl(['logs', '-n', ns, 'duo']);
    assert.equal(noC.stdout, 'web up\n', noC.stderr);
    assert.match(noC.stderr, /Defaulted container "web" out of: web, ticker/);
    const now = Number(/tick (\d+)/.exec(tail[1] ?? '')?.[1] ?? 0);
    const follow = await kubectlUntil(c, ['logs', '-n', ns, 'duo', '-c', 'ticker', '-f', '--tail=1'], (out) => out.includes(`tick ${now + 2}\n`));
    follow.stop();
    assert.ok(follow.out.split('\n').filter(Boolean).length >= 2);
  });

  it('kubectl logs --previous shows the run before a restart', async () => {
    await waitPod(c, ns, 'twice', (p) => container(p, 'main')?.restartCount === 1 && container(p, 'main')?.state?.running !== undefined, { what: 'restarted once and running' });
    assert.equal(await c.kubectlOk(['logs', '-n', ns, 'twice']), 'run 2\n');
    assert.equal(await c.kubectlOk(['logs', '-n', ns, 'twice', '--previous']), 'run 1\n');
  });

  it('kubectl exec with stdin and exit codes, over WebSocket and over SPDY', async () => {
    const modes: { what: string; env: Record<string, string> }[] = [
      { what: 'WebSocket', env: {} },
      { what: 'SPDY', env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } },
    ];
    for (const { what, env } of modes) {
      const r = await c.kubectl(['exec', '-n', ns, 'duo', '-c', 'web', '--', 'cat', '/www/index.html'], { env });
      assert.equal(r.stdout, 'served over port-forward\n', `${what}: ${r.stderr}`);
      const piped = await c.kubectl(['exec', '-i', '-n', ns, 'duo', '-c', 'web', '--', 'sh', '-c', 'tr a-z A-Z; echo err >&2; exit 7'], { stdin: 'shout\n', env });
      assert.equal(piped.stdout, 'SHOUT\n', `${what}: ${piped.stderr}`);
      assert.match(piped.stderr, /^err\n/, what);
      assert.equal(piped.code, 7, `${what}: exit code`);
      const host = await c.kubectl(['exec', '-n', ns, 'duo', '-c', 'ticker', '--', 'wget', '-q', '-O', '-', 'http://localhost:80/'], { env });
      assert.equal(host.stdout, 'served over port-forward\n', `${what}: the sidecar reaches the web container on localhost (${host.stderr})`);
    }
    const missing = await c.kubectl(['exec', '-n', ns, 'duo', '-c', 'web', '--', '/no/such/binary']);
    assert.notEqual(missing.code, 0);
  });

  it('kubectl attach reads the running process output and writes its stdin', async () => {
    const r = await c.kubectl(['attach', '-i', '-n', ns, 'chat', '-c', 'cat'], { stdin: 'echoed back\n', timeoutMs: 20_000 });
    assert.match(r.stdout, /echoed back\n/, r.stderr);
  });

  it('kubectl port-forward reaches httpd in the pod from a loopback port', async () => {
    const pf = await kubectlUntil(c, ['port-forward', '-n', ns, '--address', '127.0.0.1', 'pod/duo', ':80'], (out) => /Forwarding from 127\.0\.0\.1:\d+ -> 80/.test(out));
    try {
      const port = Number(/Forwarding from 127\.0\.0\.1:(\d+)/.exec(pf.out)?.[1]);
      assert.equal(await httpOk(`http://127.0.0.1:${port}/`), 'served over port-forward\n');
      assert.equal(await httpOk(`http://127.0.0.1:${port}/index.html`), 'served over port-forward\n', 'a second connection');
    } finally {
      pf.stop();
    }
  });

  it('kubectl cp copies a file into a container and back out', async () => {
    const src = join(work, 'in.txt');
    const content = `copied at ${Date.now()}\n`;
    await writeFile(src, content);
    await c.kubectlOk(['cp', src, `${ns}/duo:/www/copied.txt`, '-c', 'web']);
    const ip = JSON.parse(await c.kubectlOk(['get', 'pod', 'duo', '-n', ns, '-o', 'json'])) as { status?: { podIP?: string } };
    assert.equal(await httpOk(`http://${ip.status?.podIP ?? ''}:80/copied.txt`), content);
    const out = join(work, 'out.txt');
    await c.kubectlOk(['cp', `${ns}/duo:/www/index.html`, out, '-c', 'web']);
    assert.equal(await readFile(out, 'utf8'), 'served over port-forward\n');
  });
});
