// Where names outside the cluster go: the upstreams given as an option, or else the nameservers
// of the host's resolv.conf. The server's own listen addresses are left out, so an agent whose
// host resolv.conf already points at the node-local address does not forward to itself.
import { readFile } from 'node:fs/promises';
import { ipKey } from './names.js';
import { parseHostPort, type Upstream } from './forwarder.js';

export const DEFAULT_RESOLV_CONF = '/etc/resolv.conf';

/** `nameserver` addresses of resolv.conf text, in order (zone ids such as `%eth0` dropped). */
export function resolvConfServers(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const [key, value] = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (key === 'nameserver' && value) out.push(value.replace(/%.*$/, ''));
  }
  return out;
}

const same = (a: Upstream, b: Upstream): boolean => a.port === b.port && (ipKey(a.host) ?? a.host) === (ipKey(b.host) ?? b.host);

/** The upstreams to forward to: explicit ones, or resolv.conf's; never one of `own`. */
export async function resolveUpstreams(o: { upstreams?: string[]; resolvConf?: string; own: Upstream[] }): Promise<Upstream[]> {
  let list: string[];
  if (o.upstreams && o.upstreams.length > 0) list = o.upstreams;
  else {
    try {
      list = resolvConfServers(await readFile(o.resolvConf ?? DEFAULT_RESOLV_CONF, 'utf8'));
    } catch {
      list = [];
    }
  }
  const ownWildcard = (u: Upstream): boolean => o.own.some((a) => a.port === u.port && (a.host === '0.0.0.0' || a.host === '::'));
  return list.map((s) => parseHostPort(s)).filter((u) => !o.own.some((a) => same(a, u)) && !ownWildcard(u));
}
