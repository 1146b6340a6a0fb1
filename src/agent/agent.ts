// `tug agent` as a component: one kubelet for this machine, or N hollow kubelets (fake runtime)
// in one process for scale tests. All kubelets of the process share ONE HTTP client (keep-alive
// connections) and one pod and one node informer, routed by node name, so a thousand hollow nodes
// cost one list+watch rather than a thousand; each hollow node gets its own fake runtime, its own
// pod IP range until node IPAM assigns a podCIDR, a distinct InternalIP, and a phase that spreads
// its lease renewals and status checks over the period.
import { setMaxListeners } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import type { Node, Pod } from '../api/core/v1/index.js';
import { nodeKind, podKind } from '../api/refs/index.js';
import { ApiEventRecorder, HttpClient, Informer, type EventRecorder } from '../client/index.js';
import { realClock, type Clock } from '../lib/workqueue.js';
import { runtimes, type Runtime, type RuntimeFactoryOptions, type RuntimeName } from './cri/index.js';
import { NodeServices, type NodeServiceOptions } from './node-services.js';
import { machineNodeSettings, DEFAULT_HOLLOW_CAPACITY, Kubelet, NodeScoped, fakeProber, type KubeletTiming, type NodeSettings } from './kubelet/index.js';

export const HOLLOW_NODE_LABEL = 'tugboat.dev/hollow-node';
export const DEFAULT_HOLLOW_PREFIX = 'hollow-node';

export interface AgentOptions {
  server: string;
  /** Bearer token (the secret part of the node token). */
  token: string;
  caCertPem: string;
  runtime: RuntimeName;
  /** Builds each node's runtime instead of the `runtimes` map, e.g. around a containerd the caller started. */
  makeRuntime?: (o: RuntimeFactoryOptions) => Runtime;
  /** This node's name, or the name prefix of hollow nodes (PREFIX-0 … PREFIX-(N-1)). */
  nodeName?: string;
  /** Run this many hollow nodes (fake runtime only); unset runs one node for this machine. */
  hollowNodes?: number;
  dataDir?: string;
  /** InternalIP of a single node; hollow nodes get synthetic ones. */
  nodeIP?: string;
  /** Capacity of fake nodes; allocatable equals it. */
  capacity?: Record<string, string>;
  /** Cluster DNS server addresses for ClusterFirst pods (`--cluster-dns`); the kubelet's default otherwise. */
  clusterDNS?: string[];
  /** Record pod Events (Pulled, Created, Started, BackOff...); on by default. */
  events?: boolean;
  clock?: Clock;
  timing?: Partial<KubeletTiming>;
  /** A real node's own services (agent endpoint, cluster DNS, ingress); not for hollow nodes. */
  services?: NodeServiceOptions;
  log?(msg: string): void;
}

/**
 * Synthetic InternalIP of hollow node i: 127.16.0.1, 127.16.0.2, … within 127.16.0.0/12. Loopback
 * on purpose: whatever is sent to a hollow node (the API server proxying `kubectl logs` to its
 * kubelet port, a real node's route to its pod CIDR) stays on this machine.
 */
export function hollowNodeIP(i: number): string {
  const n = i + 1;
  return `127.${16 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${n & 255}`;
}

/** Per-node pod range used until node IPAM assigns a podCIDR: 10.244.0.0/24, 10.244.1.0/24, … */
export function fallbackPodCIDR(i: number): string {
  const k = i % 3072;
  return `10.${244 + (k >> 8)}.${k & 255}.0/24`;
}

const nameIndex = (name: string): number => [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 1024;

function defaultNodeIP(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

function osImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return m?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

const noEvents: EventRecorder = { event: () => undefined };

export class Agent {
  readonly kubelets: Kubelet[] = [];
  readonly ready: Promise<void>;
  private readonly client: HttpClient;
  private readonly heartbeatClient: HttpClient;
  private readonly leaseClient: HttpClient;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly runtimes: Runtime[] = [];
  private readonly services: NodeServices | undefined;
  private readonly settings: NodeSettings[] = [];

  constructor(private readonly o: AgentOptions) {
    const hollow = o.hollowNodes !== undefined;
    if (hollow && o.runtime !== 'fake') throw new Error('--hollow-nodes needs --runtime fake');
    if (hollow && (!Number.isInteger(o.hollowNodes) || (o.hollowNodes ?? 0) < 1)) throw new Error('--hollow-nodes must be a positive integer');
    const log = o.log ?? (() => undefined);
    const count = o.hollowNodes ?? 1;
    const single = o.nodeName ?? hostname().toLowerCase();
    const names = hollow ? Array.from({ length: count }, (_, i) => `${o.nodeName ?? DEFAULT_HOLLOW_PREFIX}-${i}`) : [single];
    this.client = new HttpClient({ server: o.server, caCertPem: o.caCertPem, token: o.token, maxSockets: hollow ? 64 : 16 });
    // Hollow nodes' heartbeats must not wait behind the pod writes of a thousand nodes; with many
    // connections of their own they also get a fair share of the server's attention, as the
    // separate connections of real kubelets do. 16 rather than more: with 128 the 1,000-replica
    // Deployment bench took longer (22 s vs 10-15 s at load 2-4) for the same server CPU per pod.
    this.heartbeatClient = hollow ? new HttpClient({ server: o.server, caCertPem: o.caCertPem, token: o.token, maxSockets: Math.min(count, 16) }) : this.client;
    // Lease renewals get connections of their own, one per 10 nodes: on 16 shared with the node
    // status writes, a loaded server's ~1 s per request let 16 renewals/s through, each node was
    // renewed every ~60 s, past the 40 s grace, and every node went NotReady. One per 10 nodes
    // keeps every node within its grace up to ~4 s per request; one per node (as real kubelets
    // have) did not do better in a loaded run and opens a thousand connections at once.
    this.leaseClient = hollow ? new HttpClient({ server: o.server, caCertPem: o.caCertPem, token: o.token, maxSockets: Math.min(count, Math.max(16, Math.ceil(count / 10))) }) : this.client;
    const onError = (err: unknown): void => log(`informer: ${err instanceof Error ? err.message : String(err)}`);
    // One node watches only its own pods; hollow nodes share a watch on every bound pod.
    this.pods = new Informer<Pod>(this.client, podKind, { fieldSelector: hollow ? 'spec.nodeName!=' : `spec.nodeName=${single}`, onError });
    this.nodes = new Informer<Node>(this.client, nodeKind, { ...(hollow ? {} : { fieldSelector: `metadata.name=${single}` }), onError });
    const pods = new NodeScoped<Pod>(this.pods, (p) => p.spec?.nodeName ?? '');
    const nodes = new NodeScoped<Node>(this.nodes, (n) => n.metadata?.name ?? '');
    const clock = o.clock ?? realClock;
    const image = hollow ? 'Tugboat hollow node' : osImage();
    names.forEach((name, i) => {
      const makeRuntime: (x: RuntimeFactoryOptions) => Runtime = o.makeRuntime ?? runtimes[o.runtime];
      const runtime = makeRuntime({
        clock,
        fallbackPodCIDR: fallbackPodCIDR(hollow ? i : nameIndex(name)),
        ...(o.dataDir ? { dataDir: o.dataDir } : {}),
      });
      this.runtimes.push(runtime);
      // Real nodes report the machine; fake ones the capacity they were given.
      const node: NodeSettings =
        o.runtime === 'fake'
          ? {
              internalIP: hollow ? hollowNodeIP(i) : (o.nodeIP ?? defaultNodeIP()),
              capacity: { ...DEFAULT_HOLLOW_CAPACITY, ...(o.capacity ?? {}) },
              osImage: image,
              ...(hollow ? { labels: { [HOLLOW_NODE_LABEL]: 'true' } } : {}),
            }
          : machineNodeSettings({ dataDir: o.dataDir ?? '/var/lib/tugboat/agent', nodeIP: o.nodeIP ?? defaultNodeIP() });
      this.settings.push(node);
      const recorder = o.events === false ? noEvents : new ApiEventRecorder(this.client, 'kubelet', { host: name, onError: (err) => log(`events: ${String(err)}`) });
      this.kubelets.push(
        new Kubelet({
          nodeName: name,
          client: this.client,
          heartbeatClient: this.heartbeatClient,
          leaseClient: this.leaseClient,
          runtime,
          pods,
          nodes,
          recorder,
          // Real nodes run the pods' own probes (the kubelet's default when it has `host`).
          ...(o.runtime === 'fake' ? { prober: fakeProber } : {}),
          clock,
          node,
          timing: { ...(o.timing ?? {}), phase: count > 1 ? i / count : 0 },
          // Real pods get files (volumes, /etc/hosts, logs) under the agent's data dir.
          ...(o.runtime !== 'fake' && o.dataDir ? { host: { dataDir: o.dataDir, caCertPem: o.caCertPem } } : {}),
          ...(o.clusterDNS ? { clusterDNS: o.clusterDNS } : {}),
          log,
        }),
      );
    });
    this.ready = Promise.all(this.kubelets.map((k) => k.ready)).then(() => undefined);
    if (o.services && !hollow) {
      this.services = new NodeServices(
        {
          client: this.client,
          nodeName: single,
          nodeIP: this.settings[0]?.internalIP ?? defaultNodeIP(),
          caCertPem: o.caCertPem,
          dataDir: o.dataDir ?? '/var/lib/tugboat/agent',
          pods: this.pods,
          nodes: this.nodes,
          runtime: this.runtimes[0] as Runtime,
          log,
        },
        o.services,
      );
    }
  }

  /** Logs when a thousand kubelets' work held the event loop long enough to endanger heartbeats. */
  private watchLoopDelay(signal: AbortSignal, log: (m: string) => void): void {
    const h = monitorEventLoopDelay({ resolution: 20 });
    h.enable();
    const t = setInterval(() => {
      const maxMs = h.max / 1e6;
      if (maxMs > 1_000) log(`agent: event loop held for up to ${(maxMs / 1000).toFixed(1)} s in the last 5 s (p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms)`);
      h.reset();
    }, 5_000);
    t.unref();
    signal.addEventListener('abort', () => {
      clearInterval(t);
      h.disable();
    }, { once: true });
  }

  /** Runs every kubelet until the signal aborts, then closes the runtimes and connections. */
  async start(signal: AbortSignal): Promise<void> {
    const log = this.o.log ?? (() => undefined);
    // Every kubelet hangs a few listeners on the signal; one internal signal avoids the leak warning.
    const inner = new AbortController();
    setMaxListeners(0, inner.signal);
    if (signal.aborted) inner.abort();
    else signal.addEventListener('abort', () => inner.abort(), { once: true });
    this.pods.start(inner.signal);
    this.nodes.start(inner.signal);
    if (this.o.hollowNodes !== undefined) this.watchLoopDelay(inner.signal, log);
    try {
      if (this.services) {
        // The endpoint's port goes into the node status, so it is bound before registration.
        const port = await this.services.startServer(inner.signal);
        for (const s of this.settings) s.kubeletPort = port;
      }
      await Promise.all([
        ...(this.services ? [this.services.run(inner.signal)] : []),
        ...this.kubelets.map((k) =>
          k.start(inner.signal).catch((err: unknown) => log(`node ${k.name}: kubelet stopped: ${err instanceof Error ? err.message : String(err)}`)),
        ),
      ]);
    } finally {
      await Promise.all(this.runtimes.map((r) => r.close()));
      this.client.close();
      if (this.heartbeatClient !== this.client) this.heartbeatClient.close();
      if (this.leaseClient !== this.client) this.leaseClient.close();
    }
  }
}

