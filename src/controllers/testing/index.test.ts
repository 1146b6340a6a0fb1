// Public face of the controller test harness (no tests of its own; every file here is named
// *.test.ts so the build leaves it out): a real API server with our controllers run in-process,
// an injectable clock, the kubelet's part, and the object helpers the integration tests share.
export { eventually } from '../../../test/support/eventually.js';
export { TestClock } from './clock.test.js';
export { startCluster, type Cluster } from './cluster.test.js';
export { createNode, finishPod, markRunning, runningStatus, setPodIp, type FakeKubeletOptions, type RunningOptions } from './kubelet.test.js';
export { createNamespace, eventsFor, getOrUndefined, listPods } from './objects.test.js';
