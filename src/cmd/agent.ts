// `tug agent`: joins this machine (or, with --hollow-nodes, many simulated nodes) to a server as
// kubelets. The node token (DATA_DIR/node-token on the server) authenticates the agent and pins
// the server's CA unless --ca-file names it. Runs until SIGINT/SIGTERM.
import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { Agent, DEFAULT_HOLLOW_PREFIX, isRuntimeName, joinCredentials, type RuntimeName } from '../agent/index.js';
import { shutdownSignal } from './signals.js';

interface AgentFlags {
  server: string;
  tokenFile: string;
  dataDir: string;
  nodeName?: string;
  runtime: string;
  hollowNodes?: number;
  caFile?: string;
  nodeIp?: string;
  capacity?: Record<string, string>;
  events: boolean;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function capacityList(v: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of v.split(',').filter(Boolean)) {
    const [k, q] = part.split('=');
    if (!k || !q) throw new InvalidArgumentError(`expected resource=quantity, got "${part}"`);
    out[k.trim()] = q.trim();
  }
  return out;
}

export function agentCommand(): Command {
  return new Command('agent')
    .description('run a node agent (kubelet) that joins a tug server')
    .requiredOption('--server <url>', 'URL of the API server, e.g. https://10.0.0.1:6443')
    .requiredOption('--token-file <file>', "file holding the server's node token (DATA_DIR/node-token on the server)")
    .option('--data-dir <dir>', 'where the agent keeps its state', '/var/lib/tugboat/agent')
    .option('--node-name <name>', `node name (default: host name); with --hollow-nodes the name prefix (default: ${DEFAULT_HOLLOW_PREFIX})`)
    .option('--runtime <runtime>', 'container runtime: containerd or fake (in-memory, for hollow nodes)', 'containerd')
    .option('--hollow-nodes <n>', 'run N simulated nodes in this process (needs --runtime fake)', positiveInt)
    .option('--ca-file <file>', "the server's CA certificate (default: pinned from the CA hash in the token)")
    .option('--node-ip <ip>', 'InternalIP to report for this node')
    .option('--capacity <list>', 'capacity of fake nodes, e.g. cpu=4,memory=16Gi,pods=110', capacityList)
    .option('--no-events', 'do not record pod events (lighter scale tests)')
    .action(async (o: AgentFlags) => {
      if (!isRuntimeName(o.runtime)) throw new InvalidArgumentError(`unknown runtime "${o.runtime}" (containerd or fake)`);
      const runtime: RuntimeName = o.runtime;
      if (runtime === 'containerd') throw new Error('the containerd runtime is not implemented yet; use --runtime fake');
      const signal = shutdownSignal();
      const log = (m: string): void => void process.stderr.write(`${new Date().toISOString()} ${m}\n`);
      const creds = await joinCredentials({ server: o.server, tokenFile: resolve(o.tokenFile), ...(o.caFile ? { caFile: resolve(o.caFile) } : {}) });
      const agent = new Agent({
        server: o.server,
        token: creds.token,
        caCertPem: creds.caCertPem,
        runtime,
        dataDir: resolve(o.dataDir),
        events: o.events,
        log,
        ...(o.nodeName ? { nodeName: o.nodeName } : {}),
        ...(o.hollowNodes !== undefined ? { hollowNodes: o.hollowNodes } : {}),
        ...(o.nodeIp ? { nodeIP: o.nodeIp } : {}),
        ...(o.capacity ? { capacity: o.capacity } : {}),
      });
      // Timers are unref'd; this keeps the process alive until we are told to stop.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      const done = agent.start(signal);
      agent.ready.then(
        () => log(`agent ready: ${agent.kubelets.length} node(s) registered with ${o.server}`),
        () => undefined,
      );
      try {
        await done;
      } finally {
        clearInterval(keepAlive);
      }
    });
}
