// IPv4 CIDR parsing for the node network. Every address that reaches a CNI config or an nft
// script passes through here first, so a malformed podCIDR from the API can never inject text
// into a ruleset; the canonical form (host bits cleared) is what we write.

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((n, p) => ((n << 8) | Number(p)) >>> 0, 0);
}

export const formatIPv4 = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

const maskOf = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** Parses `a.b.c.d/n`; undefined for anything else (including IPv6). Host bits are cleared. */
export function parseIPv4Cidr(s: string): Ipv4Cidr | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const ip = parseIPv4(m[1] ?? '');
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  return { base: (ip & maskOf(prefix)) >>> 0, prefix };
}

export const formatCidr = (c: Ipv4Cidr): string => `${formatIPv4(c.base)}/${c.prefix}`;

/** Parses or throws with the flag or field name in the message. */
export function requireIPv4Cidr(s: string, what: string): Ipv4Cidr {
  const c = parseIPv4Cidr(s);
  if (!c) throw new Error(`${what} must be an IPv4 CIDR such as 10.42.0.0/16, got ${JSON.stringify(s)}`);
  return c;
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && ((inner.base & maskOf(outer.prefix)) >>> 0) === outer.base;
}

/** The first usable address: the bridge's gateway address under host-local IPAM. */
export const gatewayOf = (c: Ipv4Cidr): string => formatIPv4((c.base + 1) >>> 0);
