// A cluster CIDR cut into equal node subnets (10.42.0.0/16 into /24s, 2001:db8::/56 into /64s)
// with a record of which are taken. Allocation continues after the last subnet handed out, as
// Kubernetes' range allocator does, so a subnet freed by a deleted node is not reused at once
// (routes to it may linger on other nodes for a while).
export type Family = 'IPv4' | 'IPv6';

export interface Cidr {
  family: Family;
  base: bigint;
  prefix: number;
}

const bits = (f: Family): number => (f === 'IPv4' ? 32 : 128);

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIPv6(s: string): bigint | undefined {
  let text = s;
  // An embedded IPv4 tail (::ffff:1.2.3.4) stands for the last two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = parseIPv4(v4[1] ?? '');
    if (n === undefined) return undefined;
    text = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  let all: string[];
  if (halves.length === 1) {
    if (head.length !== 8) return undefined;
    all = head;
  } else {
    if (head.length + rest.length > 7) return undefined;
    all = [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest];
  }
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

export function parseCidr(s: string): Cidr | undefined {
  const [addr = '', len = '', extra] = s.split('/');
  if (extra !== undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const family: Family = addr.includes(':') ? 'IPv6' : 'IPv4';
  const value = family === 'IPv4' ? parseIPv4(addr) : parseIPv6(addr);
  const prefix = Number(len);
  if (value === undefined || prefix > bits(family)) return undefined;
  const hostBits = BigInt(bits(family) - prefix);
  return { family, base: (value >> hostBits) << hostBits, prefix };
}

function formatIP(family: Family, v: bigint): string {
  if (family === 'IPv4') return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & 0xffffn));
  // Compress the longest run (of at least two) of zero groups, the first one on a tie.
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.len < 2) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

export const formatCidr = (c: Cidr): string => `${formatIP(c.family, c.base)}/${c.prefix}`;

/** Subnets of a cluster CIDR, at most 2^16 of them (as Kubernetes limits the mask difference). */
export class CidrSet {
  readonly family: Family;
  private readonly count: number;
  private readonly used: Uint8Array;
  private next = 0;
  private taken = 0;

  constructor(
    readonly cluster: Cidr,
    readonly subnetPrefix: number,
  ) {
    this.family = cluster.family;
    if (subnetPrefix < cluster.prefix || subnetPrefix > bits(this.family)) throw new Error(`node mask /${subnetPrefix} does not fit in ${formatCidr(cluster)}`);
    if (subnetPrefix - cluster.prefix > 16) throw new Error(`node mask /${subnetPrefix} cuts ${formatCidr(cluster)} into more than 65536 subnets`);
    this.count = 2 ** (subnetPrefix - cluster.prefix);
    this.used = new Uint8Array(this.count);
  }

  get free(): number {
    return this.count - this.taken;
  }

  private subnet(i: number): Cidr {
    return { family: this.family, base: this.cluster.base + (BigInt(i) << BigInt(bits(this.family) - this.subnetPrefix)), prefix: this.subnetPrefix };
  }

  /** Indexes of our subnets overlapping `c`. */
  private indexesOf(c: Cidr): number[] {
    if (c.family !== this.family) return [];
    const end = (x: Cidr): bigint => x.base + (1n << BigInt(bits(x.family) - x.prefix)) - 1n;
    const lo = c.base > this.cluster.base ? c.base : this.cluster.base;
    const hi = end(c) < end(this.cluster) ? end(c) : end(this.cluster);
    if (lo > hi) return [];
    const shift = BigInt(bits(this.family) - this.subnetPrefix);
    const first = Number((lo - this.cluster.base) >> shift);
    const last = Number((hi - this.cluster.base) >> shift);
    return Array.from({ length: last - first + 1 }, (_, k) => first + k);
  }

  allocate(): string | undefined {
    for (let k = 0; k < this.count; k++) {
      const i = (this.next + k) % this.count;
      if (this.used[i]) continue;
      this.used[i] = 1;
      this.taken += 1;
      this.next = (i + 1) % this.count;
      return formatCidr(this.subnet(i));
    }
    return undefined;
  }

  /** Marks the subnets a CIDR covers as taken; false when it lies outside the cluster CIDR. */
  occupy(cidr: string): boolean {
    const c = parseCidr(cidr);
    const idx = c ? this.indexesOf(c) : [];
    for (const i of idx) {
      if (!this.used[i]) this.taken += 1;
      this.used[i] = 1;
    }
    return idx.length > 0;
  }

  release(cidr: string): void {
    const c = parseCidr(cidr);
    for (const i of c ? this.indexesOf(c) : []) {
      if (this.used[i]) this.taken -= 1;
      this.used[i] = 0;
    }
  }
}
