// Starting one new instance of a container, as Kubernetes' kubelet does in startContainer: make
// sure its image is there (honouring imagePullPolicy and the pod's pull secrets), resolve its
// config (env, mounts, security, cgroups — a missing ConfigMap or Secret leaves it waiting with
// CreateContainerConfigError), create and start it, then run its postStart hook; a failed hook
// kills the instance (FailedPostStartHook), and the restart policy decides what happens next.
import type { Pod } from '../../api/core/v1/index.js';
import type { EventRecorder } from '../../client/index.js';
import type { Clock } from '../../lib/workqueue.js';
import type { ContainerKind, PodSandboxConfig, PodSandboxStatus, Runtime } from '../cri/index.js';
import { buildContainerConfig } from './container-config.js';
import { killContainer } from './container-stop.js';
import { ContainerConfigError, type EnvObjects } from './env/index.js';
import { ensureImage } from './images.js';
import { runHook } from './lifecycle.js';
import { containerHash, type PodContainer } from './pod-config.js';
import type { PodRun } from './pod-setup.js';
import type { Waiting } from './pod-status.js';
import type { RestartBackoff } from './restart-backoff.js';
import type { ContainerInstance } from './runtime-pod.js';

export interface StartDeps {
  runtime: Runtime;
  recorder: EventRecorder;
  backoff: RestartBackoff;
  clock: Clock;
  /** ConfigMaps, Secrets (env, pull secrets) and Services (service variables). */
  objects: EnvObjects;
  allocatable: Record<string, string>;
  memoryCapacity: number;
  hooks: boolean;
  pullErrors: Map<string, string>;
}

export interface StartRequest {
  uid: string;
  /** The pod as the API has it (events, hashes). */
  pod: Pod;
  run: PodRun;
  /** The container as the API has it. */
  container: PodContainer;
  kind: ContainerKind;
  attempt: number;
  sandbox: PodSandboxStatus;
  sandboxConfig: PodSandboxConfig;
}

export type StartResult = { started: true; id: string } | { started: false; waiting: Waiting; retryMs: number | undefined };

/** The container as the kubelet runs it (with the automounted service-account mount). */
export const runContainer = (run: PodRun, c: PodContainer): PodContainer =>
  [...(run.pod.spec?.initContainers ?? []), ...(run.pod.spec?.containers ?? [])].find((x) => x.name === c.name) ?? c;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function startContainer(d: StartDeps, r: StartRequest): Promise<StartResult> {
  const rt = d.runtime;
  const c = runContainer(r.run, r.container);
  const image = await ensureImage(
    { runtime: rt, recorder: d.recorder, backoff: d.backoff, clock: d.clock, objects: d.objects, pullErrors: d.pullErrors },
    { pod: r.pod, container: c, uid: r.uid, sandboxConfig: r.sandboxConfig },
  );
  if (image.waiting) return { started: false, waiting: image.waiting, retryMs: image.retryMs };
  const failed = (reason: string, err: unknown): StartResult => {
    const message = messageOf(err);
    d.recorder.event(r.pod, 'Warning', 'Failed', `Error: ${message}`);
    const key = `${r.uid}/${c.name}/start`;
    d.backoff.next(key, d.clock.now());
    return { started: false, waiting: { reason, message }, retryMs: d.backoff.current(key) };
  };
  let id: string;
  try {
    const config = await buildContainerConfig({
      pod: r.run.pod,
      container: c,
      kind: r.kind,
      attempt: r.attempt,
      hash: containerHash(r.container),
      runtime: rt,
      objects: d.objects,
      recorder: d.recorder,
      addresses: r.run.addresses,
      allocatable: d.allocatable,
      memoryCapacity: d.memoryCapacity,
      ...(r.run.volumes ? { volumes: r.run.volumes } : {}),
      ...(r.run.hostsFile ? { hostsFile: r.run.hostsFile } : {}),
    });
    id = await rt.createContainer({ podSandboxId: r.sandbox.id, config, sandboxConfig: r.sandboxConfig });
  } catch (err) {
    return failed(err instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'CreateContainerError', err);
  }
  d.recorder.event(r.pod, 'Normal', 'Created', `Created container: ${c.name}`);
  try {
    await rt.startContainer(id);
  } catch (err) {
    return failed('RunContainerError', err);
  }
  d.recorder.event(r.pod, 'Normal', 'Started', `Started container ${c.name}`);
  d.backoff.forget(`${r.uid}/${c.name}/start`);
  const postStart = c.lifecycle?.postStart;
  if (d.hooks && postStart) {
    const podIP = r.run.addresses.podIPs[0] ?? '';
    const failure = await runHook({ handler: postStart, pod: r.run.pod, container: c, containerId: id, podIP, runtime: rt, clock: d.clock });
    if (failure) {
      d.recorder.event(r.pod, 'Warning', 'FailedPostStartHook', failure);
      const st = await rt.containerStatus(id);
      const instance: ContainerInstance = { ...st, podSandboxId: r.sandbox.id };
      const grace = r.pod.spec?.terminationGracePeriodSeconds ?? 30;
      await killContainer({ runtime: rt, recorder: d.recorder, clock: d.clock, hooks: d.hooks }, { pod: r.pod, spec: c, instance, graceSeconds: grace, message: 'FailedPostStartHook', podIP });
      return { started: false, waiting: { reason: 'PostStartHookError', message: failure }, retryMs: undefined };
    }
  }
  return { started: true, id };
}
