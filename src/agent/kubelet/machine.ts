// What a real node reports about its machine, read the way Kubernetes' kubelet reads it (cAdvisor
// aside): CPUs, memory from /proc/meminfo, ephemeral storage from statfs of the agent's data
// directory, 110 pods; allocatable keeps back the memory and disk that Kubernetes' default hard
// eviction thresholds protect (100Mi of memory, 10 % of the disk); the InternalIP is the address
// of the interface carrying the default route unless --node-ip says otherwise; and nodeInfo comes
// from /etc/machine-id, the DMI product UUID, the boot id and /etc/os-release.
import { readFileSync, statfsSync } from 'node:fs';
import { availableParallelism, networkInterfaces, release } from 'node:os';
import { formatQuantity } from '../../lib/quantity.js';
import type { NodeSettings } from './options.js';

const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;
const EVICTION_DISK_FRACTION = 0.1;
const MAX_PODS = 110;

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** MemTotal in bytes. */
export function memoryBytes(meminfo = read('/proc/meminfo') ?? ''): number {
  const m = /^MemTotal:\s+(\d+)\s*kB/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : 0;
}

/** The interface of the default route in /proc/net/route (destination 00000000). */
export function defaultRouteInterface(routes = read('/proc/net/route') ?? ''): string | undefined {
  for (const line of routes.split('\n').slice(1)) {
    const [iface, dest] = line.trim().split(/\s+/);
    if (iface && dest === '00000000') return iface;
  }
  return undefined;
}

/** The node's primary IPv4 address: the default route's interface, else the first non-loopback one. */
export function primaryIP(): string {
  const ifaces = networkInterfaces();
  const preferred = defaultRouteInterface();
  const v4 = (name: string): string | undefined => ifaces[name]?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
  if (preferred) {
    const ip = v4(preferred);
    if (ip) return ip;
  }
  for (const name of Object.keys(ifaces)) {
    const ip = v4(name);
    if (ip) return ip;
  }
  return '127.0.0.1';
}

export function osImage(osRelease = read('/etc/os-release') ?? ''): string {
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? 'Linux';
}

/** Bytes of the filesystem holding `dir`. */
function diskBytes(dir: string): number {
  try {
    const s = statfsSync(dir);
    return s.blocks * s.bsize;
  } catch {
    return 0;
  }
}

const bin = (bytes: number): string => formatQuantity(bytes >= 1024 ? Math.floor(bytes / 1024) * 1024 : bytes, { format: 'BinarySI' });

/** A real node's settings from this machine; `dataDir` is where pods' data will live. */
export function machineNodeSettings(o: { dataDir: string; nodeIP?: string; labels?: Record<string, string> }): NodeSettings {
  const mem = memoryBytes();
  const disk = diskBytes(o.dataDir);
  const capacity: Record<string, string> = {
    cpu: String(availableParallelism()),
    'ephemeral-storage': bin(disk),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: bin(mem),
    pods: String(MAX_PODS),
  };
  const allocatable: Record<string, string> = {
    ...capacity,
    'ephemeral-storage': String(Math.floor(disk * (1 - EVICTION_DISK_FRACTION))),
    memory: bin(Math.max(0, mem - EVICTION_MEMORY_BYTES)),
  };
  const machineID = read('/etc/machine-id') ?? read('/var/lib/dbus/machine-id');
  const systemUUID = read('/sys/class/dmi/id/product_uuid')?.toLowerCase();
  const bootID = read('/proc/sys/kernel/random/boot_id');
  return {
    internalIP: o.nodeIP ?? primaryIP(),
    capacity,
    allocatable,
    osImage: osImage(),
    kernelVersion: release(),
    ...(machineID ? { machineID } : {}),
    ...(systemUUID ? { systemUUID } : {}),
    ...(bootID ? { bootID } : {}),
    ...(o.labels ? { labels: o.labels } : {}),
  };
}
