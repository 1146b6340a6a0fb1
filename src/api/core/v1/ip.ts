// IP address and CIDR checks for Service cluster IPs, external IPs, endpoint addresses and node
// pod CIDRs. Kubernetes rejects leading zeros and zone suffixes, so `net.isIP` alone is looser
// than we need; these helpers add those rules and say which family a value belongs to.
import { isIP } from 'node:net';

export type IPFamily = 'IPv4' | 'IPv6';

/** The family of a plain IP address (no zone, no leading zeros in IPv4), or undefined. */
export function ipFamily(s: string): IPFamily | undefined {
  if (s.includes('%')) return undefined;
  const v = isIP(s);
  if (v === 4) return s.split('.').some((o) => o.length > 1 && o.startsWith('0')) ? undefined : 'IPv4';
  if (v === 6) return 'IPv6';
  return undefined;
}

export const isValidIP = (s: string): boolean => ipFamily(s) !== undefined;

/** The family of a CIDR such as 10.0.0.0/24 or fd00::/64, or undefined when it is not one. */
export function cidrFamily(s: string): IPFamily | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const family = ipFamily(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (!family || !/^\d{1,3}$/.test(bits)) return undefined;
  return Number(bits) <= (family === 'IPv4' ? 32 : 128) ? family : undefined;
}

export const isValidCIDR = (s: string): boolean => cidrFamily(s) !== undefined;

/** The eight 16-bit groups of an IPv6 address (embedded IPv4 tails included). */
function ipv6Groups(s: string): number[] {
  let text = s.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
}

/** Why an address can never be a service or endpoint target (unspecified, loopback, link-local), or undefined. */
export function specialIPReason(s: string): string | undefined {
  const family = ipFamily(s);
  let unspecified = false;
  let loopback = false;
  let linkLocal = false;
  let linkLocalMulticast = false;
  if (family === 'IPv4') {
    const [a, b, c] = s.split('.').map(Number) as [number, number, number, number];
    unspecified = s === '0.0.0.0';
    loopback = a === 127;
    linkLocal = a === 169 && b === 254;
    linkLocalMulticast = a === 224 && b === 0 && c === 0;
  } else if (family === 'IPv6') {
    const g = ipv6Groups(s);
    const first = g[0] ?? 0;
    unspecified = g.every((x) => x === 0);
    loopback = g.slice(0, 7).every((x) => x === 0) && g[7] === 1;
    linkLocal = (first & 0xffc0) === 0xfe80;
    linkLocalMulticast = (first & 0xff0f) === 0xff02;
  }
  if (unspecified) return 'may not be unspecified (0.0.0.0, ::)';
  if (loopback) return 'may not be in the loopback range (127.0.0.0/8, ::1/128)';
  if (linkLocal) return 'may not be in the link-local range (169.254.0.0/16, fe80::/10)';
  if (linkLocalMulticast) return 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)';
  return undefined;
}
