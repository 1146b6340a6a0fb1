// `tug down`: undoes `tug up` on this machine. It stops the running `tug up` (SIGTERM to the PID
// in its data dir; it stops its child agents), kills any child agent still running, and for each
// node removes every pod through the node's own containerd so CNI tears each pod's network down
// properly — for nodes 2..N by running itself inside the node's network namespace — then sweeps
// whatever a crash may have left: containers in the node's runc state, every process naming the
// node's data dir (its containerd and shims, an ingress nginx a killed agent left running), pod
// network namespaces, the pod bridge, routes, the nftables tables, mounts under the data dir.
// Last go the node namespaces, their veths, the node bridge, the host masquerade table for the
// node addresses and the cluster's state (server, nodes, local-path volumes). Only things this
// data dir names are touched: other containerds and other Tugboat clusters are left alone.
import { Command, Option } from 'commander';
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readNetworkState, run, teardownNodeNetwork } from '../agent/network/index.js';
import { deleteProxyTable } from '../agent/proxy/index.js';
import { cmdlineOf, isAlive, killRuncContainers, processesWithArgument, readPidFile, removePidFile, terminate, terminateUnder, unmountUnder } from './host-leftovers.js';
import { inNetns, readNodeNetwork, tearDownNodeNetwork, type NodeSlot } from './node-netns.js';
import { selfCommand } from './child-agents.js';
import { nodeDataDir } from './up-nodes.js';
import { removeNodePods, runcRootOf } from './real-node.js';
import { DEFAULT_UP_DIR } from './up.js';
import { DEFAULT_LOCAL_LINK, DEFAULT_NODE_LOCAL_DNS, removeLocalLink } from '../agent/dns/index.js';

export interface DownOptions {
  dataDir: string;
  log(msg: string): void;
}

export interface DownReport {
  stoppedPid?: number;
  pods: number;
  containersKilled: number;
  processesKilled: number;
  removed: string[];
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** Whether a UDP socket in this network namespace is bound to ip:port (/proc/net/udp, little-endian hex). */
async function udpListening(ip: string, port: number): Promise<boolean> {
  const hex = ip.split('.').reverse().map((b) => Number(b).toString(16).padStart(2, '0')).join('').toUpperCase();
  const local = `${hex}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
  const table = await readFile('/proc/net/udp', 'utf8').catch(() => '');
  return table.split('\n').some((line) => line.trim().split(/\s+/)[1] === local);
}

/** Stops the `tug up` recorded in the data dir, if that PID is still a tug process. */
async function stopRunningUp(dir: string, log: (m: string) => void): Promise<number | undefined> {
  const pid = await readPidFile(dir);
  if (pid === undefined || !isAlive(pid)) return undefined;
  const argv = (await cmdlineOf(pid)) ?? [];
  if (!argv.some((a) => a.includes('tug'))) {
    log(`pid ${pid} in ${join(dir, 'tug.pid')} is not tug (${argv.join(' ')}); not stopping it`);
    return undefined;
  }
  log(`stopping tug up (pid ${pid})`);
  await terminate(pid, 60_000);
  return pid;
}

/** Removes one node's pods, containerd, network and mounts; its data dir is deleted by the caller. */
async function downNode(agentDir: string, report: DownReport, log: (m: string) => void): Promise<void> {
  try {
    report.pods += await removeNodePods({ dataDir: agentDir, log });
  } catch (err) {
    log(`could not remove pods through containerd (sweeping instead): ${err instanceof Error ? err.message : String(err)}`);
  }
  const killed = await killRuncContainers(runcRootOf(agentDir));
  report.containersKilled += killed.length;
  if (killed.length > 0) log(`killed ${killed.length} leftover container(s)`);
  // Its containerd and shims, and what its agent started and a SIGKILL orphaned (the ingress nginx).
  report.processesKilled += await terminateUnder([agentDir], 5_000);
  // The node-local DNS address (normally removed by the DNS server itself on a clean stop) —
  // unless another cluster's DNS server on this machine still answers on it.
  if (await udpListening(DEFAULT_NODE_LOCAL_DNS, 53)) log(`left DNS address ${DEFAULT_NODE_LOCAL_DNS}: another DNS server still listens on it`);
  else if (await removeLocalLink({ link: DEFAULT_LOCAL_LINK, addresses: [DEFAULT_NODE_LOCAL_DNS] })) log(`removed DNS address ${DEFAULT_NODE_LOCAL_DNS}`);
  const nodeName = (await readNetworkState(agentDir).catch(() => undefined))?.nodeName;
  if (nodeName) await deleteProxyTable({ nodeName }).catch((e: unknown) => log(`could not delete the Service proxy table: ${String(e)}`));
  const net = await teardownNodeNetwork(agentDir, { log });
  if (net) {
    const parts = [...net.links.map((l) => `bridge ${l}`), ...net.tables.map((t) => `nftables table ${t}`), ...net.routes.map((r) => `route ${r}`), ...net.netns.map((n) => `netns ${n}`)];
    if (parts.length > 0) log(`removed ${parts.join(', ')}`);
  }
}

/**
 * Node k ≥ 2: its agent is stopped, then `tug down --node-dir` runs inside the node's namespace so
 * containerd, CNI and the teardown see that namespace's bridge, routes and tables. Without the
 * namespace (removed by hand), only what all namespaces share is swept here.
 */
async function downNamespacedNode(upDir: string, slot: NodeSlot, report: DownReport, log: (m: string) => void): Promise<void> {
  const dir = nodeDataDir(upDir, slot.name);
  for (const pid of await processesWithArgument(dir)) {
    log(`stopping the agent of node ${slot.name} (pid ${pid})`);
    await terminate(pid, 30_000);
    report.processesKilled += 1;
  }
  if (!(await exists(dir))) return;
  const netnsPresent = slot.netns !== undefined && (await exists(`/run/netns/${slot.netns}`));
  if (netnsPresent && slot.netns) {
    const [cmd, ...args] = inNetns(slot.netns, selfCommand()[0] ?? process.execPath, [...selfCommand().slice(1), 'down', '--node-dir', dir]);
    const r = await run(cmd ?? 'nsenter', args);
    for (const line of `${r.stderr}${r.stdout}`.split('\n').filter(Boolean)) log(`[${slot.name}] ${line}`);
    if (r.code === 0) return;
    log(`tug down inside ${slot.netns} failed (exit ${r.code}); sweeping from here`);
  }
  const killed = await killRuncContainers(runcRootOf(dir));
  report.containersKilled += killed.length;
  report.processesKilled += await terminateUnder([dir], 5_000);
  await teardownNodeNetwork(dir, { log, ownNamespace: false });
}

export async function runDown(o: DownOptions): Promise<DownReport> {
  if (process.getuid?.() !== 0) throw new Error('tug down changes host networking and mounts and must run as root');
  const dir = o.dataDir;
  const report: DownReport = { pods: 0, containersKilled: 0, processesKilled: 0, removed: [] };
  if (!(await exists(dir))) return report;
  const pid = await stopRunningUp(dir, o.log);
  if (pid !== undefined) report.stoppedPid = pid;
  const nodes = await readNodeNetwork(dir);
  for (const slot of nodes?.nodes ?? []) if (slot.netns) await downNamespacedNode(dir, slot, report, o.log);
  const agentDir = join(dir, 'agent');
  if (await exists(agentDir)) await downNode(agentDir, report, o.log);
  const nodeNet = await tearDownNodeNetwork(dir, o.log);
  if (nodeNet && nodeNet.netns.length + nodeNet.links.length + nodeNet.tables.length > 0) {
    o.log(`removed ${[...nodeNet.netns.map((n) => `netns ${n}`), ...nodeNet.links.map((l) => `link ${l}`), ...nodeNet.tables.map((t) => `nftables table ${t}`)].join(', ')}`);
  }
  if (nodeNet?.restoredIpForward) o.log('turned IPv4 forwarding off again, as it was before tug up');
  const stuck = await unmountUnder(dir);
  if (stuck.length > 0) throw new Error(`could not unmount ${stuck.join(', ')}`);
  for (const name of ['agent', 'nodes', 'storage', 'server']) {
    const path = join(dir, name);
    if (!(await exists(path))) continue;
    await rm(path, { recursive: true, force: true });
    report.removed.push(path);
  }
  await removePidFile(dir);
  // The data dir itself goes only if nothing else lives in it.
  if ((await readdir(dir)).length === 0) await rmdir(dir).catch(() => undefined);
  return report;
}

export function downCommand(): Command {
  return new Command('down')
    .description('stop a cluster started by tug up and remove it from this machine (containers, network, state)')
    .option('--data-dir <dir>', 'the data dir given to tug up', DEFAULT_UP_DIR)
    // Internal: one namespaced node's teardown, run by `tug down` inside that node's namespace.
    .addOption(new Option('--node-dir <dir>').hideHelp())
    .action(async (f: { dataDir: string; nodeDir?: string }) => {
      const log = (m: string): void => void process.stderr.write(`${new Date().toISOString()} ${m}\n`);
      if (f.nodeDir) {
        const report: DownReport = { pods: 0, containersKilled: 0, processesKilled: 0, removed: [] };
        await downNode(resolve(f.nodeDir), report, log);
        if (report.pods > 0) log(`removed ${report.pods} pod sandbox(es)`);
        return;
      }
      const report = await runDown({ dataDir: resolve(f.dataDir), log });
      const what = report.removed.length > 0 || report.stoppedPid !== undefined ? `removed the cluster in ${resolve(f.dataDir)}` : `nothing to remove in ${resolve(f.dataDir)}`;
      process.stdout.write(`Tugboat is down: ${what}${report.pods > 0 ? ` (${report.pods} pod sandbox(es) removed)` : ''}.\n`);
    });
}
