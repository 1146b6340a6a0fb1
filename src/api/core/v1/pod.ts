// core/v1 Pod: the unit of scheduling, one or more containers sharing a network namespace and
// volumes on one node. Users and controllers create pods; the scheduler binds them to nodes; the
// kubelet runs them and reports status through the /status subresource.
import { obj, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { podKind as podKindNames } from '../../refs/index.js';
import { validateObjectMeta } from '../../validation/meta.js';
import { child, forbidden } from '../../../lib/field-errors.js';
import { PodSpec } from './pod-spec.js';
import { PodStatus } from './pod-status.js';
import { defaultPod } from './pod-defaults.js';
import { validatePodSpec } from './pod-validation.js';
import { validatePodSpecUpdate } from './pod-update-validation.js';

export { PodSpec, PodTemplateSpec } from './pod-spec.js';
export { PodStatus } from './pod-status.js';
export { Container, EphemeralContainer, ResourceRequirements } from './container.js';
export { EnvVar } from './container-env.js';
export { Volume } from './volume.js';
export { Toleration } from './pod-scheduling.js';
export { Affinity } from './affinity.js';
export { defaultPod, defaultPodSpec } from './pod-defaults.js';
export { validatePodSpec, validatePodTemplateSpec } from './pod-validation.js';
export { validatePodSpecUpdate } from './pod-update-validation.js';

export const Pod = obj(
  'A group of containers that run together on one node, sharing network and volumes.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: PodSpec,
    status: PodStatus,
  },
  { id: 'io.k8s.api.core.v1.Pod', ...describeKind('', 'v1', 'Pod') },
);
export type Pod = Static<typeof Pod>;

export const podKind = defineKind({
  ...podKindNames,
  status: true,
  schema: Pod,
  defaults: defaultPod,
  validate(pod, { old }) {
    const out = validateObjectMeta(pod.metadata, { namespaced: true });
    const spec = pod.spec ?? { containers: [] };
    out.push(...validatePodSpec(spec, 'spec', {}));
    if (!old) {
      // Ephemeral containers are only added later, through the ephemeralcontainers subresource.
      if ((spec.ephemeralContainers ?? []).length > 0) out.push(forbidden(child('spec', 'ephemeralContainers'), 'cannot be set on create'));
    } else {
      out.push(...validatePodSpecUpdate(spec, old.spec ?? { containers: [] }));
    }
    return out;
  },
  fields(pod) {
    const spec = pod.spec;
    return {
      'spec.nodeName': spec?.nodeName ?? '',
      'spec.restartPolicy': spec?.restartPolicy ?? '',
      'spec.schedulerName': spec?.schedulerName ?? '',
      'spec.serviceAccountName': spec?.serviceAccountName ?? '',
      'spec.hostNetwork': String(spec?.hostNetwork ?? false),
      'status.phase': pod.status?.phase ?? '',
      'status.podIP': pod.status?.podIP ?? '',
      'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
    };
  },
});
