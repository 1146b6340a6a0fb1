// kubectl's streaming verbs against a real busybox pod (root only): tug server, an agent whose
// kubelet runs pods on our own containerd, and its HTTPS endpoint. logs (incl. -f), exec over
// WebSocket v5 and SPDY with stdin and exit codes, port-forward to busybox httpd through the
// pod's network namespace, and cp both ways with the image's real tar.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { podKind, type Pod } from '../../api/core/v1/index.js';
import { eventually } from '../../../test/support/eventually.js';
import { kubectl, kubectlOk, kubectlPath } from '../../../test/support/kubectl.js';
import { startStreamingNode, type StreamingNode } from '../../../test/support/streaming-node.js';
import { pushTestImage, startTestRegistry, type TestRegistry } from '../images/test-registry.js';
import { startTestNode, type TestNode } from '../cri/containerd/test-node.js';

const isRoot = process.getuid?.() === 0;
const NS = 'default';

describe('kubectl streaming with a real container', { skip: !isRoot && 'needs root' }, () => {
  let registry: TestRegistry;
  let node: TestNode;
  let n: StreamingNode;
  let work = '';
  let logDir = '';
  const k = (args: string[], version = '1.32'): Promise<string> => kubectlOk(args, { kubeconfig: n.srv.kubeconfig, version });

  before(async () => {
    registry = await startTestRegistry();
    node = await startTestNode();
    const image = await pushTestImage(registry);
    n = await startStreamingNode({ runtime: node.runtime, nodeName: 'busybox-node' });
    work = await mkdtemp(join(tmpdir(), 'kubectl-containerd-'));
    const created = await n.client.create<Pod>(podKind, NS, {
      metadata: { name: 'bb', namespace: NS },
      spec: {
        nodeName: n.nodeName,
        containers: [
          {
            name: 'web',
            image,
            command: ['sh', '-c', 'echo serving; mkdir -p /www; echo hello-httpd > /www/index.html; i=0; while true; do i=$((i+1)); echo beat $i; sleep 0.3; done & exec httpd -f -p 8080 -h /www'],
          },
        ],
      },
    });
    // Without the agent's host options the kubelet puts pod logs in /var/log/pods; remove ours after.
    logDir = `/var/log/pods/${NS}_bb_${created.metadata?.uid ?? 'none'}`;
    await eventually(
      async () => (await n.client.get<Pod>(podKind, NS, 'bb')).status?.containerStatuses?.[0]?.state?.running,
      { timeoutMs: 60_000, what: 'busybox pod running' },
    );
  });

  after(async () => {
    if (n) {
      await n.client.delete(podKind, NS, 'bb', { gracePeriodSeconds: 0 }).catch(() => undefined);
      await eventually(async () => (await node.runtime.listPodSandbox()).length === 0, { timeoutMs: 30_000, what: 'pod removed' }).catch(() => undefined);
      await n.stop();
    }
    await node?.teardown();
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
    if (logDir) await rm(logDir, { recursive: true, force: true });
  });

  it('kubectl logs and logs -f', async () => {
    await eventually(async () => (await k(['logs', 'bb'])).includes('beat 3'), { timeoutMs: 10_000, what: 'beats' });
    assert.match(await k(['logs', 'bb', '--tail=1']), /^beat \d+\n$/);
    const f = spawn(kubectlPath('1.32'), ['--kubeconfig', n.srv.kubeconfig, 'logs', '-f', 'bb', '--tail=0']);
    let out = '';
    f.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await eventually(() => (out.match(/beat \d+/g) ?? []).length >= 3, { timeoutMs: 10_000, what: 'followed beats' });
    } finally {
      f.kill('SIGTERM');
    }
  });

  it('kubectl exec over WebSocket v5 and SPDY, with stdin and exit codes', async () => {
    assert.equal(await k(['exec', 'bb', '--', 'cat', '/www/index.html']), 'hello-httpd\n');
    assert.equal(await k(['exec', 'bb', '--', 'cat', '/www/index.html'], '1.27'), 'hello-httpd\n');
    const r = await kubectl(['exec', 'bb', '--', 'sh', '-c', 'exit 4'], { kubeconfig: n.srv.kubeconfig });
    assert.equal(r.code, 4);
    const wc = await kubectl(['exec', '-i', 'bb', '--', 'wc', '-l'], { kubeconfig: n.srv.kubeconfig, stdin: 'a\nb\nc\n' });
    assert.equal(wc.stdout.trim(), '3');
  });

  it('kubectl port-forward reaches httpd in the pod', async () => {
    const pf = spawn(kubectlPath('1.32'), ['--kubeconfig', n.srv.kubeconfig, 'port-forward', 'pod/bb', ':8080']);
    let out = '';
    pf.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const port = await eventually(() => Number(/127\.0\.0\.1:(\d+) -> 8080/.exec(out)?.[1]) || undefined, { what: 'forwarding' });
      const body = await new Promise<string>((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => s.write('GET /index.html HTTP/1.0\r\n\r\n'));
        let b = '';
        s.on('data', (d: Buffer) => (b += d.toString()));
        s.on('close', () => resolve(b));
        s.on('error', reject);
      });
      assert.match(body, /200 OK[\s\S]*hello-httpd/);
    } finally {
      pf.kill('SIGTERM');
    }
  });

  it('kubectl cp in and out', async () => {
    const src = join(work, 'data.txt');
    await writeFile(src, 'x'.repeat(300_000));
    await k(['cp', src, 'bb:/tmp/data.txt']);
    assert.equal((await k(['exec', 'bb', '--', 'wc', '-c', '/tmp/data.txt'])).trim(), '300000 /tmp/data.txt');
    await k(['cp', 'bb:/tmp/data.txt', join(work, 'back.txt')]);
    assert.equal((await readFile(join(work, 'back.txt'), 'utf8')).length, 300_000);
  });
});
