// The cluster the pod-start benchmark measures: a real `tug server` and, as a separate process so
// its memory is its own, `tug agent --runtime containerd` with its own containerd, bridge, cluster
// CIDR and node name, laid out as DIR/server and DIR/agent so `tug down --data-dir DIR` can sweep
// the node afterwards. Everything is stopped by its own PID; the agent's containerd PID is found
// by the config path only it is started with.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerdPaths } from '../../src/agent/cri/containerd/index.js';
import { deleteLink, deleteTable, run } from '../../src/agent/network/index.js';
import { processesMentioning } from '../../src/cmd/host-leftovers.js';
import { HttpsClient } from '../api/http-client.js';
import { startTugServer, type TugServer } from '../../test/support/tug-server.js';
import { tugCommand, waitExit } from '../../test/support/tug-up.js';

export interface BenchNode {
  server: TugServer;
  http: HttpsClient;
  agentPid: number;
  nodeName: string;
  /** `unix:///…/containerd.sock` of the agent's own containerd. */
  criEndpoint: string;
  /** PID of the agent's containerd, once it runs. */
  containerdPid(): Promise<number | undefined>;
  agentLogs(): string;
  teardown(): Promise<void>;
}

const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);

async function waitNodeReady(http: HttpsClient, name: string, agent: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (agent.exitCode !== null || agent.signalCode !== null) throw new Error(`tug agent exited:\n${logs().slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`node ${name} not Ready within 120 s:\n${logs().slice(-4000)}`);
    const r = await http.request({ method: 'GET', path: `/api/v1/nodes/${name}` });
    if (r.status === 200) {
      const node = JSON.parse(r.body) as { spec?: { podCIDR?: string }; status?: { conditions?: { type: string; status: string }[] } };
      if (node.spec?.podCIDR && node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

export async function startBenchNode(): Promise<BenchNode> {
  const id = randomBytes(3).toString('hex');
  const dir = await mkdtemp(join(tmpdir(), 'tug-podstart-'));
  const cidr = `10.${100 + ((randomBytes(1)[0] ?? 0) % 100)}.0.0/16`;
  const nodeName = `podstart-${id}`;
  const bridge = `tugb${id}`;
  const agentDir = join(dir, 'agent');
  await mkdir(agentDir, { recursive: true });
  const server = await startTugServer({ dataDir: join(dir, 'server'), extraArgs: ['--cluster-cidr', cidr] });
  const http = new HttpsClient(server, { maxSockets: 64 });
  const args = ['agent', '--server', server.url, '--token-file', join(server.dataDir, 'node-token'), '--data-dir', agentDir, '--node-name', nodeName];
  args.push('--runtime', 'containerd', '--bridge-name', bridge, '--cluster-cidr', cidr, '--kubelet-port', '0');
  const agent = spawn(process.execPath, tugCommand(args), { stdio: ['ignore', 'ignore', 'pipe'] });
  let agentErr = '';
  agent.stderr?.on('data', (d: Buffer) => (agentErr = (agentErr + d.toString()).slice(-64 * 1024)));
  const killOnExit = (): void => {
    if (agent.exitCode === null && agent.signalCode === null) agent.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const containerdDir = join(agentDir, 'containerd');
  const teardown = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    http.close();
    if (agent.exitCode === null && agent.signalCode === null) {
      agent.kill('SIGTERM');
      await waitExit(agent, 60_000).catch(async () => {
        agent.kill('SIGKILL');
        await waitExit(agent, 10_000).catch(() => undefined);
      });
    }
    // `tug down` removes the node's pods through its containerd, then its network and state.
    const down = await run(process.execPath, tugCommand(['down', '--data-dir', dir]));
    if (down.code !== 0) log(`tug down: ${down.stderr}`);
    await server.cleanup();
    await deleteLink(bridge).catch(() => false);
    await deleteTable(`tugboat-${nodeName}`).catch(() => false);
    // The Service proxy's table too, in case the agent died before it could remove it.
    await deleteTable(`tugboat-proxy_${nodeName}`).catch(() => false);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitNodeReady(http, nodeName, agent, () => agentErr);
  } catch (err) {
    await teardown();
    throw err;
  }
  return {
    server,
    http,
    agentPid: agent.pid ?? 0,
    nodeName,
    criEndpoint: `unix://${containerdPaths(containerdDir).address}`,
    containerdPid: async () => (await processesMentioning([containerdPaths(containerdDir).config]))[0],
    agentLogs: () => agentErr,
    teardown,
  };
}
