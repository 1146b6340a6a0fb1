// The kubelet's Prober for real containers: one worker per probe of each running container
// instance, started when the kubelet reports the instance running and stopped when it is gone.
// Results are kept per container id — started (startup probe passed, or there is none), ready
// (readiness probe, or started), and whether a failed liveness or startup probe wants the
// container restarted — and any change asks the kubelet to re-sync the pod.
import type { EventRecorder } from '../../../client/index.js';
import type { Clock } from '../../../lib/workqueue.js';
import type { Pod } from '../../../api/core/v1/index.js';
import type { Runtime } from '../../cri/index.js';
import type { PodContainer } from '../pod-config.js';
import type { Prober, ProbeTarget, RestartRequest } from '../prober.js';
import { ProbeWorker, type ProbeResult, type ProbeType } from './worker.js';

interface ContainerProbes {
  podUid: string;
  workers: ProbeWorker[];
  started: boolean;
  /** Latest counted readiness result; undefined before the first one. */
  ready: boolean | undefined;
  restart: RestartRequest | undefined;
}

const containersOf = (pod: Pod): PodContainer[] => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];

export class ProbeManager implements Prober {
  private readonly byContainer = new Map<string, ContainerProbes>();
  private readonly listeners: ((podUid: string) => void)[] = [];

  constructor(private readonly d: { runtime: Runtime; recorder: EventRecorder; clock: Clock }) {}

  onChange(fn: (podUid: string) => void): void {
    this.listeners.push(fn);
  }

  private changed(uid: string): void {
    for (const fn of this.listeners) fn(uid);
  }

  private spec(t: ProbeTarget): PodContainer | undefined {
    return containersOf(t.pod).find((c) => c.name === t.containerName);
  }

  started(t: ProbeTarget): boolean {
    const st = this.byContainer.get(t.containerId);
    if (st) return st.started;
    return !this.spec(t)?.startupProbe;
  }

  ready(t: ProbeTarget): boolean | undefined {
    const c = this.spec(t);
    const st = this.byContainer.get(t.containerId);
    if (!st) return c?.readinessProbe || c?.startupProbe ? undefined : true;
    if (!st.started) return false;
    return c?.readinessProbe ? st.ready : true;
  }

  mustRestart(t: ProbeTarget): RestartRequest | undefined {
    return this.byContainer.get(t.containerId)?.restart;
  }

  sync(pod: Pod, running: ProbeTarget[]): void {
    const uid = pod.metadata?.uid ?? '';
    const live = new Set(running.map((t) => t.containerId));
    for (const [id, st] of this.byContainer) {
      if (st.podUid === uid && !live.has(id)) this.drop(id);
    }
    for (const t of running) {
      if (this.byContainer.has(t.containerId)) continue;
      const c = this.spec(t);
      if (!c || !(c.livenessProbe || c.readinessProbe || c.startupProbe)) continue;
      this.track(pod, c, t);
    }
  }

  private track(pod: Pod, c: PodContainer, t: ProbeTarget): void {
    const uid = pod.metadata?.uid ?? '';
    const st: ContainerProbes = { podUid: uid, workers: [], started: !c.startupProbe, ready: undefined, restart: undefined };
    this.byContainer.set(t.containerId, st);
    const onResult = (type: ProbeType, result: ProbeResult): void => {
      if (this.byContainer.get(t.containerId) !== st) return;
      if (type === 'startup' && result === 'success' && !st.started) {
        st.started = true;
        this.changed(uid);
      } else if (type === 'readiness' && st.ready !== (result === 'success')) {
        st.ready = result === 'success';
        this.changed(uid);
      } else if ((type === 'liveness' || type === 'startup') && result === 'failure' && !st.restart) {
        const probe = type === 'liveness' ? c.livenessProbe : c.startupProbe;
        st.restart = { probe: type, ...(probe?.terminationGracePeriodSeconds !== undefined ? { gracePeriodSeconds: probe.terminationGracePeriodSeconds } : {}) };
        this.changed(uid);
      }
    };
    const probes: [ProbeType, NonNullable<PodContainer['livenessProbe']> | undefined][] = [
      ['startup', c.startupProbe],
      ['readiness', c.readinessProbe],
      ['liveness', c.livenessProbe],
    ];
    for (const [type, probe] of probes) {
      if (!probe) continue;
      const w = new ProbeWorker(type, t.containerId, {
        pod,
        container: c,
        probe,
        podIP: t.podIP ?? '',
        startedAt: t.startedAt ?? this.d.clock.now(),
        deps: { runtime: this.d.runtime, recorder: this.d.recorder, clock: this.d.clock, started: () => st.started, onResult },
      });
      st.workers.push(w);
    }
    for (const w of st.workers) w.start();
  }

  private drop(containerId: string): void {
    const st = this.byContainer.get(containerId);
    if (!st) return;
    for (const w of st.workers) w.stop();
    this.byContainer.delete(containerId);
  }

  forget(podUid: string): void {
    for (const [id, st] of this.byContainer) if (st.podUid === podUid) this.drop(id);
  }

  /** Stops every worker (the kubelet is shutting down). */
  stop(): void {
    for (const id of [...this.byContainer.keys()]) this.drop(id);
  }
}
