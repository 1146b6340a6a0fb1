// The node-local address the cluster DNS listens on, as NodeLocal DNSCache does it: a dummy link
// (default `tug-dns0`) holding the address as a /32 (/128), so pods reach it through their default
// route to the node and no Service, proxy rule or allocator is involved. Created when the server
// starts, removed when it stops; `removeLocalLink` is also what `tug down` calls after a crash.
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

/** Creates the dummy link if missing, brings it up and puts the addresses on it (idempotent). */
export async function ensureLocalLink(o: LocalLinkOptions): Promise<void> {
  const exists = await ip(['link', 'show', 'dev', o.link], o.netns);
  if (!exists.ok) await must(['link', 'add', o.link, 'type', 'dummy'], o.netns);
  await must(['link', 'set', o.link, 'up'], o.netns);
  for (const a of o.addresses) {
    const v6 = isIPv6(a);
    await must(['addr', 'replace', `${a}/${v6 ? 128 : 32}`, 'dev', o.link, ...(v6 ? ['nodad'] : [])], o.netns);
  }
}

/** Deletes the link (and with it its addresses); true when it was there. */
export async function removeLocalLink(o: { link: string; netns?: string }): Promise<boolean> {
  const exists = await ip(['link', 'show', 'dev', o.link], o.netns);
  if (!exists.ok) return false;
  await must(['link', 'delete', o.link], o.netns);
  return true;
}
