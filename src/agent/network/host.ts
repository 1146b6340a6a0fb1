// The few host commands and kernel knobs the node network touches: running `ip`/`nft` with a
// script on stdin, the IPv4 forwarding and bridge-netfilter sysctls, and link/netns queries. Kept
// in one place so the rest of the folder stays pure (config and script builders) and its tests
// can read the host state the same way the code changes it.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, feeding `input` on stdin; never throws for a non-zero exit. */
export function run(cmd: string, args: string[], o: { input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A command that exits without reading its stdin is reported by its exit code, not EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
  });
}

/** Runs a command that must succeed; the error carries its stderr. */
export async function runOk(cmd: string, args: string[], o: { input?: string } = {}): Promise<string> {
  const r = await run(cmd, args, o);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';

export async function ipForwarding(): Promise<boolean> {
  return (await readFile(IP_FORWARD, 'utf8')).trim() === '1';
}

export async function setIpForwarding(on: boolean): Promise<void> {
  await writeFile(IP_FORWARD, on ? '1\n' : '0\n');
}

const BRIDGE_NF = '/proc/sys/net/bridge/bridge-nf-call-iptables';

/**
 * Makes bridged IPv4 traffic pass netfilter (loads br_netfilter if needed), so a reply from a
 * pod to another pod on the same bridge meets conntrack and is un-DNATed after a Service hop.
 * Resolves false (the caller warns) when the module cannot be loaded.
 */
export async function enableBridgeNetfilter(): Promise<boolean> {
  const read = (): Promise<string | undefined> => readFile(BRIDGE_NF, 'utf8').then((v) => v.trim(), () => undefined);
  let value = await read();
  if (value === undefined) {
    await run('modprobe', ['br_netfilter']).catch(() => undefined);
    value = await read();
  }
  if (value === undefined) return false;
  if (value !== '1') await writeFile(BRIDGE_NF, '1\n');
  return true;
}

/** Names of the host's network links (`ip -j link`). */
export async function linkNames(): Promise<string[]> {
  const out = await runOk('ip', ['-j', 'link', 'show']);
  const links = JSON.parse(out || '[]') as { ifname?: string }[];
  return links.map((l) => l.ifname ?? '').filter(Boolean);
}

/** Deletes a link if it exists; true when it was there. */
export async function deleteLink(name: string): Promise<boolean> {
  if (!(await linkNames()).includes(name)) return false;
  await runOk('ip', ['link', 'delete', name]);
  return true;
}

/** Named network namespaces (`ip netns list`), as paths under /var/run/netns. */
export async function netnsNames(): Promise<string[]> {
  const r = await run('ip', ['netns', 'list']);
  if (r.code !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}
