// The pod garbage collector, as Kubernetes' podgc: every period (20 s) it force-deletes
// (grace 0) terminated pods beyond the terminated-pod threshold, terminating pods on nodes that
// are out of service, pods bound to nodes that no longer exist — only after the node has been
// missing for a quarantine (40 s) and the API confirms it is gone, since a cache can lag — and
// terminating pods that were never scheduled. Pods that had not finished are first marked Failed
// (orphans with a DisruptionTarget condition), because no kubelet will ever report on them. The
// whole pass is one idempotent sync of a single key.
import { nodeKind, podKind, type Node, type Pod } from '../../api/core/v1/index.js';
import type { Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { WorkQueue, runWorkers, type Controller, type ControllerDeps } from '../runtime/index.js';
import { aborted } from '../replicaset/index.js';
import { excessTerminated, isTerminated, outOfService } from './decide.js';

export interface PodGcOptions {
  /** How often the collector runs (default 20 s). */
  periodMs?: number;
  /** How long a node must be missing before its pods count as orphans (default 40 s). */
  quarantineMs?: number;
  /** Terminated pods kept before the oldest are deleted (default 12500; 0 keeps all). */
  terminatedPodThreshold?: number;
}

const KEY = 'gc';
const apiTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class PodGcController implements Controller {
  readonly name = 'podgc';
  private readonly queue: WorkQueue;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  /** Node name → controller-clock ms when pods were first seen bound to it while it was missing. */
  private readonly missingSince = new Map<string, number>();

  constructor(
    private readonly deps: ControllerDeps,
    private readonly opts: PodGcOptions = {},
  ) {
    this.queue = new WorkQueue({ clock: deps.clock });
    this.pods = deps.informers.for<Pod>(podKind);
    this.nodes = deps.informers.for<Node>(nodeKind);
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.race([Promise.all([this.pods.synced, this.nodes.synced]), aborted(signal)]);
    if (signal.aborted) return;
    let timer: { cancel(): void } | undefined;
    const tick = (): void => {
      this.queue.add(KEY);
      if (!signal.aborted) timer = this.deps.clock.setTimeout(tick, this.opts.periodMs ?? 20_000);
    };
    tick();
    signal.addEventListener('abort', () => timer?.cancel(), { once: true });
    await runWorkers(this, {
      workers: 1,
      queue: this.queue,
      signal,
      onError: (_c, key, err) => this.deps.log(`podgc ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async sync(): Promise<void> {
    const pods = this.pods.store.list();
    let failure: unknown;
    const attempt = async (pod: Pod, o: { orphan?: boolean } = {}): Promise<void> => {
      try {
        await this.forceDelete(pod, o);
      } catch (err) {
        failure ??= err;
      }
    };
    for (const pod of excessTerminated(pods, this.opts.terminatedPodThreshold ?? 12_500)) await attempt(pod);
    for (const pod of pods) {
      if (!pod.metadata?.deletionTimestamp) continue;
      const nodeName = pod.spec?.nodeName;
      const node = nodeName ? this.nodes.store.get(undefined, nodeName) : undefined;
      if (!nodeName || (node && outOfService(node))) await attempt(pod);
    }
    for (const pod of await this.orphans(pods)) await attempt(pod, { orphan: true });
    if (failure !== undefined) throw failure;
  }

  /** Pods bound to nodes missing for the quarantine and confirmed gone by the API. */
  private async orphans(pods: Pod[]): Promise<Pod[]> {
    const now = this.deps.clock.now();
    const quarantine = this.opts.quarantineMs ?? 40_000;
    const byMissingNode = new Map<string, Pod[]>();
    for (const pod of pods) {
      const n = pod.spec?.nodeName;
      if (!n || this.nodes.store.get(undefined, n)) continue;
      byMissingNode.set(n, [...(byMissingNode.get(n) ?? []), pod]);
    }
    for (const n of this.missingSince.keys()) if (!byMissingNode.has(n)) this.missingSince.delete(n);
    const out: Pod[] = [];
    for (const [n, onNode] of byMissingNode) {
      const since = this.missingSince.get(n);
      if (since === undefined) {
        this.missingSince.set(n, now);
        this.queue.addAfter(KEY, quarantine);
        continue;
      }
      if (now - since < quarantine) continue;
      if (await this.nodeExists(n)) {
        this.missingSince.delete(n);
        continue;
      }
      out.push(...onNode);
    }
    return out;
  }

  private async nodeExists(name: string): Promise<boolean> {
    try {
      await this.deps.client.get(nodeKind, undefined, name);
      return true;
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'NotFound') return false;
      throw err;
    }
  }

  private async forceDelete(pod: Pod, o: { orphan?: boolean }): Promise<void> {
    const ns = pod.metadata?.namespace;
    const name = pod.metadata?.name ?? '';
    const uid = pod.metadata?.uid ?? '';
    this.deps.log(`podgc: force deleting pod ${ns ?? ''}/${name}`);
    try {
      if (!isTerminated(pod)) {
        const conditions = o.orphan
          ? [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: apiTime(this.deps.clock.now()) }]
          : undefined;
        await this.deps.client.patch(podKind, ns, name, { type: 'strategic', body: { status: { phase: 'Failed', ...(conditions ? { conditions } : {}) } } }, { subresource: 'status' });
      }
      await this.deps.client.delete(podKind, ns, name, { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      if (err instanceof StatusError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return;
      throw err;
    }
  }
}
