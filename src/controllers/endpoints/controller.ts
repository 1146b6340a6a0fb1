// The Endpoints controller: keeps the legacy core/v1 Endpoints object (named after the Service)
// of every Service with a selector in step with the pods the selector picks — what `kubectl get
// endpoints` shows and older consumers read. The object carries the service's labels plus
// `endpointslice.kubernetes.io/skip-mirror` (the slices are written by their own controller) and
// the last-change trigger time. Services without a selector are left to their users; the
// Endpoints of a deleted service are deleted.
import type { ApiObject } from '../../api/kind.js';
import { endpointsKind, podKind, serviceKind, type Endpoints } from '../../api/core/v1/index.js';
import { splitKey, type Client, type EventRecorder, type Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { WorkQueue, logSyncErrors, runWorkers, type ControllerDeps } from '../runtime/index.js';
import {
  HEADLESS_LABEL,
  TRIGGER_TIME_ANNOTATION,
  canonical,
  hasSelector,
  lastChangeTime,
  selects,
  watchServicesAndPods,
  type PodObj,
  type ServiceObj,
} from '../endpointslice/index.js';
import { buildSubsets } from './subsets.js';

const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
const WORKERS = 5;

type EndpointsObj = Endpoints & ApiObject;

const ignorable = (e: unknown): boolean =>
  e instanceof StatusError && (e.reason === 'NotFound' || (e.reason === 'Forbidden' && (e.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')));

const sameJson = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

function endpointsLabels(svc: ServiceObj): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  labels[SKIP_MIRROR_LABEL] = 'true';
  return labels;
}

export class EndpointsController {
  readonly name = 'endpoints';
  private readonly queue: WorkQueue;
  private readonly client: Client;
  private readonly services: Informer<ServiceObj>;
  private readonly pods: Informer<PodObj>;
  private readonly endpoints: Informer<EndpointsObj>;
  private readonly recorder: EventRecorder;

  constructor(private readonly deps: ControllerDeps) {
    this.client = deps.client;
    this.queue = new WorkQueue({ clock: deps.clock });
    this.services = deps.informers.for<ServiceObj>(serviceKind);
    this.pods = deps.informers.for<PodObj>(podKind);
    this.endpoints = deps.informers.for<EndpointsObj>(endpointsKind);
    this.recorder = deps.recorder('endpoint-controller');
    watchServicesAndPods({ services: this.services, pods: this.pods, enqueue: (k) => this.queue.add(k) });
    // Deleted by hand: put it back (sync does nothing when the service has no selector).
    this.endpoints.addHandlers({ onDelete: (ep) => this.queue.add(`${ep.metadata?.namespace ?? ''}/${ep.metadata?.name ?? ''}`) });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.services.synced, this.pods.synced, this.endpoints.synced]);
    if (signal.aborted) return;
    // Endpoints we wrote for services deleted while no controller ran.
    for (const ep of this.endpoints.store.list()) {
      const ns = ep.metadata?.namespace ?? '';
      const name = ep.metadata?.name ?? '';
      if (ep.metadata?.labels?.[SKIP_MIRROR_LABEL] === 'true' && !this.services.store.get(ns, name)) this.queue.add(`${ns}/${name}`);
    }
    await runWorkers(this, {
      workers: WORKERS,
      queue: this.queue,
      signal,
      onError: logSyncErrors(this.deps.log),
    });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ns = namespace ?? '';
    const svc = this.services.store.get(ns, name);
    const current = this.endpoints.store.get(ns, name);
    if (!svc) {
      if (current) await this.client.delete(endpointsKind, ns, name, { preconditions: { uid: current.metadata?.uid ?? '' } }).catch(rethrowUnless(ignorable));
      return;
    }
    if (!hasSelector(svc)) return;
    const pods = this.pods.store.list(ns).filter((p) => selects(svc, p.metadata?.labels));
    const { subsets, truncated } = buildSubsets(svc, pods);
    const labels = endpointsLabels(svc);
    const annotations: Record<string, string> = { ...(current?.metadata?.annotations ?? {}) };
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    if (
      current &&
      sameJson(current.subsets ?? [], subsets) &&
      sameJson(current.metadata?.labels ?? {}, labels) &&
      current.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION] === annotations[OVER_CAPACITY_ANNOTATION]
    )
      return;
    const trigger = lastChangeTime(svc, pods);
    if (trigger) annotations[TRIGGER_TIME_ANNOTATION] = trigger;
    const next: EndpointsObj = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(current?.metadata ?? {}), name, namespace: ns, labels, annotations },
      subsets,
    };
    try {
      if (current) await this.client.update(endpointsKind, ns, next);
      else await this.client.create(endpointsKind, ns, next);
    } catch (err) {
      if (ignorable(err)) return;
      // Conflicts and AlreadyExists only mean our cache was behind; the retry sorts them out quietly.
      if (!(err instanceof StatusError && (err.reason === 'Conflict' || err.reason === 'AlreadyExists'))) {
        const [reason, verb] = current ? ['FailedToUpdateEndpoint', 'update'] : ['FailedToCreateEndpoint', 'create'];
        this.recorder.event(next, 'Warning', reason, `Failed to ${verb} endpoint ${key}: ${err instanceof Error ? err.message : String(err)}`);
      }
      throw err;
    }
  }
}

function rethrowUnless(ok: (e: unknown) => boolean): (e: unknown) => undefined {
  return (e) => {
    if (ok(e)) return undefined;
    throw e;
  };
}
