// Name and address helpers of the cluster DNS: the dashed form of an IP used in pod and endpoint
// names (`10-244-1-5`, `fd00--5`), reverse-lookup names (in-addr.arpa / ip6.arpa) in both
// directions, and a canonical key per address so that `fd00::5` and `fd00:0::5` in different
// objects (or in a query) meet in the same map entry.
import { isIPv4, isIPv6 } from 'node:net';

/** Lower-cased, without the trailing dot: the form every name is kept and looked up in. */
export const normalizeName = (name: string): string => (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();

/** Eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function ipv6Groups(ip: string): number[] | undefined {
  if (!isIPv6(ip)) return undefined;
  let s = ip;
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) becomes its two hex groups.
  const cut = s.lastIndexOf(':');
  if (s.includes('.', cut)) {
    const o = s.slice(cut + 1).split('.').map(Number);
    s = `${s.slice(0, cut + 1)}${(((o[0] ?? 0) << 8) | (o[1] ?? 0)).toString(16)}:${(((o[2] ?? 0) << 8) | (o[3] ?? 0)).toString(16)}`;
  }
  const [head = '', rest] = s.split('::');
  const parse = (part: string): number[] => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (rest === undefined && missing !== 0)) return undefined;
  return [...left, ...Array<number>(missing).fill(0), ...right];
}

/** A canonical key per address: IPv4 as written, IPv6 as 32 lower-case hex digits. */
export function ipKey(ip: string): string | undefined {
  if (isIPv4(ip)) return ip;
  const g = ipv6Groups(ip);
  return g ? g.map((x) => x.toString(16).padStart(4, '0')).join('') : undefined;
}

/** The address as bytes for A (4) and AAAA (16) record data. */
export function ipBytes(ip: string): Buffer | undefined {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  const g = ipv6Groups(ip);
  if (!g) return undefined;
  const b = Buffer.alloc(16);
  g.forEach((x, i) => b.writeUInt16BE(x, i * 2));
  return b;
}

export const ipFamilyOf = (ip: string): 4 | 6 | undefined => (isIPv4(ip) ? 4 : isIPv6(ip) ? 6 : undefined);

/** `10.244.1.5` → `10-244-1-5`, `fd00::5` → `fd00--5`: the label CoreDNS and kube-dns use. */
export const dashedIP = (ip: string): string => ip.replace(/[.:]/g, '-').toLowerCase();

/** The reverse of dashedIP, or undefined when the label is no address. */
export function undashIP(label: string): string | undefined {
  const v4 = label.replace(/-/g, '.');
  if (isIPv4(v4)) return v4;
  const v6 = label.replace(/-/g, ':');
  return isIPv6(v6) ? v6 : undefined;
}

/** `1.2.3.4` → `4.3.2.1.in-addr.arpa`; IPv6 as 32 reversed nibbles under ip6.arpa. */
export function reverseName(ip: string): string | undefined {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const key = ipKey(ip);
  return key ? `${[...key].reverse().join('.')}.ip6.arpa` : undefined;
}

/**
 * The address key a reverse-lookup name stands for (see ipKey), or undefined when the name is not
 * a complete address under in-addr.arpa / ip6.arpa (a partial one is a zone, not an address).
 */
export function reverseToKey(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
    return parts.reverse().join('.');
  }
  if (name.endsWith('.ip6.arpa')) {
    const parts = name.slice(0, -'.ip6.arpa'.length).split('.');
    if (parts.length !== 32 || !parts.every((p) => /^[0-9a-f]$/.test(p))) return undefined;
    return parts.reverse().join('');
  }
  return undefined;
}

export const isReverseName = (name: string): boolean => name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa') || name === 'in-addr.arpa' || name === 'ip6.arpa';
