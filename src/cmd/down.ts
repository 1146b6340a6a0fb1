// `tug down`: undoes `tug up` on this machine. It stops the running `tug up` (SIGTERM to the PID
// in its data dir), removes every pod through the node's own containerd so CNI tears each pod's
// network down properly, then sweeps whatever a crash may have left — containers in the node's
// runc state, its containerd and shims, pod network namespaces, the bridge, the nftables table,
// mounts under the data dir — and finally deletes the cluster's state. Only things this data dir
// names are touched: other containerds and other Tugboat clusters on the machine are left alone.
import { Command } from 'commander';
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { teardownNodeNetwork } from '../agent/network/index.js';
import { cmdlineOf, isAlive, killRuncContainers, processesMentioning, readPidFile, removePidFile, terminate, unmountUnder } from './host-leftovers.js';
import { nodeContainerdDir, removeNodePods, runcRootOf } from './real-node.js';
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
  const containerdDir = nodeContainerdDir(agentDir);
  try {
    report.pods += await removeNodePods({ dataDir: agentDir, log });
  } catch (err) {
    log(`could not remove pods through containerd (sweeping instead): ${err instanceof Error ? err.message : String(err)}`);
  }
  const killed = await killRuncContainers(runcRootOf(agentDir));
  report.containersKilled += killed.length;
  if (killed.length > 0) log(`killed ${killed.length} leftover container(s)`);
  for (const pid of await processesMentioning([containerdDir])) {
    await terminate(pid, 5_000);
    report.processesKilled += 1;
  }
  // The node-local DNS address (normally removed by the DNS server itself on a clean stop).
  if (await removeLocalLink({ link: DEFAULT_LOCAL_LINK, addresses: [DEFAULT_NODE_LOCAL_DNS] })) log(`removed DNS address ${DEFAULT_NODE_LOCAL_DNS}`);
  const net = await teardownNodeNetwork(agentDir, { log });
  if (net) {
    const parts = [...net.links.map((l) => `bridge ${l}`), ...net.tables.map((t) => `nftables table ${t}`), ...net.netns.map((n) => `netns ${n}`)];
    if (parts.length > 0) log(`removed ${parts.join(', ')}`);
  }
}

export async function runDown(o: DownOptions): Promise<DownReport> {
  if (process.getuid?.() !== 0) throw new Error('tug down changes host networking and mounts and must run as root');
  const dir = o.dataDir;
  const report: DownReport = { pods: 0, containersKilled: 0, processesKilled: 0, removed: [] };
  if (!(await exists(dir))) return report;
  const pid = await stopRunningUp(dir, o.log);
  if (pid !== undefined) report.stoppedPid = pid;
  const agentDir = join(dir, 'agent');
  if (await exists(agentDir)) await downNode(agentDir, report, o.log);
  const stuck = await unmountUnder(dir);
  if (stuck.length > 0) throw new Error(`could not unmount ${stuck.join(', ')}`);
  for (const name of ['agent', 'server']) {
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
    .action(async (f: { dataDir: string }) => {
      const log = (m: string): void => void process.stderr.write(`${new Date().toISOString()} ${m}\n`);
      const report = await runDown({ dataDir: resolve(f.dataDir), log });
      const what = report.removed.length > 0 || report.stoppedPid !== undefined ? `removed the cluster in ${resolve(f.dataDir)}` : `nothing to remove in ${resolve(f.dataDir)}`;
      process.stdout.write(`Tugboat is down: ${what}${report.pods > 0 ? ` (${report.pods} pod sandbox(es) removed)` : ''}.\n`);
    });
}
