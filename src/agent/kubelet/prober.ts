// The seam where container probes plug into the kubelet. The kubelet asks the prober, while
// building a pod's status, whether each running container is ready; a prober that runs real
// probes (exec through the runtime, HTTP, TCP — issue #4) caches results in the background and
// calls `onChange` so the pod is re-synced when a result flips. Without probes a running container
// is ready, as in Kubernetes; the fake prober adds the hollow nodes' tugboat.dev/fake-ready switch.
import type { Pod } from '../../api/core/v1/index.js';
import { fakeNeverReady } from '../cri/index.js';

export interface ProbeTarget {
  pod: Pod;
  containerName: string;
  containerId: string;
}

export interface Prober {
  /** Readiness of a running container, from the latest probe result. */
  ready(t: ProbeTarget): boolean;
  /** Whether the container has started (its startup probe passed, or it has none). */
  started(t: ProbeTarget): boolean;
  /** The kubelet stopped tracking this pod; drop its probe loops and results. */
  forget?(podUid: string): void;
  /** Registers the callback a prober uses to ask for a pod re-sync when a result changes. */
  onChange?(fn: (podUid: string) => void): void;
}

/** No probes at all: running means started and ready. */
export const runningIsReadyProber: Prober = {
  ready: () => true,
  started: () => true,
};

/** For hollow nodes: ready once running unless the pod says `tugboat.dev/fake-ready: "false"`. */
export const fakeProber: Prober = {
  ready: (t) => !fakeNeverReady(t.pod.metadata?.annotations, t.containerName),
  started: () => true,
};
