// Stopping one container the way Kubernetes' kubelet kills it: say why (a `Killing` event), run
// its preStop hook within the grace period (a failure is a FailedPreStopHook event, and the stop
// goes on), then ask the runtime to stop it with what is left of the grace period — SIGTERM, then
// SIGKILL when it runs out — but at least 2 s after a hook, so the process still gets its SIGTERM.
import type { Pod } from '../../api/core/v1/index.js';
import type { EventRecorder } from '../../client/index.js';
import type { Clock } from '../../lib/workqueue.js';
import type { Runtime } from '../cri/index.js';
import { runHook } from './lifecycle.js';
import type { PodContainer } from './pod-config.js';
import type { ContainerInstance } from './runtime-pod.js';

const MIN_GRACE_AFTER_HOOK_SECONDS = 2;

export interface StopDeps {
  runtime: Runtime;
  recorder: EventRecorder;
  clock: Clock;
  /** Whether lifecycle hooks run (real nodes). */
  hooks: boolean;
}

export async function killContainer(
  d: StopDeps,
  o: { pod: Pod; spec: PodContainer | undefined; instance: ContainerInstance; graceSeconds: number; message: string; podIP: string },
): Promise<void> {
  d.recorder.event(o.pod, 'Normal', 'Killing', o.message);
  let grace = o.graceSeconds;
  const spec = o.spec;
  const preStop = spec?.lifecycle?.preStop;
  if (d.hooks && spec && preStop && o.instance.state === 'CONTAINER_RUNNING' && grace > 0) {
    const started = d.clock.now();
    const failure = await runHook({ handler: preStop, pod: o.pod, container: spec, containerId: o.instance.id, podIP: o.podIP, runtime: d.runtime, timeoutSeconds: grace, clock: d.clock });
    if (failure) d.recorder.event(o.pod, 'Warning', 'FailedPreStopHook', failure);
    grace = Math.max(MIN_GRACE_AFTER_HOOK_SECONDS, Math.ceil(grace - (d.clock.now() - started) / 1000));
  }
  await d.runtime.stopContainer(o.instance.id, grace);
}
