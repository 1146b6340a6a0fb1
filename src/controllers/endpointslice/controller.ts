// The EndpointSlice controller: for every Service with a selector it keeps EndpointSlices
// (labelled with the service name and this controller as manager, owned by the Service) listing
// the pods the selector picks that have an IP, with their readiness conditions, node, zone and
// resolved ports, at most 100 endpoints per slice. Slices are updated in place when they can be
// (see plan.ts); the slices of a deleted or selector-less service are removed.
import type { ApiObject } from '../../api/kind.js';
import { nodeKind, podKind, serviceKind, type Node } from '../../api/core/v1/index.js';
import { endpointSliceKind, type EndpointSlice, type EndpointPort } from '../../api/discovery/v1/index.js';
import { splitKey, type Client, type EventRecorder, type Informer } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { WorkQueue, logSyncErrors, runWorkers, type ControllerDeps } from '../runtime/index.js';
import { desiredEndpoints, canonical, ZONE_LABEL } from './desired.js';
import { planSlices, type Plan } from './plan.js';
import { hasSelector, lastChangeTime, selects, serviceFamilies, type Family, type PodObj, type ServiceObj } from './pods.js';
import { SliceTracker } from './tracker.js';
import { enqueueServicesOf, watchServicesAndPods } from './watch.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGER = 'endpointslice-controller.k8s.io';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
const MAX_PER_SLICE = 100;
const WORKERS = 5;
const SLICES_BY_SERVICE = 'endpointslice-service';
const PODS_BY_NODE = 'endpointslice-node';

type SliceObj = EndpointSlice & ApiObject;

const managedServiceKey = (s: SliceObj): string[] => {
  const l = s.metadata?.labels ?? {};
  const svc = l[SERVICE_NAME_LABEL];
  return l[MANAGED_BY_LABEL] === MANAGER && svc ? [`${s.metadata?.namespace ?? ''}/${svc}`] : [];
};

const ownedBy = (s: SliceObj, svc: ServiceObj): boolean => (s.metadata?.ownerReferences ?? []).some((r) => r.kind === 'Service' && r.uid === svc.metadata?.uid);

const ignorable = (e: unknown): boolean =>
  e instanceof StatusError && (e.reason === 'NotFound' || (e.reason === 'Forbidden' && (e.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')));

/** Slice labels: the service's own (minus the reserved ones), then the ones this controller owns. */
export function sliceLabels(svc: ServiceObj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata?.labels ?? {})) if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL && k !== HEADLESS_LABEL) out[k] = v;
  if (svc.spec?.clusterIP === 'None') out[HEADLESS_LABEL] = '';
  out[SERVICE_NAME_LABEL] = svc.metadata?.name ?? '';
  out[MANAGED_BY_LABEL] = MANAGER;
  return out;
}

export class EndpointSliceController {
  readonly name = 'endpointslice';
  private readonly queue: WorkQueue;
  private readonly client: Client;
  private readonly services: Informer<ServiceObj>;
  private readonly pods: Informer<PodObj>;
  private readonly slices: Informer<SliceObj>;
  private readonly nodes: Informer<Node & ApiObject>;
  private readonly tracker: SliceTracker;
  private readonly recorder: EventRecorder;

  constructor(private readonly deps: ControllerDeps) {
    this.client = deps.client;
    this.queue = new WorkQueue({ clock: deps.clock });
    this.tracker = new SliceTracker(() => deps.clock.now());
    this.recorder = deps.recorder('endpoint-slice-controller');
    this.services = deps.informers.for<ServiceObj>(serviceKind);
    this.pods = deps.informers.for<PodObj>(podKind);
    this.slices = deps.informers.for<SliceObj>(endpointSliceKind);
    this.nodes = deps.informers.for<Node & ApiObject>(nodeKind);
    this.slices.store.addIndex(SLICES_BY_SERVICE, managedServiceKey);
    this.pods.store.addIndex(PODS_BY_NODE, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    const enqueue = (key: string): void => this.queue.add(key);
    watchServicesAndPods({ services: this.services, pods: this.pods, enqueue });
    // Someone editing or deleting one of our slices gets it put back.
    const onSlice = (s: SliceObj): void => managedServiceKey(s).forEach(enqueue);
    this.slices.addHandlers({ onAdd: onSlice, onUpdate: (_o, s) => onSlice(s), onDelete: onSlice });
    // Zones come from nodes, and pods on a node that did not exist yet were left out.
    const onNode = (n: Node & ApiObject): void => {
      for (const p of this.pods.store.byIndex(PODS_BY_NODE, n.metadata?.name ?? '')) enqueueServicesOf({ services: this.services, pods: this.pods, enqueue }, p);
    };
    this.nodes.addHandlers({
      onAdd: onNode,
      onUpdate: (old, n) => {
        if (old.metadata?.labels?.[ZONE_LABEL] !== n.metadata?.labels?.[ZONE_LABEL]) onNode(n);
      },
      onDelete: onNode,
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.services.synced, this.pods.synced, this.slices.synced, this.nodes.synced]);
    if (signal.aborted) return;
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
    if (this.tracker.stale(key, (n) => this.slices.store.get(ns, n))) {
      this.queue.addAfter(key, 100);
      return;
    }
    const svc = this.services.store.get(ns, name);
    const current = this.slices.store.byIndex(SLICES_BY_SERVICE, key).filter((s) => !s.metadata?.deletionTimestamp);
    if (!svc || !hasSelector(svc)) {
      await this.apply(key, { create: [], update: [], delete: current });
      if (!svc) this.tracker.forget(key);
      return;
    }
    const pods = this.pods.store.list(ns).filter((p) => selects(svc, p.metadata?.labels));
    const desired = desiredEndpoints(svc, pods, (n) => this.nodes.store.get(undefined, n));
    const families = serviceFamilies(svc);
    const labels = sliceLabels(svc);
    const plan: Plan = { create: [], update: [], delete: current.filter((s) => !ownedBy(s, svc) || !families.includes(s.addressType as Family)) };
    for (const family of families) {
      const p = planSlices({
        existing: current.filter((s) => ownedBy(s, svc) && s.addressType === family),
        desired: desired.byFamily.get(family) ?? new Map(),
        blank: (ports) => this.blank(svc, { family, ports, labels }),
        labels,
        max: MAX_PER_SLICE,
      });
      plan.create.push(...p.create);
      plan.update.push(...p.update);
      plan.delete.push(...p.delete);
    }
    const trigger = lastChangeTime(svc, pods);
    for (const s of [...plan.create, ...plan.update]) if (trigger) s.metadata = { ...s.metadata, annotations: { ...s.metadata?.annotations, [TRIGGER_TIME_ANNOTATION]: trigger } };
    try {
      await this.apply(key, plan);
    } catch (err) {
      // A conflict only means our cache was behind; the retry sorts it out without alarming anyone.
      if (!(err instanceof StatusError && (err.reason === 'Conflict' || err.reason === 'AlreadyExists')))
        this.recorder.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    if (desired.skipped.length > 0) throw new Error(`skipped pods ${desired.skipped.join(', ')}: their nodes do not exist`);
  }

  private blank(svc: ServiceObj, o: { family: Family; ports: EndpointPort[]; labels: Record<string, string> }): SliceObj {
    return {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        generateName: `${svc.metadata?.name ?? ''}-`,
        namespace: svc.metadata?.namespace ?? '',
        labels: { ...o.labels },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata?.name ?? '', uid: svc.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      addressType: o.family,
      endpoints: [],
      ports: structuredClone(o.ports),
    };
  }

  /** Writes the plan; every write is tracked until the cache shows it. Errors requeue the service. */
  private async apply(key: string, plan: Plan): Promise<void> {
    const ns = splitKey(key).namespace ?? '';
    const errors: unknown[] = [];
    const run = async (fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        if (!ignorable(err)) errors.push(err);
      }
    };
    for (const s of plan.create) {
      await run(async () => {
        const made = await this.client.create<SliceObj>(endpointSliceKind, ns, s);
        this.tracker.created(key, made.metadata?.name ?? '');
      });
    }
    for (const s of plan.update) {
      const cached = this.slices.store.get(ns, s.metadata?.name ?? '');
      if (cached && canonical(cached) === canonical(s)) continue;
      await run(async () => {
        await this.client.update<SliceObj>(endpointSliceKind, ns, s);
        this.tracker.updated(key, s.metadata?.name ?? '', s.metadata?.resourceVersion ?? '');
      });
    }
    for (const s of plan.delete) {
      await run(async () => {
        await this.client.delete(endpointSliceKind, ns, s.metadata?.name ?? '', { preconditions: { uid: s.metadata?.uid ?? '' } });
        this.tracker.deleted(key, s.metadata?.name ?? '');
      });
    }
    if (errors.length > 0) throw errors[0];
  }
}
