// A whole cluster on hollow nodes for integration tests and benchmarks: one real `tug server`
// (sqlite, or etcd through a DSN) plus one or more `tug agent --runtime fake --hollow-nodes N`
// processes, each agent its own process so a test can kill one by PID to make its nodes die.
// Everything started here is stopped by its own PID in cleanup(), and killed if the test process
// exits without running its hooks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeKind, type Node } from '../../src/api/core/v1/index.js';
import { HttpClient } from '../../src/client/index.js';
import { eventually } from './eventually.js';
import { kubectl, kubectlOk, type KubectlResult } from './kubectl.js';
import { startTugServer, TUG_BIN, type StartOptions, type TugServer } from './tug-server.js';

export interface HollowAgent {
  pid: number;
  /** Name prefix of this agent's nodes: PREFIX-0 … PREFIX-(N-1). */
  prefix: string;
  nodeNames: string[];
  logs(): string;
  /** SIGTERM and wait; `kill` sends SIGKILL (the node dies without a goodbye). */
  stop(opts?: { kill?: boolean }): Promise<void>;
}

export interface AgentSpec {
  nodes: number;
  prefix: string;
  /** e.g. { cpu: '4', memory: '16Gi', pods: '110' } */
  capacity?: Record<string, string>;
  extraArgs?: string[];
  /** Wait until every node is Ready in the API (default true). */
  waitReady?: boolean;
  readyTimeoutMs?: number;
}

export interface HollowCluster {
  server: TugServer;
  agents: HollowAgent[];
  /** A client with the admin token, closed by cleanup(). */
  client: HttpClient;
  addAgent(spec: AgentSpec): Promise<HollowAgent>;
  kubectl(args: string[], opts?: { stdin?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** kubectl that must exit 0; returns its stdout. */
  kubectlOk(args: string[], opts?: { stdin?: string; timeoutMs?: number }): Promise<string>;
  /** Stops every agent, then the server, and removes their directories. */
  cleanup(): Promise<void>;
}

export interface HollowClusterOptions {
  agents: AgentSpec[];
  server?: StartOptions;
}

const signalPid = (pid: number, sig: NodeJS.Signals): void => {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
};

const gone = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** Starts one agent process for `server` and, unless told not to, waits for its nodes to be Ready. */
export async function startHollowAgent(server: TugServer, spec: AgentSpec): Promise<HollowAgent> {
  const dataDir = await mkdtemp(join(tmpdir(), `tug-agent-${spec.prefix}-`));
  const capacity = spec.capacity ? ['--capacity', Object.entries(spec.capacity).map(([k, v]) => `${k}=${v}`).join(',')] : [];
  const args = [
    TUG_BIN,
    'agent',
    '--server',
    server.url,
    '--token-file',
    join(server.dataDir, 'node-token'),
    '--data-dir',
    dataDir,
    '--runtime',
    'fake',
    '--hollow-nodes',
    String(spec.nodes),
    '--node-name',
    spec.prefix,
    ...capacity,
    ...(spec.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-64 * 1024);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('tug agent did not start');
  const killOnExit = (): void => {
    if (!gone(child)) signalPid(pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async (o: { kill?: boolean } = {}): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (!gone(child)) {
      signalPid(pid, o.kill ? 'SIGKILL' : 'SIGTERM');
      // A thousand hollow nodes take a while to wind down; a CPU profile is written only on a clean exit.
      const timer = setTimeout(() => signalPid(pid, 'SIGKILL'), Math.max(10_000, spec.nodes * 30));
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const nodeNames = Array.from({ length: spec.nodes }, (_, i) => `${spec.prefix}-${i}`);
  if (spec.waitReady !== false) {
    const client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
    try {
      await eventually(
        async () => {
          if (gone(child)) throw new Error(`tug agent exited:\n${stderr}`);
          const nodes = await client.list<Node>(nodeKind, undefined);
          const ready = new Set(nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).map((n) => n.metadata?.name));
          return nodeNames.every((n) => ready.has(n));
        },
        // Listing a thousand nodes is itself load; poll big agents less often.
        { timeoutMs: spec.readyTimeoutMs ?? 60_000, intervalMs: Math.max(200, spec.nodes), what: `nodes ${spec.prefix}-* Ready` },
      );
    } catch (err) {
      await stop({ kill: true });
      throw new Error(`agent ${spec.prefix} not ready: ${String(err)}\n${stderr.slice(-4000)}`, { cause: err });
    } finally {
      client.close();
    }
  }
  return { pid, prefix: spec.prefix, nodeNames, logs: () => stderr, stop };
}

/** A server plus the agents asked for; on failure everything already started is stopped. */
export async function startHollowCluster(o: HollowClusterOptions): Promise<HollowCluster> {
  const server = await startTugServer(o.server);
  const agents: HollowAgent[] = [];
  const client = new HttpClient({ server: server.url, caCertPem: server.caCertPem, token: server.token });
  const cleanup = async (): Promise<void> => {
    client.close();
    await Promise.all(agents.map((a) => a.stop()));
    await server.cleanup();
  };
  const addAgent = async (spec: AgentSpec): Promise<HollowAgent> => {
    const agent = await startHollowAgent(server, spec);
    agents.push(agent);
    return agent;
  };
  try {
    await Promise.all(o.agents.map((spec) => addAgent(spec)));
  } catch (err) {
    await cleanup();
    throw err;
  }
  const kc = { kubeconfig: server.kubeconfig };
  return {
    server,
    agents,
    client,
    addAgent,
    kubectl: (args, opts) => kubectl(args, { ...kc, ...opts }),
    kubectlOk: (args, opts) => kubectlOk(args, { ...kc, ...opts }),
    cleanup,
  };
}
