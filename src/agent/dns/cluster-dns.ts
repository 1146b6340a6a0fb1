// The node-local cluster DNS server every agent runs: answers `cluster.local` (or the configured
// domain) from the informer caches of Services, EndpointSlices, Namespaces and Pods, and forwards
// every other name to the host's resolvers. Informer events update the name index (zone.ts) as
// they arrive, so queries never scan objects. The server binds UDP and TCP on each listen address
// at once, answers cluster names with SERVFAIL until the informers have listed (rather than with a
// wrong NXDOMAIN), and is `ready` once both are done.
import type { Client, InformerFactory, InformerHandlers } from '../../client/index.js';
import type { Namespace, Pod, Service } from '../../api/core/v1/index.js';
import { namespaceKind, podKind, serviceKind, endpointSliceKind } from '../../api/refs/index.js';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';
import type { ApiObject } from '../../api/kind.js';
import { ClusterZone } from './zone.js';
import { ZoneResolver } from './lookup.js';
import { Forwarder, parseHostPort } from './forwarder.js';
import { Responder } from './responder.js';
import { DnsListeners, formatHostPort, type ListenAddress } from './listeners.js';
import { resolveUpstreams } from './upstreams.js';
import { ensureLocalLink, removeLocalLink } from './local-link.js';

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
/** Record TTL in seconds, CoreDNS's kubernetes plugin default; also the SOA minimum. */
export const DEFAULT_TTL = 5;

export interface ClusterDnsOptions {
  client: Client;
  informers: InformerFactory;
  nodeName: string;
  log(msg: string): void;
  /** `host:port` / `[v6]:port` to serve on, e.g. `169.254.20.10:53`; port 0 picks a free one. */
  listenAddresses: string[];
  /** Default cluster.local. */
  clusterDomain?: string;
  /** Resolvers for other names (`ip` or `ip:port`); default: the nameservers of `resolvConf`. */
  upstreams?: string[];
  /** Default /etc/resolv.conf. */
  resolvConf?: string;
  ttl?: number;
  /** Answer `<dashed-ip>.<ns>.pod.<zone>` for existing pods (needs a watch on every pod); default true. */
  podRecords?: boolean;
  /** Put the listen addresses on this dummy link first (created, and removed on stop). */
  localLink?: string;
  /** Per-upstream timeout before trying the next one; default 2000 ms. */
  forwardTimeoutMs?: number;
}

const isWildcardOrLoopback = (host: string): boolean => host === '0.0.0.0' || host === '::' || host.startsWith('127.') || host === '::1';

function handlers<T extends ApiObject>(upsert: (o: T) => void, remove: (o: T) => void): InformerHandlers<T> {
  return {
    onAdd: upsert,
    // A resync re-delivers the same object; skipping it keeps the reply cache warm.
    onUpdate: (oldObj, newObj) => {
      if (oldObj !== newObj) upsert(newObj);
    },
    onDelete: remove,
  };
}

export class ClusterDns {
  readonly ready: Promise<void>;
  readonly zone: ClusterZone;
  private readonly listen: ListenAddress[];
  private readonly synced: Promise<unknown>;
  private isSynced = false;
  private listeners: DnsListeners | undefined;
  private markReady!: () => void;
  private failReady!: (err: unknown) => void;

  constructor(private readonly o: ClusterDnsOptions) {
    this.listen = o.listenAddresses.map((a) => parseHostPort(a));
    if (this.listen.length === 0) throw new Error('dns: no listen address');
    for (const a of this.listen) if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new Error(`dns: bad listen address ${formatHostPort(a)}`);
    const podRecords = o.podRecords !== false;
    const nsAddresses = this.listen.map((a) => a.host).filter((h) => h !== '0.0.0.0' && h !== '::');
    this.zone = new ClusterZone({ domain: o.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN, nsAddresses, podRecords });
    const z = this.zone;
    const services = o.informers.for<Service & ApiObject>(serviceKind);
    const slices = o.informers.for<EndpointSlice & ApiObject>(endpointSliceKind);
    const namespaces = o.informers.for<Namespace & ApiObject>(namespaceKind);
    services.addHandlers(handlers((s) => z.upsertService(s), (s) => z.deleteService(s)));
    slices.addHandlers(handlers((s) => z.upsertSlice(s), (s) => z.deleteSlice(s)));
    namespaces.addHandlers(handlers((n) => z.upsertNamespace(n), (n) => z.deleteNamespace(n)));
    const waits: Promise<void>[] = [services.synced, slices.synced, namespaces.synced];
    if (podRecords) {
      const pods = o.informers.for<Pod & ApiObject>(podKind);
      pods.addHandlers(handlers((p) => z.upsertPod(p), (p) => z.deletePod(p)));
      waits.push(pods.synced);
    }
    this.synced = Promise.all(waits);
    this.ready = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // run() reports the failure; a caller that never awaits `ready` must not crash the process.
    this.ready.catch(() => undefined);
  }

  /** Where the server listens (ports resolved once bound). */
  addresses(): string[] {
    return (this.listeners?.bound ?? this.listen).map(formatHostPort);
  }

  /**
   * Serves until the signal aborts. The informer factory must be started by the caller (it is
   * shared with the agent's other components); until its caches have listed, cluster names get
   * SERVFAIL.
   */
  async run(signal: AbortSignal): Promise<void> {
    const { o } = this;
    const localIPs = this.listen.map((a) => a.host).filter((h) => !isWildcardOrLoopback(h));
    let forwarder: Forwarder | undefined;
    try {
      if (o.localLink && localIPs.length > 0) await ensureLocalLink({ link: o.localLink, addresses: localIPs });
      const upstreams = await resolveUpstreams({ upstreams: o.upstreams, resolvConf: o.resolvConf, own: this.listen });
      if (upstreams.length === 0) o.log('dns: no upstream resolvers; names outside the cluster get SERVFAIL');
      forwarder = new Forwarder({ upstreams, timeoutMs: o.forwardTimeoutMs ?? 2000 });
      const resolver = new ZoneResolver(this.zone, { ttl: o.ttl ?? DEFAULT_TTL });
      const responder = new Responder({ zone: this.zone, resolver, forwarder, ready: () => this.isSynced });
      this.listeners = new DnsListeners({ handler: (raw, t) => responder.handle(raw, t), log: o.log });
      await this.listeners.listen(this.listen);
      o.log(`dns: serving ${this.zone.domain} on ${this.addresses().join(', ')} (udp+tcp), forwarding to ${upstreams.map(formatHostPort).join(', ') || 'nobody'}`);
      const aborted = new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
      await Promise.race([this.synced, aborted]);
      if (!signal.aborted) {
        this.isSynced = true;
        this.markReady();
      }
      await aborted;
    } catch (err) {
      this.failReady(err);
      throw err;
    } finally {
      await this.listeners?.close();
      forwarder?.close();
      if (o.localLink && localIPs.length > 0) await removeLocalLink({ link: o.localLink, addresses: localIPs }).catch((err: unknown) => o.log(`dns: removing ${o.localLink}: ${String(err)}`));
    }
  }
}

