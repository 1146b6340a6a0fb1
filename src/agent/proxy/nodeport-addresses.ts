// Which of the node's addresses serve NodePorts, as kube-proxy's `--nodeport-addresses`: by
// default the node's own IP(s), or every local IPv4 address inside the CIDRs the operator lists
// (`0.0.0.0/0` meaning every local address, loopback excepted, whatever it is later). Pure: the
// caller passes the interfaces it sees, so the choice can be tested and logged.
import { isIPv4 } from 'node:net';
import { parseIPv4Cidr, type Ipv4Cidr } from '../network/index.js';

export interface LocalAddress {
  address: string;
  family: string;
  internal: boolean;
}

/** Every local address, as `nodeIps: []` tells the ServiceProxy. */
export const EVERY_LOCAL_ADDRESS: readonly string[] = [];

const toNumber = (ip: string): number | undefined => (isIPv4(ip) ? ip.split('.').reduce((n, p) => ((n << 8) | Number(p)) >>> 0, 0) : undefined);

const inCidr = (c: Ipv4Cidr, ip: number): boolean => c.prefix === 0 || ip >>> (32 - c.prefix) === c.base >>> (32 - c.prefix);

/** Parses `--nodeport-addresses` (comma-separated IPv4 CIDRs); throws on anything else. */
export function parseNodePortCidrs(value: string): string[] {
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new Error('--nodeport-addresses needs at least one CIDR');
  for (const p of parts) if (!parseIPv4Cidr(p)) throw new Error(`--nodeport-addresses: ${JSON.stringify(p)} is not an IPv4 CIDR such as 192.168.1.0/24`);
  return parts;
}

/**
 * The addresses to pass as the proxy's `nodeIps`: `nodeIPs` when no CIDRs are given, else the
 * non-loopback local IPv4 addresses inside them ([] = every local address for `0.0.0.0/0`).
 * `unmatched` is true when CIDRs were given but no address matched (the node IPs are used then).
 */
export function nodePortAddresses(o: { cidrs?: readonly string[]; nodeIPs: readonly string[]; interfaces: readonly LocalAddress[] }): { addresses: string[]; unmatched: boolean } {
  const own = o.nodeIPs.filter((ip) => isIPv4(ip));
  if (!o.cidrs || o.cidrs.length === 0) return { addresses: [...own], unmatched: false };
  const cidrs = o.cidrs.map((c) => parseIPv4Cidr(c)).filter((c): c is Ipv4Cidr => c !== undefined);
  if (cidrs.some((c) => c.prefix === 0)) return { addresses: [...EVERY_LOCAL_ADDRESS], unmatched: false };
  const found = new Set<string>();
  for (const a of o.interfaces) {
    const ip = a.family === 'IPv4' && !a.internal ? toNumber(a.address) : undefined;
    if (ip !== undefined && (ip >>> 24) !== 127 && cidrs.some((c) => inCidr(c, ip))) found.add(a.address);
  }
  return found.size > 0 ? { addresses: [...found].sort(), unmatched: false } : { addresses: [...own], unmatched: true };
}
