// The node-local address the cluster DNS listens on, as NodeLocal DNSCache does it: a dummy link
// (default `tug-dns0`) holding the address as a /32 (/128), so pods reach it through their default
// route to the node and no Service, proxy rule or allocator is involved. Created when the server
// starts, removed when it stops; `removeLocalLink` is also what `tug down` calls after a crash.
// Kernels without the dummy driver (some VM kernels) get the address on `lo` instead.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isIPv6 } from 'node:net';

const exec = promisify(execFile);

export const DEFAULT_LOCAL_LINK = 'tug-dns0';
/** The link-local address NodeLocal DNSCache uses; never handed out by any allocator. */
export const DEFAULT_NODE_LOCAL_DNS = '169.254.20.10';

export interface LocalLinkOptions {
  link: string;
  addresses: string[];
  /** Work in this network namespace (`ip -n`) instead of the current one. */
  netns?: string;
}

async function ip(args: string[], netns: string | undefined): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const r = await exec('ip', [...(netns ? ['-n', netns] : []), ...args]);
    return { ok: true, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

async function must(args: string[], netns: string | undefined): Promise<void> {
  const r = await ip(args, netns);
  if (!r.ok) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
}

const addrArgs = (a: string, dev: string): string[] => {
  const v6 = isIPv6(a);
  return [`${a}/${v6 ? 128 : 32}`, 'dev', dev, ...(v6 ? ['nodad'] : [])];
};

/**
 * Creates the dummy link if missing, brings it up and puts the addresses on it (idempotent).
 * Kernels built without the dummy driver get the addresses on `lo` instead, which delivers them
 * locally just the same. Returns the device that holds them.
 */
export async function ensureLocalLink(o: LocalLinkOptions): Promise<string> {
  let dev = o.link;
  if (!(await ip(['link', 'show', 'dev', o.link], o.netns)).ok) {
    const add = await ip(['link', 'add', o.link, 'type', 'dummy'], o.netns);
    if (!add.ok && /unknown device type|not supported/i.test(add.stderr)) dev = 'lo';
    else if (!add.ok) throw new Error(`ip link add ${o.link} type dummy: ${add.stderr.trim()}`);
  }
  await must(['link', 'set', dev, 'up'], o.netns);
  for (const a of o.addresses) await must(['addr', 'replace', ...addrArgs(a, dev)], o.netns);
  return dev;
}

/** Deletes the link, or the addresses from `lo` where they fell back to; true when something was there. */
export async function removeLocalLink(o: LocalLinkOptions): Promise<boolean> {
  if ((await ip(['link', 'show', 'dev', o.link], o.netns)).ok) {
    await must(['link', 'delete', o.link], o.netns);
    return true;
  }
  let removed = false;
  for (const a of o.addresses) removed = (await ip(['addr', 'del', ...addrArgs(a, 'lo').slice(0, 3)], o.netns)).ok || removed;
  return removed;
}
