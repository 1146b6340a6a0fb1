// The seam where container probes plug into the kubelet. After each sync the kubelet tells the
// prober which container instances of the pod are running (`sync`); while building the pod's
// status it asks whether each running container has started and is ready; and before acting it
// asks whether a failed liveness or startup probe wants a container restarted. A prober that runs
// real probes (probes/) keeps results in the background and calls `onChange` so the pod is
// re-synced when one flips. Without probes a running container is started and ready, as in
// Kubernetes; the fake prober adds the hollow nodes' tugboat.dev/fake-ready switch.
import type { Pod } from '../../api/core/v1/index.js';
import { fakeNeverReady } from '../cri/index.js';

export interface ProbeTarget {
  pod: Pod;
  containerName: string;
  containerId: string;
  /** Where httpGet and tcpSocket probes connect by default (the host's IP for hostNetwork pods). */
  podIP?: string;
  /** When the instance started (ms since the epoch), for initialDelaySeconds. */
  startedAt?: number;
}

export interface RestartRequest {
  probe: 'liveness' | 'startup';
  /** The probe's own terminationGracePeriodSeconds, overriding the pod's. */
  gracePeriodSeconds?: number;
}

export interface Prober {
  /**
   * Readiness of a running container from the latest probe result; undefined while a probed
   * container has no result yet (the kubelet then keeps what it last reported for that instance,
   * so an agent restart does not flip adopted pods to unready).
   */
  ready(t: ProbeTarget): boolean | undefined;
  /** Whether the container has started (its startup probe passed, or it has none). */
  started(t: ProbeTarget): boolean;
  /** Starts probing these running instances of the pod's containers and stops probing any other. */
  sync?(pod: Pod, running: ProbeTarget[]): void;
  /** Whether a failed liveness or startup probe wants this instance killed and restarted. */
  mustRestart?(t: ProbeTarget): RestartRequest | undefined;
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
