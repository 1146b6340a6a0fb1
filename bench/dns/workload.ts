// The records both servers answer in the DNS benchmark: ClusterIP Services (A, SRV, PTR),
// headless Services with three named endpoints each (A with three addresses, and per-endpoint
// names), and search-path misses that must be NXDOMAIN. They are created in a real tug server for
// our server, and written as a hosts file plus `--srv-host` options for dnsmasq, so both serve
// the same answers. The query mix is what a pod's resolver sends most: Service lookups and the
// NXDOMAINs its search path causes.
import { writeFile } from 'node:fs/promises';
import * as dnsPacket from 'dns-packet';
import type { HttpClient } from '../../src/client/index.js';
import { namespaceKind, serviceKind, type Service } from '../../src/api/core/v1/index.js';
import { endpointSliceKind } from '../../src/api/discovery/v1/index.js';

export const NS = 'bench';
const ZONE = 'cluster.local';

export interface Expectation {
  rcode: number;
  /** Minimum answer count. */
  answers: number;
}

export interface Workload {
  /** Encoded queries (ID 0), in a shuffled mix. */
  queries: Buffer[];
  expect: Expectation[];
  /** One line per distinct query, for the report. */
  mix: Record<string, number>;
  hosts: string;
  srvHosts: string[];
  /** A name that exists only once everything is created (to wait for the server to catch up). */
  lastName: string;
}

const svcName = (i: number): string => `svc-${i}.${NS}.svc.${ZONE}`;
const headlessName = (j: number): string => `hl-${j}.${NS}.svc.${ZONE}`;
const podIP = (j: number, k: number): string => `10.245.${j >> 8}.${((j & 255) * 3 + k) & 255}`;

export async function createObjects(client: HttpClient, o: { services: number; headless: number }): Promise<Map<number, string>> {
  await client.create(namespaceKind, undefined, { metadata: { name: NS } });
  const ips = new Map<number, string>();
  for (let i = 0; i < o.services; i++) {
    const s = await client.create<Service>(serviceKind, NS, { metadata: { name: `svc-${i}`, namespace: NS }, spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    ips.set(i, s.spec?.clusterIP ?? '');
  }
  for (let j = 0; j < o.headless; j++) {
    await client.create(serviceKind, NS, { metadata: { name: `hl-${j}`, namespace: NS }, spec: { clusterIP: 'None', ports: [{ name: 'peer', port: 7000, protocol: 'TCP' }] } });
    await client.create(endpointSliceKind, NS, {
      metadata: { name: `hl-${j}-1`, namespace: NS, labels: { 'kubernetes.io/service-name': `hl-${j}` } },
      addressType: 'IPv4',
      endpoints: [0, 1, 2].map((k) => ({ addresses: [podIP(j, k)], hostname: `pod-${k}`, conditions: { ready: true } })),
      ports: [{ name: 'peer', port: 7000, protocol: 'TCP' }],
    });
  }
  return ips;
}

const encode = (name: string, type: dnsPacket.RecordType): Buffer => dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }] });

/** A deterministic shuffle, so every run sends the same sequence. */
function shuffle<T>(xs: T[]): T[] {
  let seed = 42;
  for (let i = xs.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}

export function buildWorkload(o: { clusterIPs: Map<number, string>; headless: number }): Workload {
  const items: { q: Buffer; e: Expectation; kind: string }[] = [];
  const add = (kind: string, name: string, type: dnsPacket.RecordType, e: Expectation, times = 1): void => {
    const q = encode(name, type);
    for (let t = 0; t < times; t++) items.push({ q, e, kind });
  };
  const hosts: string[] = [];
  const srvHosts: string[] = [];
  for (const [i, ip] of o.clusterIPs) {
    hosts.push(`${ip} ${svcName(i)}`);
    srvHosts.push(`_http._tcp.${svcName(i)},${svcName(i)},80`);
    add('A ClusterIP Service', svcName(i), 'A', { rcode: 0, answers: 1 }, 5);
    add('SRV named port', `_http._tcp.${svcName(i)}`, 'SRV', { rcode: 0, answers: 1 });
    add('PTR cluster IP', `${ip.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR', { rcode: 0, answers: 1 });
    add('NXDOMAIN search-path miss', `svc-${i}.${NS}.svc.${ZONE}.${NS}.svc.${ZONE}`, 'A', { rcode: 3, answers: 0 });
    add('NXDOMAIN search-path miss', `example-${i}.com.svc.${ZONE}`, 'A', { rcode: 3, answers: 0 });
  }
  for (let j = 0; j < o.headless; j++) {
    for (const k of [0, 1, 2]) {
      hosts.push(`${podIP(j, k)} ${headlessName(j)}`);
      hosts.push(`${podIP(j, k)} pod-${k}.${headlessName(j)}`);
    }
    add('A headless (3 IPs)', headlessName(j), 'A', { rcode: 0, answers: 3 }, 5);
    add('A StatefulSet pod name', `pod-${j % 3}.${headlessName(j)}`, 'A', { rcode: 0, answers: 1 }, 5);
  }
  const mix: Record<string, number> = {};
  for (const it of items) mix[it.kind] = (mix[it.kind] ?? 0) + 1;
  const shuffled = shuffle(items);
  const last = o.headless > 0 ? `pod-2.${headlessName(o.headless - 1)}` : svcName(o.clusterIPs.size - 1);
  return { queries: shuffled.map((x) => x.q), expect: shuffled.map((x) => x.e), mix, hosts: `${hosts.join('\n')}\n`, srvHosts, lastName: last };
}

export async function writeHosts(path: string, w: Workload): Promise<void> {
  await writeFile(path, w.hosts);
}
