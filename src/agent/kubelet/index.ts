// Public face of the kubelet package: the Kubelet, its options and timings, the node-scoped
// informer routing shared by the kubelets of one process, the prober seam, the API object caches
// kubelets share, and what a real node reports about its machine.
export { Kubelet } from './kubelet.js';
export { KUBELET_VERSION, DEFAULT_HOLLOW_CAPACITY, DEFAULT_TIMING, type KubeletOptions, type KubeletTiming, type NodeSettings, type KubeletHostOptions } from './options.js';
export { NodeScoped } from './node-scoped.js';
export { fakeProber, runningIsReadyProber, type Prober, type ProbeTarget } from './prober.js';
export { NODE_LEASE_NAMESPACE } from './node-lease.js';
export { PodObjects, podObjectsFor } from './api-objects.js';
export { machineNodeSettings, primaryIP } from './machine.js';
export { DEFAULT_CLUSTER_DNS, DEFAULT_CLUSTER_DOMAIN } from './dns-config.js';
export { type Mounter } from './volumes/index.js';
