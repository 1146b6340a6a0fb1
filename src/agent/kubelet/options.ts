// What a kubelet is given: its node's identity and size, the shared API client and informers,
// its container runtime, what real (non-hollow) nodes need for pods' files and DNS, and the
// timings Kubernetes uses (10 s lease renewals and status checks, a status report at least every
// 5 min, crash-loop back-off from 10 s doubling to 5 min), all overridable so tests and
// hollow-node benchmarks can run faster on an injected clock.
import type { Pod, Node } from '../../api/core/v1/index.js';
import type { Client, EventRecorder } from '../../client/index.js';
import type { Clock } from '../../lib/workqueue.js';
import type { Runtime } from '../cri/index.js';
import type { PodObjects } from './api-objects.js';
import type { NodeScoped } from './node-scoped.js';
import type { Prober } from './prober.js';
import type { Mounter } from './volumes/index.js';

export const KUBELET_VERSION = 'v1.32.0-tugboat';

/** What a hollow node reports unless told otherwise. */
export const DEFAULT_HOLLOW_CAPACITY: Readonly<Record<string, string>> = {
  cpu: '4',
  memory: '16Gi',
  pods: '110',
  'ephemeral-storage': '100Gi',
};

export interface NodeSettings {
  /** The node's InternalIP, also the hostIP of its pods. */
  internalIP: string;
  capacity: Record<string, string>;
  /** Defaults to capacity. */
  allocatable?: Record<string, string>;
  /** Extra labels on top of kubernetes.io/hostname, os and arch. */
  labels?: Record<string, string>;
  osImage?: string;
  kernelVersion?: string;
  machineID?: string;
  systemUUID?: string;
  bootID?: string;
  /** Port of the agent's HTTPS endpoint, published for the API server (default 10250). */
  kubeletPort?: number;
}

export interface KubeletTiming {
  leaseDurationSeconds: number;
  leaseRenewMs: number;
  /** How often the node status is recomputed (written only when changed or report-due). */
  nodeStatusUpdateMs: number;
  /** Longest time between two node status writes. */
  nodeStatusReportMs: number;
  /** How often every pod is re-synced even without events. */
  podResyncMs: number;
  /** Fraction [0, 1) of each period to wait first, so the hollow nodes of one process spread out. */
  phase: number;
  crashLoopBackoff: { initialMs: number; maxMs: number };
}

export const DEFAULT_TIMING: KubeletTiming = {
  leaseDurationSeconds: 40,
  leaseRenewMs: 10_000,
  nodeStatusUpdateMs: 10_000,
  nodeStatusReportMs: 300_000,
  podResyncMs: 60_000,
  phase: 0,
  crashLoopBackoff: { initialMs: 10_000, maxMs: 300_000 },
};

/** What a kubelet running real pods on this machine needs beyond a hollow one. */
export interface KubeletHostOptions {
  /** The agent's data directory: pod directories in `<dataDir>/pods`, logs in `<dataDir>/logs/pods`. */
  dataDir: string;
  /** The cluster CA, written as `ca.crt` into service-account volumes. */
  caCertPem: string;
  /** Mounts tmpfs for secrets and memory emptyDirs; the system's `mount` by default. */
  mounter?: Mounter;
  /** The node's resolver config, the base of pods' resolv.conf (default /etc/resolv.conf). */
  resolvConf?: string;
  /** The node's hosts file, copied for host-network pods (default /etc/hosts). */
  hostsFile?: string;
}

export interface KubeletOptions {
  nodeName: string;
  client: Client;
  /**
   * The client for the node's heartbeats (Lease renewals, node status); default `client`. Hollow
   * nodes share one client for every pod write of thousands of nodes, so their heartbeats get
   * connections of their own and never queue behind that backlog (a real kubelet's heartbeat
   * never waits for another node's writes; the API server gives node leases their own priority).
   */
  heartbeatClient?: Client;
  /**
   * The client for Lease renewals only; default `heartbeatClient`. Hollow nodes give each node a
   * connection of its own for them, as real kubelets have: queued behind other nodes' status
   * writes on a few shared connections, renewals of a busy agent took over a minute.
   */
  leaseClient?: Client;
  runtime: Runtime;
  /** Pods bound to this node (from an informer shared by every kubelet of the process). */
  pods: NodeScoped<Pod>;
  /** This node's Node object, for the podCIDR node IPAM assigns. */
  nodes: NodeScoped<Node>;
  recorder: EventRecorder;
  /** Readiness results; defaults to "ready once running". */
  prober?: Prober;
  clock?: Clock;
  node: NodeSettings;
  timing?: Partial<KubeletTiming>;
  /**
   * Real pods on this machine: volumes, /etc/hosts, log directories, lifecycle hooks, and (unless
   * `prober` is given) real probes. Unset for hollow nodes, whose pods touch no files.
   */
  host?: KubeletHostOptions;
  /** Cluster DNS server addresses for ClusterFirst pods (the agent's --cluster-dns); default 10.43.0.10. */
  clusterDNS?: string[];
  /** Default cluster.local. */
  clusterDomain?: string;
  /** The ConfigMap/Secret/Service/... caches; by default one shared by every kubelet on the same client. */
  objects?: PodObjects;
  log?(msg: string): void;
}
