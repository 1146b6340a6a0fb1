// Many hollow nodes in one process against a real `tug server`: 100 kubelets sharing one client
// and one pod informer register and turn Ready (kubectl shows them), each keeps its own Lease and
// runs the pods bound to it with its own IP range; and the `tug agent` command itself, run as a
// process, joins hollow nodes with --ca-file and refuses the not-yet-implemented containerd runtime.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { leaseKind } from '../../api/coordination/v1/index.js';
import { podKind, type Pod } from '../../api/core/v1/index.js';
import { HttpClient } from '../../client/index.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';
import { eventually } from '../../../test/support/eventually.js';
import { kubectlOk } from '../../../test/support/kubectl.js';
import { Agent } from '../agent.js';
import { parseNodeToken } from '../join.js';

const N = 100;
const AGENT_CMD = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cmd', 'agent.ts')).href;

/** Runs `tug agent ARGS` in a child process (the command as main.ts mounts it). */
function runAgentCommand(args: string[]): { exited: Promise<{ code: number | null; stderr: string }>; stop(): void } {
  const script = `const { agentCommand } = await import(${JSON.stringify(AGENT_CMD)});
await agentCommand().exitOverride().parseAsync(JSON.parse(process.env.TUG_AGENT_ARGS), { from: 'user' });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, TUG_AGENT_ARGS: JSON.stringify(args) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  return { exited, stop: () => child.kill('SIGTERM') };
}

describe('hollow nodes', () => {
  let srv: TugServer;
  let client: HttpClient;
  let tokenFile: string;
  const ac = new AbortController();
  let running: Promise<void> = Promise.resolve();

  before(async () => {
    srv = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
    tokenFile = join(srv.dataDir, 'node-token');
    client = new HttpClient({ server: srv.url, caCertPem: srv.caCertPem, token: srv.token });
  });

  after(async () => {
    ac.abort();
    await running;
    client.close();
    await srv.cleanup();
  });

  it(`registers ${N} hollow nodes from one process, all Ready with their own leases`, async () => {
    const token = parseNodeToken(await readFile(tokenFile, 'utf8'));
    const agent = new Agent({ server: srv.url, token: token.secret, caCertPem: srv.caCertPem, runtime: 'fake', hollowNodes: N, events: false });
    running = agent.start(ac.signal);
    await agent.ready;
    const ready = await eventually(
      async () => {
        const out = await kubectlOk(['get', 'nodes', '--no-headers'], { kubeconfig: srv.kubeconfig });
        const lines = out.split('\n').filter((l) => /^hollow-node-\d+\s+Ready\s/.test(l));
        return lines.length === N ? lines : undefined;
      },
      { timeoutMs: 60_000, what: `${N} Ready hollow nodes` },
    );
    assert.ok(ready.some((l) => l.startsWith('hollow-node-99 ')));
    const leases = await client.list(leaseKind, 'kube-node-lease');
    assert.equal(leases.items.filter((l) => l.metadata?.name?.startsWith('hollow-node-')).length, N);
  });

  it('runs pods on the node they are bound to, each node with its own pod range', async () => {
    for (const node of ['hollow-node-7', 'hollow-node-93']) {
      await client.create<Pod>(podKind, 'default', {
        metadata: { name: `on-${node}` },
        spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox:1.36' }] },
      });
    }
    const ips = await eventually(async () => {
      const a = await client.get<Pod>(podKind, 'default', 'on-hollow-node-7');
      const b = await client.get<Pod>(podKind, 'default', 'on-hollow-node-93');
      const ok = [a, b].every((p) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ok ? [a.status?.podIP, b.status?.podIP, a.status?.hostIP, b.status?.hostIP] : undefined;
    });
    assert.deepEqual(ips, ['10.244.7.2', '10.244.93.2', '127.16.0.8', '127.16.0.94']);
  });

  it('runs as `tug agent --runtime fake --hollow-nodes 3` and stops on SIGTERM', async () => {
    const proc = runAgentCommand([
      '--server', srv.url, '--token-file', tokenFile, '--ca-file', join(srv.dataDir, 'tls', 'ca.crt'),
      '--runtime', 'fake', '--hollow-nodes', '3', '--node-name', 'cli', '--capacity', 'cpu=8,memory=32Gi',
    ]);
    try {
      await eventually(
        async () => {
          const out = await kubectlOk(['get', 'nodes', '--no-headers', '-l', 'tugboat.dev/hollow-node=true'], { kubeconfig: srv.kubeconfig });
          return ['cli-0', 'cli-1', 'cli-2'].every((n) => new RegExp(`^${n}\\s+Ready\\s`, 'm').test(out));
        },
        { timeoutMs: 60_000, what: 'the CLI agent\'s nodes Ready' },
      );
      const cpu = await kubectlOk(['get', 'node', 'cli-2', '-o', 'jsonpath={.status.capacity.cpu}/{.status.capacity.memory}/{.status.capacity.pods}'], { kubeconfig: srv.kubeconfig });
      assert.equal(cpu, '8/32Gi/110');
    } finally {
      proc.stop();
    }
    const { code } = await proc.exited;
    assert.equal(code, 0);
  });

  it('refuses --hollow-nodes with the containerd runtime', async () => {
    const { code, stderr } = await runAgentCommand(['--server', srv.url, '--token-file', tokenFile, '--runtime', 'containerd', '--hollow-nodes', '2']).exited;
    assert.notEqual(code, 0);
    assert.match(stderr, /--hollow-nodes needs --runtime fake/);
  });
});
