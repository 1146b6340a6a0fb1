// Public face of the env folder: a container's environment (envFrom, env with valueFrom and
// `$(VAR)` expansion, service variables) and the downward API values volumes reuse.
export { containerEnv, ContainerConfigError, type EnvInput, type EnvObjects } from './resolve.js';
export { expand, lookupIn } from './expand.js';
export { podFieldValue, resourceFieldValue, formatMap, FieldRefError, type PodAddresses, type ResourceRef } from './field-ref.js';
export { serviceEnv, servicesForPod } from './service-env.js';
