// Public face of the kubelet package: the Kubelet, its options and timings, the node-scoped
// informer routing shared by the kubelets of one process, and the prober seam.
export { Kubelet } from './kubelet.js';
export { KUBELET_VERSION, DEFAULT_HOLLOW_CAPACITY, DEFAULT_TIMING, type KubeletOptions, type KubeletTiming, type NodeSettings } from './options.js';
export { NodeScoped } from './node-scoped.js';
export { fakeProber, runningIsReadyProber, type Prober, type ProbeTarget } from './prober.js';
export { NODE_LEASE_NAMESPACE } from './node-lease.js';
