// The endpoints of the `kubernetes` Service, as Kubernetes' lease endpoint reconciler keeps them:
// every API server advertises `address:port` by renewing a Lease of its own in kube-system
// (`tugboat-apiserver-<address>-<port>`, label `tugboat.dev/apiserver-endpoint`), and every ten
// seconds each server writes the live servers' addresses into Endpoints `default/kubernetes` and
// EndpointSlice `default/kubernetes`. Servers that stop renewing drop out once their lease
// expires. The Service has no selector and the slice carries no managed-by label, so neither the
// endpoints nor the EndpointSlice controller touches them (the Endpoints also say skip-mirror).
// All servers compute the same list from the same leases, so several servers never fight. A
// server advertising a loopback address (listening on 127.0.0.1 only) cannot be reached by pods
// and Endpoints refuse such addresses, so it takes no lease and is left out.
import { networkInterfaces } from 'node:os';
import { isIPv4 } from 'node:net';
import type { ApiObject } from '../../api/kind.js';
import { StatusError } from '../../lib/errors.js';
import type { Registry, Resource } from '../registry/registry.js';
import type { WriteContext } from '../registry/strategy.js';

export const ENDPOINT_LEASE_LABEL = 'tugboat.dev/apiserver-endpoint';
const LEASE_SECONDS = 30;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';

/**
 * The address other machines and pods reach this server on: the listen host when it is one IPv4
 * address, else the first non-loopback IPv4 address, else 127.0.0.1 (as kube-apiserver's default).
 */
export function defaultAdvertiseAddress(listenHost: string): string {
  if (isIPv4(listenHost) && listenHost !== '0.0.0.0') return listenHost;
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

interface Advertised {
  ip: string;
  port: number;
}

interface LeaseObj extends ApiObject {
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string };
}

/**
 * Which servers the endpoints list: the live leases' addresses sharing one port (an Endpoints
 * port is one number) — the port most servers use, the lowest on a tie — sorted. Pure.
 */
export function liveEndpoints(leases: readonly LeaseObj[], now: number): Advertised[] {
  const live: Advertised[] = [];
  for (const l of leases) {
    const renewed = Date.parse(l.spec?.renewTime ?? '');
    if (!(renewed + (l.spec?.leaseDurationSeconds ?? LEASE_SECONDS) * 1000 > now)) continue;
    const m = /^(.+):(\d+)$/.exec(l.spec?.holderIdentity ?? '');
    if (m?.[1] && isIPv4(m[1])) live.push({ ip: m[1], port: Number(m[2]) });
  }
  const count = new Map<number, number>();
  for (const a of live) count.set(a.port, (count.get(a.port) ?? 0) + 1);
  const port = [...count].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  const ips = [...new Set(live.filter((a) => a.port === port).map((a) => a.ip))].sort();
  return ips.map((ip) => ({ ip, port: port ?? 0 }));
}

const ctx = (): WriteContext => ({ now: new Date(), user: undefined, dryRun: false, warnings: [] });
const notFound = (e: unknown): boolean => e instanceof StatusError && e.reason === 'NotFound';
const benign = (e: unknown): boolean => e instanceof StatusError && (e.reason === 'Conflict' || e.reason === 'AlreadyExists' || e.reason === 'NotFound');

/** Creates or replaces one object when `same` says the stored one differs; races retry next tick. */
async function put(r: Resource, o: { namespace: string; name: string; body: ApiObject; same(current: ApiObject): boolean }): Promise<void> {
  const current = await r.reader.get(o.namespace, o.name).catch((e: unknown) => {
    if (notFound(e)) return undefined;
    throw e;
  });
  const write = current
    ? o.same(current)
      ? undefined
      : r.store.update(o.namespace, o.name, { ...o.body, metadata: { ...o.body.metadata, resourceVersion: current.metadata?.resourceVersion } }, ctx(), { fieldValidation: 'Strict' })
    : r.store.create(o.namespace, o.body, ctx(), { fieldValidation: 'Strict' });
  await write?.catch((e: unknown) => {
    if (!benign(e)) throw e;
  });
}

export class KubernetesEndpointsReconciler {
  private readonly leases: Resource;
  private readonly endpoints: Resource;
  private readonly slices: Resource;
  private readonly leaseName: string;

  constructor(
    private readonly registry: Registry,
    private readonly self: Advertised,
  ) {
    this.leases = registry.byGroupKind('coordination.k8s.io', 'Lease');
    this.endpoints = registry.byGroupKind('', 'Endpoints');
    this.slices = registry.byGroupKind('discovery.k8s.io', 'EndpointSlice');
    if (!isIPv4(self.ip)) throw new Error(`the advertise address must be an IPv4 address, got ${JSON.stringify(self.ip)}`);
    this.leaseName = `tugboat-apiserver-${self.ip}-${self.port}`;
  }

  /** Renews this server's lease, then writes the endpoints of every live server. Idempotent. */
  async sync(now = new Date()): Promise<void> {
    const identity = `${this.self.ip}:${this.self.port}`;
    const reachable = !this.self.ip.startsWith('127.');
    if (reachable) await put(this.leases, {
      namespace: 'kube-system',
      name: this.leaseName,
      body: {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.leaseName, namespace: 'kube-system', labels: { [ENDPOINT_LEASE_LABEL]: 'true' } },
        spec: { holderIdentity: identity, leaseDurationSeconds: LEASE_SECONDS, renewTime: now.toISOString().replace('Z', '000Z') },
      },
      same: () => false,
    });
    const all = this.registry.listCached('coordination.k8s.io', 'Lease') as LeaseObj[];
    const ours = all.filter((l) => l.metadata?.namespace === 'kube-system' && l.metadata.labels?.[ENDPOINT_LEASE_LABEL] !== undefined);
    // The cache may not show our own renewal yet; we are alive whatever it says.
    const others = ours.filter((l) => l.metadata?.name !== this.leaseName);
    const withSelf = reachable ? [...others, { metadata: {}, spec: { holderIdentity: identity, renewTime: now.toISOString() } }] : others;
    const live = liveEndpoints(withSelf, now.getTime());
    await this.writeEndpoints(live);
    // Leases of servers gone for good (ten lease periods) are removed.
    for (const l of ours) {
      const renewed = Date.parse(l.spec?.renewTime ?? '');
      if (l.metadata?.name === this.leaseName || renewed + LEASE_SECONDS * 10_000 > now.getTime()) continue;
      await this.leases.store
        .delete('kube-system', l.metadata?.name ?? '', { preconditions: { uid: l.metadata?.uid ?? '' } }, ctx())
        .catch((e: unknown) => {
          if (!benign(e)) throw e;
        });
    }
  }

  private async writeEndpoints(live: Advertised[]): Promise<void> {
    const port = { name: 'https', port: live[0]?.port ?? this.self.port, protocol: 'TCP' };
    const subsets = live.length > 0 ? [{ addresses: live.map((a) => ({ ip: a.ip })), ports: [port] }] : [];
    const epLabels = { [SKIP_MIRROR_LABEL]: 'true' };
    await put(this.endpoints, {
      namespace: 'default',
      name: 'kubernetes',
      body: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default', labels: epLabels }, subsets } as ApiObject,
      same: (c) => JSON.stringify((c as { subsets?: unknown }).subsets ?? []) === JSON.stringify(subsets) && JSON.stringify(c.metadata?.labels ?? {}) === JSON.stringify(epLabels),
    });
    const endpoints = live.map((a) => ({ addresses: [a.ip], conditions: { ready: true } }));
    const sliceLabels = { [SERVICE_NAME_LABEL]: 'kubernetes' };
    const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubernetes', namespace: 'default', labels: sliceLabels }, addressType: 'IPv4', endpoints, ports: [port] };
    await put(this.slices, {
      namespace: 'default',
      name: 'kubernetes',
      body: slice as ApiObject,
      same: (c) => {
        const s = c as typeof slice;
        return JSON.stringify([s.endpoints ?? [], s.ports ?? [], s.metadata.labels ?? {}]) === JSON.stringify([endpoints, [port], sliceLabels]);
      },
    });
  }

  /**
   * Syncs now and then every `intervalMs` until the signal aborts; resolves after the first sync.
   * Errors go to `onError` (the API keeps serving; the next tick retries).
   */
  async start(signal: AbortSignal, o: { intervalMs: number; onError(err: unknown): void }): Promise<void> {
    const timer = setInterval(() => this.sync().catch(o.onError), o.intervalMs);
    timer.unref();
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    await this.sync().catch(o.onError);
  }
}
