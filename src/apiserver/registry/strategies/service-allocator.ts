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
  /** Forgets that these were handed out moments ago (a Service gave them up); the cache decides again. */
  release(o: { ips: string[]; ports: number[] }): void;
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
  // A value handed out moments ago counts as taken until the cache shows a Service holding it;
  // from then on the cache alone decides, so a value a Service gives up is free at once.
  const taken = <K>(recent: Map<K, number>, held: Set<K>): Set<K> => {
    const now = Date.now();
    for (const [k, t] of recent) if (now - t > RECENT_MS || held.has(k)) recent.delete(k);
    return new Set([...held, ...recent.keys()]);
  };
  const usedIPs = (): Set<string> => {
    const held = new Set<string>();
    for (const svc of deps.services()) {
      const ip = (svc.spec as { clusterIP?: string } | undefined)?.clusterIP;
      if (ip) held.add(ip);
    }
    return taken(recentIPs, held);
  };
  const usedPorts = (): Set<number> => {
    const held = new Set<number>();
    for (const svc of deps.services())
      for (const p of (svc.spec as { ports?: { nodePort?: number }[] } | undefined)?.ports ?? []) if (p.nodePort) held.add(p.nodePort);
    return taken(recentPorts, held);
  };
  return {
    release(o) {
      for (const ip of o.ips) recentIPs.delete(ip);
      for (const port of o.ports) recentPorts.delete(port);
    },
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
