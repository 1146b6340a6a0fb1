// Kubernetes defaults for pod specs and pods, applied in place before validation.
// `defaultPodSpec` applies what Kubernetes applies to every PodSpec, including workload
// templates; `defaultPod` adds what only real pods get (request-from-limit defaults, service
// links, host-network ports, and the values the ServiceAccount and Priority admission plugins
// fill in), so `kubectl get deployment -o yaml` and `kubectl get pod -o yaml` look as they do on
// Kubernetes.
import type { PodSpec } from './pod-spec.js';
import type { Pod } from './pod.js';
import type { Container } from './container.js';
import { defaultContainer, normalizeResourceMap } from './container-defaults.js';
import { defaultVolume } from './volume-defaults.js';

export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.containers ??= [];
  for (const c of spec.containers) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
  normalizeResourceMap(spec.overhead);
  normalizeResourceMap(spec.resources?.limits);
  normalizeResourceMap(spec.resources?.requests);
  // serviceAccount is the deprecated spelling; Kubernetes keeps the two in step.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
}

export function defaultPod(pod: Pod): void {
  pod.spec ??= { containers: [] };
  const spec = pod.spec;
  defaultPodSpec(spec);
  spec.enableServiceLinks ??= true;
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) defaultRequestsFromLimits(c);
  if (spec.hostNetwork) {
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      for (const p of c.ports ?? []) p.hostPort ??= p.containerPort;
    }
  }
  // Kubernetes' ServiceAccount admission plugin assigns the namespace's default account.
  spec.serviceAccountName ||= 'default';
  spec.serviceAccount = spec.serviceAccountName;
  // Priority admission: without a class the pod gets priority 0 and may preempt. With a class the
  // priority comes from the PriorityClass, which admission resolves, so it is not guessed here.
  if (!spec.priorityClassName) spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
}

/** A container that states only a limit requests that much. */
function defaultRequestsFromLimits(c: Container): void {
  const limits = c.resources?.limits;
  if (!limits || Object.keys(limits).length === 0) return;
  const resources = (c.resources ??= {});
  const requests = (resources.requests ??= {});
  for (const [name, q] of Object.entries(limits)) if (!(name in requests)) requests[name] = q;
}
