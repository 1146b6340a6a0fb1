// One node's kubelet, written against the Runtime interface (containerd or the fake): it
// registers the Node and keeps its status and Lease fresh, receives the pods bound to the node
// from a shared informer, and runs one worker per pod that syncs it through the runtime, writes
// its status when it changed, and finishes graceful deletion (stop containers, then delete the pod
// with grace 0 and a uid precondition). On start it first reconciles what the runtime already holds
// with the pods the API says belong here — pods still bound are adopted as they run, everything
// else (sandboxes, pod directories) is removed. Changes of ConfigMaps, Secrets and claims that
// pods' volumes read re-sync those pods at once. `ready` resolves once the node is registered and
// pods flow; `start` resolves after the signal aborts and everything it started has stopped.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Node, Pod } from '../../api/core/v1/index.js';
import { podKind } from '../../api/refs/index.js';
import { StatusError } from '../../lib/errors.js';
import { parseQuantity } from '../../lib/quantity.js';
import { realClock, type Clock } from '../../lib/workqueue.js';
import type { Runtime } from '../cri/index.js';
import { podObjectsFor, type PodObjects } from './api-objects.js';
import { DEFAULT_CLUSTER_DNS, DEFAULT_CLUSTER_DOMAIN, parseResolvConf, type DnsSettings } from './dns-config.js';
import { DEFAULT_TIMING, type KubeletOptions, type KubeletTiming } from './options.js';
import { PodSetup } from './pod-setup.js';
import { needsSync } from './pod-changes.js';
import { ProbeManager } from './probes/index.js';
import { systemMounter, TokenManager, VolumeManager } from './volumes/index.js';
import { NodeLease } from './node-lease.js';
import { NodeStatusManager } from './node-status.js';
import { POD_UID_LABEL } from './pod-config.js';
import { isTerminalPhase } from './pod-status.js';
import { PodSyncer, type PodRecord } from './pod-sync.js';
import { PodWorkers } from './pod-workers.js';
import { Relister } from './relister.js';
import { runningIsReadyProber, type Prober } from './prober.js';
import { RestartBackoff } from './restart-backoff.js';
import { PodStatusWriter } from './status-writer.js';

/** Without container events the kubelet notices changes by relisting the runtime this often (Kubernetes' PLEG period). */
const RELIST_MS = 1_000;

export class Kubelet {
  readonly name: string;
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private readonly clock: Clock;
  private readonly timing: KubeletTiming;
  private readonly runtime: Runtime;
  private readonly prober: Prober;
  private readonly records = new Map<string, PodRecord>();
  private readonly nodeStatus: NodeStatusManager;
  private readonly lease: NodeLease;
  private readonly writer: PodStatusWriter;
  private readonly backoff: RestartBackoff;
  private readonly workers: PodWorkers;
  private syncer: PodSyncer | undefined;
  private podCIDR = '';
  private readonly objects: PodObjects;
  private readonly probes: ProbeManager | undefined;

  constructor(private readonly o: KubeletOptions) {
    this.name = o.nodeName;
    this.ready = new Promise((r) => (this.resolveReady = r));
    this.clock = o.clock ?? realClock;
    this.timing = { ...DEFAULT_TIMING, ...(o.timing ?? {}) };
    this.runtime = o.runtime;
    const log = this.log.bind(this);
    this.objects = o.objects ?? podObjectsFor(o.client, { log });
    if (!o.prober && o.host) this.probes = new ProbeManager({ runtime: o.runtime, recorder: o.recorder, clock: this.clock });
    this.prober = o.prober ?? this.probes ?? runningIsReadyProber;
    const heartbeats = o.heartbeatClient ?? o.client;
    this.nodeStatus = new NodeStatusManager({ client: heartbeats, runtime: o.runtime, name: o.nodeName, settings: o.node, clock: this.clock, timing: this.timing, log, recorder: o.recorder });
    this.lease = new NodeLease({ client: o.leaseClient ?? heartbeats, name: o.nodeName, clock: this.clock, timing: this.timing, node: () => this.nodeStatus.node, log });
    this.writer = new PodStatusWriter(o.client);
    this.backoff = new RestartBackoff(this.clock, this.timing.crashLoopBackoff);
    this.workers = new PodWorkers((uid) => this.sync(uid), {
      clock: this.clock,
      onError: (uid, err) => this.log(`pod ${this.records.get(uid)?.pod?.metadata?.name ?? uid}: sync failed: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  private log(msg: string): void {
    this.o.log?.(msg);
  }

  private async podSetup(): Promise<PodSetup> {
    const o = this.o;
    const host = o.host;
    const resolv = host ? await readFile(host.resolvConf ?? '/etc/resolv.conf', 'utf8').catch(() => '') : '';
    const dns: DnsSettings = {
      clusterDNS: o.clusterDNS ?? [DEFAULT_CLUSTER_DNS],
      clusterDomain: o.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
      host: parseResolvConf(resolv),
    };
    const volumes = host
      ? new VolumeManager({
          dataDir: host.dataDir,
          objects: this.objects,
          tokens: new TokenManager({ client: o.client, clock: this.clock }),
          mounter: host.mounter ?? systemMounter,
          caCertPem: host.caCertPem,
        })
      : undefined;
    return new PodSetup({
      objects: this.objects,
      dns,
      hostIP: o.node.internalIP,
      allocatable: this.allocatable(),
      host: host && volumes ? { volumes, logRoot: join(host.dataDir, 'logs', 'pods'), nodeHostsFile: host.hostsFile ?? '/etc/hosts' } : undefined,
    });
  }

  private allocatable(): Record<string, string> {
    return this.o.node.allocatable ?? this.o.node.capacity;
  }

  async start(signal: AbortSignal): Promise<void> {
    const version = await this.runtime.version();
    this.objects.start(signal);
    const setup = await this.podSetup();
    this.syncer = new PodSyncer({
      runtime: this.runtime,
      runtimeName: version.runtimeName,
      recorder: this.o.recorder,
      prober: this.prober,
      backoff: this.backoff,
      clock: this.clock,
      hostIP: this.o.node.internalIP,
      setup,
      objects: this.objects,
      allocatable: this.allocatable(),
      memoryCapacity: parseQuantity(this.o.node.capacity.memory ?? '0')?.value ?? 0,
      hooks: this.o.host !== undefined,
      previousStatus: (uid) => this.writer.previous(uid),
    });
    await this.nodeStatus.register(signal);
    if (signal.aborted) return;
    this.lease.start(signal);
    this.nodeStatus.start(signal);
    const unsubscribeNode = this.o.nodes.subscribe(this.name, { onAdd: (n) => this.onNode(n), onUpdate: (_, n) => this.onNode(n) });
    await Promise.race([this.o.pods.synced, aborted(signal)]);
    if (signal.aborted) return unsubscribeNode();
    await this.reconcileRuntime(setup);
    // A changed ConfigMap, Secret or claim re-syncs the pods whose volumes read it.
    const unsubscribeObjects = this.objects.onChange((kind, ns, name) => {
      for (const uid of setup.podsReferencing(kind, ns, name)) if (this.records.has(uid)) this.workers.enqueue(uid);
    });
    const unsubscribePods = this.o.pods.subscribe(this.name, {
      onAdd: (p) => this.onPod(p),
      onUpdate: (old, p) => this.onPod(p, old),
      onDelete: (p) => this.onPodGone(p),
    });
    this.runtime.containerEvents?.(signal, (e) => {
      const uid = e.sandboxLabels[POD_UID_LABEL];
      if (uid && this.records.has(uid)) this.workers.enqueue(uid);
    });
    this.prober.onChange?.((uid) => this.workers.enqueue(uid));
    if (!this.runtime.containerEvents) {
      new Relister({
        runtime: this.runtime,
        clock: this.clock,
        periodMs: RELIST_MS,
        onChange: (uid) => {
          if (this.records.has(uid)) this.workers.enqueue(uid);
        },
        log: (m) => this.log(`node ${this.name}: ${m}`),
      }).start(signal);
    }
    const resyncMs = this.timing.podResyncMs;
    let resync: { cancel(): void } | undefined;
    const tick = (): void => {
      for (const uid of this.records.keys()) this.workers.enqueue(uid);
      if (!signal.aborted) resync = this.clock.setTimeout(tick, resyncMs);
    };
    resync = this.clock.setTimeout(tick, resyncMs * (1 + this.timing.phase));
    this.resolveReady();
    await aborted(signal);
    resync?.cancel();
    unsubscribeObjects();
    this.probes?.stop();
    unsubscribePods();
    unsubscribeNode();
    this.workers.stop();
  }

  private onNode(node: Node): void {
    this.nodeStatus.observe(node);
    const cidr = node.spec?.podCIDR ?? '';
    if (!cidr || cidr === this.podCIDR) return;
    this.podCIDR = cidr;
    // Report at once: the network just became ready, and waiting for the next status period
    // would keep a new node NotReady for up to ten seconds.
    this.runtime
      .updateRuntimeConfig({ podCIDR: cidr })
      .then(() => this.nodeStatus.report())
      .catch((err: unknown) => this.log(`node ${this.name}: updating the runtime's pod CIDR failed: ${String(err)}`));
  }

  private onPod(pod: Pod, old?: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    let rec = this.records.get(uid);
    if (!rec) {
      // A pod this node already ran (the agent restarted) keeps its start time, and with it its deadline.
      const started = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
      rec = { uid, pod, startTime: Number.isFinite(started) ? started : this.clock.now(), waiting: new Map(), terminal: undefined };
      this.records.set(uid, rec);
    }
    rec.pod = pod;
    // A status-only update (most often the status this kubelet just wrote) is taken in as is.
    if (old && !needsSync(old, pod)) return;
    this.workers.enqueue(uid);
  }

  private onPodGone(pod: Pod): void {
    const rec = this.records.get(pod.metadata?.uid ?? '');
    if (!rec) return;
    rec.pod = undefined;
    this.workers.enqueue(rec.uid);
  }

  /**
   * After a restart: removes what the runtime still runs, and the pod directories left, for pods
   * that no longer belong to this node. The rest is adopted as it runs by the pods' first syncs.
   */
  private async reconcileRuntime(setup: PodSetup): Promise<void> {
    const known = new Set(this.o.pods.list(this.name).map((p) => p.metadata?.uid ?? ''));
    const sandboxes = await this.runtime.listPodSandbox();
    const orphans = new Set(sandboxes.map((s) => s.labels[POD_UID_LABEL] ?? '').filter((uid) => uid && !known.has(uid)));
    for (const uid of orphans) await this.requireSyncer().removePod(uid);
    await setup.cleanupOrphans(known).catch((err: unknown) => this.log(`node ${this.name}: cleaning up pod directories failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  private requireSyncer(): PodSyncer {
    if (!this.syncer) throw new Error('kubelet not started');
    return this.syncer;
  }

  /** One pod's sync: resolves with a delay after which it wants to run again. */
  private async sync(uid: string): Promise<number | undefined> {
    const rec = this.records.get(uid);
    if (!rec) return undefined;
    const syncer = this.requireSyncer();
    const pod = rec.pod;
    if (!pod) {
      await syncer.removePod(uid);
      this.forget(uid);
      return undefined;
    }
    if (pod.metadata?.deletionTimestamp) {
      if (rec.deleted) return undefined;
      const status = await syncer.terminatePod(rec, pod);
      await this.writer.write(pod, status);
      await syncer.removePod(uid);
      await this.o.client
        .delete(podKind, pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } })
        .catch((err: unknown) => {
          if (!(err instanceof StatusError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
        });
      rec.deleted = true;
      return undefined;
    }
    if (rec.terminal || isTerminalPhase(pod.status?.phase)) {
      // Finished pods stay (Succeeded/Failed) until deleted; nothing restarts and their IP is released.
      await syncer.stopSandboxes(uid);
      if (rec.terminal) await this.writer.write(pod, await syncer.currentStatus(rec, pod));
      return undefined;
    }
    const { status, requeueMs } = await syncer.syncPod(rec, pod);
    if (isTerminalPhase(status.phase)) {
      rec.terminal ??= {};
      await syncer.stopSandboxes(uid);
      await this.writer.write(pod, await syncer.currentStatus(rec, pod));
      return undefined;
    }
    await this.writer.write(pod, status);
    return requeueMs;
  }

  private forget(uid: string): void {
    this.records.delete(uid);
    this.writer.forget(uid);
    this.backoff.forget(`${uid}/`);
    this.prober.forget?.(uid);
    this.workers.forget(uid);
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

