// Hands out Service cluster IPs (from the service CIDR, the first address kept for the
// `kubernetes` Service) and NodePorts (30000-32767). What is taken is read from the watch cache
// of Services plus what this process handed out moments ago and storage may not show yet.
import type { ApiObject } from '../../../api/kind.js';

export interface ServiceAllocator {
  allocateIP(): string;
  /** Reserves a user-chosen IP; returns why it cannot be had, or undefined. */
  reserveIP(ip: string): string | undefined;
  allocatePort(): number;
  reservePort(port: number): string | undefined;
}

export interface AllocatorDeps {
  /** Every stored Service. */
  services(): ApiObject[];
  /** Service CIDR, e.g. 10.43.0.0/16. */
  cidr: string;
}

const PORT_MIN = 30000;
const PORT_MAX = 32767;
const RECENT_MS = 60_000;

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function parseCidr(cidr: string): { base: number; size: number } {
  const [addr, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (!addr || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`invalid service CIDR ${cidr}`);
  const size = 2 ** (32 - prefix);
  return { base: Math.floor(ipToInt(addr) / size) * size, size };
}

/** The address of the `kubernetes` Service: the first in the range. */
export const firstServiceIP = (cidr: string): string => intToIp(parseCidr(cidr).base + 1);

export function newServiceAllocator(deps: AllocatorDeps): ServiceAllocator {
  const { base, size } = parseCidr(deps.cidr);
  const recentIPs = new Map<string, number>();
  const recentPorts = new Map<number, number>();
  const fresh = <K>(m: Map<K, number>): Set<K> => {
    const now = Date.now();
    for (const [k, t] of m) if (now - t > RECENT_MS) m.delete(k);
    return new Set(m.keys());
  };
  const usedIPs = (): Set<string> => {
    const s = fresh(recentIPs);
    for (const svc of deps.services()) {
      const ip = (svc.spec as { clusterIP?: string } | undefined)?.clusterIP;
      if (ip) s.add(ip);
    }
    return s;
  };
  const usedPorts = (): Set<number> => {
    const s = fresh(recentPorts);
    for (const svc of deps.services())
      for (const p of (svc.spec as { ports?: { nodePort?: number }[] } | undefined)?.ports ?? []) if (p.nodePort) s.add(p.nodePort);
    return s;
  };
  return {
    allocateIP() {
      const used = usedIPs();
      // Random start, then linear probe: spreads addresses like Kubernetes without scanning all.
      const start = 2 + Math.floor(Math.random() * (size - 3));
      for (let i = 0; i < size - 3; i++) {
        const ip = intToIp(base + 2 + ((start - 2 + i) % (size - 3)));
        if (!used.has(ip)) {
          recentIPs.set(ip, Date.now());
          return ip;
        }
      }
      throw new Error('service IP range is full');
    },
    reserveIP(ip) {
      const n = ipToInt(ip);
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || n <= base || n >= base + size - 1) return `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${deps.cidr}`;
      if (usedIPs().has(ip)) return 'provided IP is already allocated';
      recentIPs.set(ip, Date.now());
      return undefined;
    },
    allocatePort() {
      const used = usedPorts();
      const span = PORT_MAX - PORT_MIN + 1;
      const start = Math.floor(Math.random() * span);
      for (let i = 0; i < span; i++) {
        const p = PORT_MIN + ((start + i) % span);
        if (!used.has(p)) {
          recentPorts.set(p, Date.now());
          return p;
        }
      }
      throw new Error('node port range is full');
    },
    reservePort(port) {
      if (port < PORT_MIN || port > PORT_MAX) return `provided port is not in the valid range. The range of valid ports is ${PORT_MIN}-${PORT_MAX}`;
      if (usedPorts().has(port)) return 'provided port is already allocated';
      recentPorts.set(port, Date.now());
      return undefined;
    },
  };
}
