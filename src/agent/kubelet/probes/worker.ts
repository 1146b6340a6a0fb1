// One probe of one container instance, run periodically like Kubernetes' probe worker: the first
// attempt at once and then every periodSeconds, skipping attempts within initialDelaySeconds of
// the container's start; liveness and readiness wait until the startup probe passed, which then
// stops. A result only counts after successThreshold successes or failureThreshold failures in a
// row; a failed liveness or startup probe puts the worker on hold (its container gets restarted,
// and the new instance gets a new worker). Every failed attempt is an `Unhealthy` event.
import type { Pod } from '../../../api/core/v1/index.js';
import type { EventRecorder } from '../../../client/index.js';
import type { Clock } from '../../../lib/workqueue.js';
import type { Runtime } from '../../cri/index.js';
import type { PodContainer } from '../pod-config.js';
import { runProbe, type Probe } from './run-probe.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure';

const LABEL: Record<ProbeType, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export interface WorkerDeps {
  runtime: Runtime;
  recorder: EventRecorder;
  clock: Clock;
  /** Whether the container's startup probe (if any) has passed. */
  started(): boolean;
  /** A result that counts (threshold reached) differs from the last one. */
  onResult(type: ProbeType, result: ProbeResult, message: string): void;
}

export class ProbeWorker {
  private timer: { cancel(): void } | undefined;
  private stopped = false;
  private last: ProbeResult | undefined;
  private run = 0;
  private onHold = false;
  private inFlight = false;

  constructor(
    readonly type: ProbeType,
    readonly containerId: string,
    private readonly o: { pod: Pod; container: PodContainer; probe: Probe; podIP: string; startedAt: number; deps: WorkerDeps },
  ) {}

  start(): void {
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.o.deps.clock.setTimeout(() => this.tick(), (this.o.probe.periodSeconds ?? 10) * 1000);
  }

  private tick(): void {
    if (this.stopped || this.inFlight) return;
    this.inFlight = true;
    this.attempt()
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = false;
        this.schedule();
      });
  }

  private async attempt(): Promise<void> {
    const { deps, probe } = this.o;
    if (this.onHold) return;
    if (deps.clock.now() - this.o.startedAt < (probe.initialDelaySeconds ?? 0) * 1000) return;
    const started = deps.started();
    if (this.type !== 'startup' && !started) return;
    if (this.type === 'startup' && started) return;
    const r = await runProbe({ probe, container: this.o.container, containerId: this.containerId, podIP: this.o.podIP, runtime: deps.runtime });
    if (this.stopped) return;
    const label = LABEL[this.type];
    if (r.result === 'warning') deps.recorder.event(this.o.pod, 'Warning', 'ProbeWarning', `${label} probe warning: ${r.output}`);
    const result: ProbeResult = r.result === 'failure' ? 'failure' : 'success';
    if (result === 'failure') deps.recorder.event(this.o.pod, 'Warning', 'Unhealthy', `${label} probe failed: ${r.output}`);
    this.run = result === this.last ? this.run + 1 : 1;
    this.last = result;
    const threshold = result === 'failure' ? (probe.failureThreshold ?? 3) : (probe.successThreshold ?? 1);
    if (this.run < threshold) return;
    if (result === 'failure' && this.type !== 'readiness') {
      this.onHold = true;
      this.run = 0;
    }
    deps.onResult(this.type, result, r.output);
  }
}
