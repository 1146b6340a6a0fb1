// The scheduler: watches pods, nodes, namespaces and volume objects through the shared
// informers, keeps the cache and queue current, and places pending pods one attempt at a time
// (algorithm.ts) while bindings, status writes and evictions run concurrently in the background.
// It has the shape of a controller (`name`, `run(signal)`) so the controller manager can run it
// under the same leader election.
import { namespaceKind, nodeKind, persistentVolumeClaimKind, persistentVolumeKind, podKind } from '../api/core/v1/index.js';
import type { Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../api/core/v1/index.js';
import { storageClassKind, type StorageClass } from '../api/storage/v1/index.js';
import type { Client, EventRecorder, Informer, InformerFactory } from '../client/index.js';
import { realClock, type Clock } from '../lib/workqueue.js';
import { Algorithm, NO_NODES_MESSAGE, type AlgorithmContext } from './algorithm.js';
import { Binder } from './binder.js';
import { SchedulerCache } from './cache/cache.js';
import { Nominator } from './cache/nominator.js';
import { EventHandlers, wantsScheduling } from './event-handlers.js';
import { CycleState } from './framework/cycle-state.js';
import { fitErrorMessage } from './framework/fit-error.js';
import { Framework, type ProfileEntry } from './framework/framework.js';
import { podInfo, type PodInfo } from './framework/pod-info.js';
import type { ClusterEvent, Handle } from './framework/types.js';
import { DEFAULT_PROFILE, PLUGINS } from './plugins/registry.js';
import { preempt, type PreemptionOutcome } from './preemption/index.js';
import { SchedulingQueue, type QueuedPod } from './queue/scheduling-queue.js';
import { Reporter, SCHEDULER_NAME } from './reporting.js';
import { Tasks } from './tasks.js';
import { InformerVolumes } from './volumes.js';

export interface SchedulerDeps {
  client: Client;
  informers: InformerFactory;
  /** A recorder, or a factory of recorders by component (as ControllerDeps has). */
  recorder: EventRecorder | ((component: string) => EventRecorder);
  clock?: Clock;
  log(msg: string): void;
  /** Bindings (and their PreBind waits) in flight at once; default 512. */
  maxBindingsInFlight?: number;
  /** How long PreBind may wait for volumes; default 600 s, as kube-scheduler. */
  bindTimeoutMs?: number;
  /** Plugins and score weights; default Kubernetes' default profile. */
  profile?: readonly ProfileEntry[];
  random?(): number;
}

/**
 * Let informer and HTTP callbacks run at least this often while pods are being placed. The
 * scheduler shares the API server's event loop; when serving requests keeps the loop away for
 * longer than this, the next slice grows to match (up to MAX_SLICE_MS), so under load placing pods
 * gets about half of the loop instead of starving behind every request in flight.
 */
const MIN_SLICE_MS = 5;
const MAX_SLICE_MS = 50;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Scheduler {
  readonly name = 'scheduler';

  constructor(private readonly deps: SchedulerDeps) {}

  async run(signal: AbortSignal): Promise<void> {
    const d = this.deps;
    const clock = d.clock ?? realClock;
    const recorder = typeof d.recorder === 'function' ? d.recorder(SCHEDULER_NAME) : d.recorder;
    const pods = d.informers.for<Pod>(podKind);
    const nodes = d.informers.for<Node>(nodeKind);
    const namespaces = d.informers.for<Namespace>(namespaceKind);
    const claims = d.informers.for<PersistentVolumeClaim>(persistentVolumeClaimKind);
    const pvs = d.informers.for<PersistentVolume>(persistentVolumeKind);
    const classes = d.informers.for<StorageClass>(storageClassKind);
    const volumes = new InformerVolumes(claims, pvs, classes);

    const cache = new SchedulerCache();
    const nominator = new Nominator();
    const queue = new SchedulingQueue({ clock });
    let namespaceGeneration = 0;
    const bumpNamespaces = (): void => void namespaceGeneration++;
    namespaces.addHandlers({ onAdd: bumpNamespaces, onUpdate: (o, n) => o !== n && bumpNamespaces(), onDelete: bumpNamespaces });
    const handle: Handle = {
      snapshot: cache,
      namespaceLabels: (ns) => namespaces.store.get(undefined, ns)?.metadata?.labels,
      namespaceGeneration: () => namespaceGeneration,
      volumes,
      client: d.client,
    };
    const framework = new Framework(PLUGINS, d.profile ?? DEFAULT_PROFILE, handle);
    const interest = new Map<ClusterEvent, Set<string>>();
    const moved = (e: ClusterEvent): void => {
      let plugins = interest.get(e);
      if (!plugins) interest.set(e, (plugins = framework.pluginsInterestedIn(e)));
      queue.moveAll(plugins);
    };
    const ctx: AlgorithmContext = { framework, snapshot: cache, nominator, random: d.random ?? Math.random };
    const reporter = new Reporter({ client: d.client, recorder, now: () => new Date(clock.now()) });
    const tasks = new Tasks((err) => d.log(`scheduler: ${err instanceof Error ? err.message : String(err)}`));
    const binder = new Binder({
      client: d.client,
      framework,
      cache,
      queue,
      reporter,
      onForget: () => moved('AssignedPodDelete'),
      bindTimeoutMs: d.bindTimeoutMs ?? 600_000,
      signal,
    });

    const h = new EventHandlers({ cache, queue, nominator, moved });
    nodes.addHandlers({ onAdd: (n) => h.nodeAdded(n), onUpdate: (o, n) => h.nodeUpdated(o, n), onDelete: (n) => h.nodeDeleted(n) });
    pods.addHandlers({ onAdd: (p) => h.podAdded(p), onUpdate: (o, p) => h.podUpdated(o, p), onDelete: (p) => h.podDeleted(p) });
    const volumeChanged = (): void => moved('VolumeChange');
    claims.addHandlers({
      onAdd: (c) => {
        volumes.claimChanged(c);
        volumeChanged();
      },
      onUpdate: (old, c) => {
        volumes.claimChanged(c);
        if (old !== c) volumeChanged();
      },
    });
    pvs.addHandlers({ onAdd: volumeChanged, onUpdate: (o, n) => o !== n && volumeChanged() });
    classes.addHandlers({ onAdd: volumeChanged });

    const stopped = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([d.informers.synced(), stopped]);
    if (signal.aborted) return;
    queue.run(signal);
    d.log('scheduler: caches synced, scheduling');

    const algorithm = new Algorithm(ctx);
    const maxInFlight = d.maxBindingsInFlight ?? 512;
    let sliceStart = performance.now();
    let slice = MIN_SLICE_MS;
    for (;;) {
      const qp = await queue.pop();
      if (!qp) break;
      try {
        this.scheduleOne(qp, { algorithm, ctx, cache, nominator, queue, reporter, binder, tasks, pods });
      } catch (err) {
        // A bug or a malformed object must not stop scheduling for everyone else.
        d.log(`scheduler: scheduling ${qp.pod.key}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        queue.addBackoff(qp);
        tasks.add(reporter.failed(qp.pod.pod, { reason: 'SchedulerError', message: err instanceof Error ? err.message : String(err) }));
      }
      while (tasks.size >= maxInFlight && !signal.aborted) await tasks.any();
      const ran = performance.now() - sliceStart;
      if (ran > slice) {
        await yieldToEventLoop();
        const now = performance.now();
        slice = Math.min(MAX_SLICE_MS, Math.max(MIN_SLICE_MS, now - sliceStart - ran));
        sliceStart = now;
      }
    }
    await tasks.drain();
  }

  private scheduleOne(
    qp: QueuedPod,
    s: {
      algorithm: Algorithm;
      ctx: AlgorithmContext;
      cache: SchedulerCache;
      nominator: Nominator;
      queue: SchedulingQueue;
      reporter: Reporter;
      binder: Binder;
      tasks: Tasks;
      pods: Informer<Pod>;
    },
  ): void {
    const latest = s.pods.store.get(qp.pod.namespace, qp.pod.name);
    if (!latest || latest.metadata?.uid !== qp.pod.uid || !wantsScheduling(latest) || s.cache.nodeOf(qp.pod.uid) !== undefined) {
      s.queue.done(qp.pod.uid);
      return;
    }
    const pod = podInfo(latest);
    qp.pod = pod;
    const cycle = s.queue.schedulingCycle;
    const state = new CycleState();
    const attempt = s.algorithm.schedule(state, pod);
    if (attempt.kind === 'scheduled') {
      s.cache.assume(pod, attempt.node);
      s.nominator.remove(pod.uid);
      s.tasks.add(s.binder.bind(qp, state, attempt.node));
      return;
    }
    if (attempt.kind === 'noNodes') {
      // Any node added is worth a retry.
      s.queue.addUnschedulable(qp, { cycle, plugins: new Set() });
      s.tasks.add(s.reporter.failed(latest, { reason: 'Unschedulable', message: NO_NODES_MESSAGE }));
      return;
    }
    const outcome = preempt(s.ctx, state, pod, { diagnosis: attempt.diagnosis, filters: attempt.filters });
    let nominatedNode: string | null | undefined;
    if (outcome.kind === 'nominated') {
      nominatedNode = outcome.candidate.node;
      s.nominator.nominate(pod, nominatedNode);
      s.tasks.add(this.evict(pod, outcome, { nominator: s.nominator, reporter: s.reporter }));
    } else {
      attempt.diagnosis.postFilterMsg = outcome.message;
      if (outcome.clearNomination && latest.status?.nominatedNodeName) {
        nominatedNode = null;
        s.nominator.remove(pod.uid);
      }
    }
    s.queue.addUnschedulable(qp, { cycle, plugins: attempt.diagnosis.unschedulablePlugins });
    const message = fitErrorMessage(attempt.numAllNodes, attempt.diagnosis);
    s.tasks.add(s.reporter.failed(latest, { reason: 'Unschedulable', message, nominatedNode }));
  }

  private async evict(pod: PodInfo, outcome: Extract<PreemptionOutcome, { kind: 'nominated' }>, s: { nominator: Nominator; reporter: Reporter }): Promise<void> {
    const node = outcome.candidate.node;
    await Promise.all(outcome.candidate.victims.map((v) => s.reporter.preemptVictim(v, { preemptor: pod, node })));
    for (const p of outcome.lowerNominated) {
      s.nominator.remove(p.uid);
      await s.reporter.clearNomination(p);
    }
  }
}
