// Starts a whole `tug up` cluster (control plane and node 1 in one process, with `nodes` > 1 also
// nodes 2..N as child agents in network namespaces) for end-to-end tests and benchmarks that run
// as root: its own data dir, API port, node name, pod bridge, cluster CIDR, node bridge and node
// CIDR, so it never collides with another run or the machine's default cluster. The API listens on
// node 1's address on the node bridge, which the test itself created through `tug up`. The
// handle runs the real kubectl against it, restarts it on the same data dir (an agent restart
// that must re-adopt running pods), and `destroy()` stops the process by its own PID and runs
// `tug down`, then removes the bridge, nftables table and data dir should `tug down` leave them.
// `TUG_FROM_SOURCES=1` runs the TypeScript sources through tsx instead of bin/tug.js (which
// prefers dist/, possibly older than the tree while several people work in it).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deleteLink, deleteTable, netnsNames, run, type RunResult } from '../../src/agent/network/index.js';
import { kubectl, kubectlOk, type KubectlResult } from './kubectl.js';
import { freePort, TUG_BIN } from './tug-server.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** How a `tug` command line starts: bin/tug.js, or the sources through tsx. */
export function tugCommand(args: string[], o: { fromSources?: boolean } = {}): string[] {
  const sources = o.fromSources ?? process.env.TUG_FROM_SOURCES === '1';
  return sources ? ['--import', 'tsx', join(ROOT, 'src', 'cmd', 'main.ts'), ...args] : [TUG_BIN, ...args];
}

export interface TugUpOptions {
  /** Start again on an earlier cluster's data dir and names (the agent restarts). */
  again?: TugUp;
  fromSources?: boolean;
  /** How long to wait for the kubeconfig line (default 120 s). */
  readyTimeoutMs?: number;
  extraArgs?: string[];
  /**
   * `isolated` (the default) turns off the node services that take fixed host addresses — the
   * ingress controller on :80/:443 and the node-local DNS on 169.254.20.10 — so several clusters
   * and other tests can run side by side; `default` runs them as users get them.
   */
  services?: 'isolated' | 'default';
  /** `--nodes` (default 1). */
  nodes?: number;
}

export interface TugUp {
  child: ChildProcess;
  pid: number;
  dir: string;
  node: string;
  bridge: string;
  cidr: string;
  port: number;
  /** The node bridge and its CIDR; node k has the k-th address. */
  nodeBridge: string;
  nodeCidr: string;
  /** Node names, node 1 first (`node`, then `node-2`, …). */
  nodes: string[];
  /** InternalIP of each node, in the same order. */
  nodeIPs: string[];
  kubeconfig: string;
  /** Runs a command on node k (1-based): in the host namespace for node 1, else inside its network namespace. */
  onNode(k: number, cmd: string, args: string[]): Promise<RunResult>;
  /** The network namespace of node k ≥ 2. */
  netnsOf(k: number): string;
  /** Milliseconds from spawning `tug up` to its "is up" message. */
  upMs: number;
  output(): string;
  kubectl(args: string[], opts?: { stdin?: string; timeoutMs?: number; env?: Record<string, string> }): Promise<KubectlResult>;
  /** kubectl that must exit 0; returns its stdout. */
  kubectlOk(args: string[], opts?: { stdin?: string; timeoutMs?: number; env?: Record<string, string> }): Promise<string>;
  /** SIGTERM and wait for the exit code (pods keep running for the next `tug up`). */
  stop(timeoutMs?: number): Promise<number | null>;
  /** Stops the process if still running, runs `tug down`, and removes whatever is left. */
  destroy(): Promise<void>;
}

const gone = (c: ChildProcess): boolean => c.exitCode !== null || c.signalCode !== null;

export function waitExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (gone(child)) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pid ${child.pid ?? '?'} did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** A /16 in 10.100–199.0.0 that `tug up` cuts the node's /24 from. */
const randomCidr = (): string => `10.${100 + ((randomBytes(1)[0] ?? 0) % 100)}.0.0/16`;

/** A /24 in 10.200–249.x.0 for the node addresses, clear of the cluster CIDRs above. */
function randomNodeCidr(): string {
  const [a = 0, b = 0] = randomBytes(2);
  return `10.${200 + (a % 50)}.${b}.0/24`;
}

const nthAddress = (cidr: string, k: number): string => {
  const [a, b, c] = cidr.split('.');
  return `${a ?? ''}.${b ?? ''}.${c ?? ''}.${k}`;
};

export async function startTugUp(o: TugUpOptions = {}): Promise<TugUp> {
  const id = randomBytes(3).toString('hex');
  const prev = o.again;
  const dir = prev?.dir ?? (await mkdtemp(join(tmpdir(), 'tug-e2e-')));
  const node = prev?.node ?? `e2e-${id}`;
  const bridge = prev?.bridge ?? `tuge${id}`;
  const cidr = prev?.cidr ?? randomCidr();
  const port = prev?.port ?? (await freePort());
  const nodeBridge = prev?.nodeBridge ?? `tugn${id}`;
  const nodeCidr = prev?.nodeCidr ?? randomNodeCidr();
  const count = o.nodes ?? prev?.nodes.length ?? 1;
  const nodes = Array.from({ length: count }, (_, i) => (i === 0 ? node : `${node}-${i + 1}`));
  const nodeIPs = nodes.map((_, i) => nthAddress(nodeCidr, i + 1));
  const netnsOf = (k: number): string => `tug-${nodes[k - 1] ?? `${node}-${k}`}`;
  const services = o.services === 'default' ? [] : ['--no-ingress', '--no-node-local-dns'];
  const args = [
    'up', '--data-dir', dir, '--listen', `${nodeIPs[0] ?? ''}:${port}`, '--node-name', node, '--bridge-name', bridge, '--cluster-cidr', cidr,
    '--node-bridge-name', nodeBridge, '--node-cidr', nodeCidr, '--nodes', String(count), '--kubelet-port', '0', ...services, ...(o.extraArgs ?? []),
  ];
  const t0 = performance.now();
  const child = spawn(process.execPath, tugCommand(args, o), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('tug up did not start');
  // If the test process dies without its hooks, do not leave the cluster running.
  const killOnExit = (): void => {
    if (!gone(child)) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-256 * 1024)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-256 * 1024)));
  const stop = async (timeoutMs = 60_000): Promise<number | null> => {
    process.removeListener('exit', killOnExit);
    if (gone(child)) return child.exitCode;
    child.kill('SIGTERM');
    return waitExit(child, timeoutMs);
  };
  const destroy = async (): Promise<void> => {
    await stop().catch(async () => {
      child.kill('SIGKILL');
      await waitExit(child, 10_000).catch(() => undefined);
    });
    await run(process.execPath, tugCommand(['down', '--data-dir', dir], o)).catch(() => undefined);
    // Only if `tug down` left them: names this run made up, nobody else's.
    const namespaces = await netnsNames();
    for (let k = 2; k <= count; k++) if (namespaces.includes(netnsOf(k))) await run('ip', ['netns', 'delete', netnsOf(k)]);
    await deleteLink(nodeBridge).catch(() => false);
    await deleteLink(bridge).catch(() => false);
    await deleteTable(`tugboat-${node}`).catch(() => false);
    await deleteTable(`tugboat-proxy_${node}`).catch(() => false);
    await deleteTable(`tugboat-nodes-${nodeBridge}`).catch(() => false);
    await rm(dir, { recursive: true, force: true });
  };
  let kubeconfig: string;
  try {
    kubeconfig = await new Promise<string>((resolve, reject) => {
      const limit = o.readyTimeoutMs ?? 120_000;
      const timer = setTimeout(() => reject(new Error(`tug up printed no kubeconfig within ${limit} ms:\n${out}`)), limit);
      const check = (): void => {
        const m = /export KUBECONFIG=(\S+)/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`tug up exited with ${code}:\n${out}`));
      });
    });
  } catch (err) {
    // A restart must not delete the state the caller still owns.
    if (prev) await stop().catch(() => undefined);
    else await destroy();
    throw err;
  }
  const kc = { kubeconfig };
  return {
    child,
    pid,
    dir,
    node,
    bridge,
    cidr,
    port,
    nodeBridge,
    nodeCidr,
    nodes,
    nodeIPs,
    kubeconfig,
    netnsOf,
    onNode: (k, cmd, a) => (k === 1 ? run(cmd, a) : run('nsenter', [`--net=/run/netns/${netnsOf(k)}`, '--', cmd, ...a])),
    upMs: performance.now() - t0,
    output: () => out,
    kubectl: (a, opts) => kubectl(a, { ...kc, ...opts }),
    kubectlOk: (a, opts) => kubectlOk(a, { ...kc, ...opts }),
    stop,
    destroy,
  };
}
