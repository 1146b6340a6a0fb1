// The event wiring both endpoint controllers share: a Service event queues that service; a pod
// event queues every service in the pod's namespace whose selector matches the pod's labels
// before or after the change — but only when something endpoints show changed (address,
// readiness, labels, deletion, node, ports), so status churn that endpoints ignore costs nothing.
import { keyFor, objectKeyOf, type Informer } from '../../client/index.js';
import { endpointRelevant, selects, type PodObj, type ServiceObj } from './pods.js';

export interface ServicePodWatch {
  services: Informer<ServiceObj>;
  pods: Informer<PodObj>;
  enqueue(serviceKey: string): void;
}

/** Queues the services in the pod's namespace that select it. */
export function enqueueServicesOf(w: ServicePodWatch, pod: PodObj, also?: PodObj): void {
  const ns = pod.metadata?.namespace ?? '';
  for (const svc of w.services.store.list(ns)) {
    if (selects(svc, pod.metadata?.labels) || (also && selects(svc, also.metadata?.labels))) w.enqueue(keyFor(ns, svc.metadata?.name ?? ''));
  }
}

export function watchServicesAndPods(w: ServicePodWatch): void {
  w.services.addHandlers({
    onAdd: (s) => w.enqueue(objectKeyOf(s)),
    onUpdate: (_o, s) => w.enqueue(objectKeyOf(s)),
    onDelete: (s) => w.enqueue(objectKeyOf(s)),
  });
  w.pods.addHandlers({
    onAdd: (p) => enqueueServicesOf(w, p),
    onUpdate: (old, p) => {
      if (old.metadata?.resourceVersion === p.metadata?.resourceVersion) return;
      if (endpointRelevant(old) !== endpointRelevant(p)) enqueueServicesOf(w, p, old);
    },
    onDelete: (p) => enqueueServicesOf(w, p),
  });
}
