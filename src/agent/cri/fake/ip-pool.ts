// Hands out pod IPs from an IPv4 CIDR for the fake runtime, as host-local IPAM does on a real
// node: the network address, the first host address (the bridge gateway) and the broadcast
// address are never given out, and released addresses are reused lowest first.

const toInt = (ip: string): number => ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
const toIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export class IpPool {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();

  constructor(readonly cidr: string) {
    const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
    const bits = m ? Number(m[2]) : Number.NaN;
    if (!m || bits < 8 || bits > 30 || m[1]?.split('.').some((p) => Number(p) > 255)) throw new Error(`invalid IPv4 pod CIDR "${cidr}"`);
    this.size = 2 ** (32 - bits);
    this.base = Math.floor(toInt(m[1] ?? '') / this.size) * this.size;
  }

  /** The lowest free address; throws when the range is full. */
  allocate(): string {
    for (let i = 2; i < this.size - 1; i++) {
      if (!this.used.has(i)) {
        this.used.add(i);
        return toIp(this.base + i);
      }
    }
    throw new Error(`no free pod IP in ${this.cidr}`);
  }

  release(ip: string): void {
    const offset = toInt(ip) - this.base;
    if (offset >= 0 && offset < this.size) this.used.delete(offset);
  }

  contains(ip: string): boolean {
    const offset = toInt(ip) - this.base;
    return offset >= 0 && offset < this.size;
  }
}
