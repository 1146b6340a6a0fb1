// Builds the API status of a pod from what the runtime reports, exactly as kubectl expects to read
// it: per-container state/lastState/restartCount/ready/started/image/imageID/containerID, the phase
// (derived from the containers like Kubernetes' kubelet does), the PodReadyToStartContainers,
// Initialized, Ready, ContainersReady and PodScheduled conditions with stable transition times,
// and the pod and host IPs. A pure function of its input, so it is tested without a server.
import type { Pod } from '../../api/core/v1/index.js';
import type { ContainerState as RuntimeState } from '../cri/index.js';
import { isSidecar, type PodContainer } from './pod-config.js';
import type { Prober } from './prober.js';
import type { ContainerInstance, RuntimePod } from './runtime-pod.js';

export type PodStatus = NonNullable<Pod['status']>;
export type ApiContainerStatus = NonNullable<PodStatus['containerStatuses']>[number];
export type PodCondition = NonNullable<PodStatus['conditions']>[number];
type ApiContainerState = NonNullable<ApiContainerStatus['state']>;
type Terminated = NonNullable<ApiContainerState['terminated']>;
export type Phase = NonNullable<PodStatus['phase']>;

export interface Waiting {
  reason: string;
  message?: string;
}

export interface StatusInput {
  pod: Pod;
  runtime: RuntimePod;
  /** Why the last sync left a container waiting (CrashLoopBackOff, ErrImagePull), by name. */
  waiting: ReadonlyMap<string, Waiting>;
  prober: Prober;
  hostIP: string;
  now: number;
  /** Prefix of container ids, e.g. `containerd` or `fake`. */
  runtimeName: string;
  /** When the kubelet first accepted the pod. */
  startTime: number;
  /** The status this kubelet last wrote (fresher than the informer's copy); else pod.status. */
  previous?: PodStatus;
  /** The pod is being deleted and its containers have stopped: the phase becomes terminal. */
  podIsTerminal?: boolean;
  /** A kubelet-decided failure (e.g. DeadlineExceeded) that overrides the derived phase. */
  failure?: { reason: string; message: string };
}

/** RFC 3339 with second precision, as metav1.Time is serialised. */
export const apiTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const isTerminalPhase = (phase: string | undefined): boolean => phase === 'Succeeded' || phase === 'Failed';

function terminatedOf(inst: ContainerInstance, containerID: string): Terminated {
  return {
    exitCode: inst.exitCode,
    reason: inst.reason || (inst.exitCode === 0 ? 'Completed' : 'Error'),
    ...(inst.message ? { message: inst.message } : {}),
    startedAt: apiTime(inst.startedAt || inst.createdAt),
    finishedAt: apiTime(inst.finishedAt || inst.startedAt || inst.createdAt),
    containerID,
  };
}

const isLive = (s: RuntimeState): boolean => s === 'CONTAINER_RUNNING';

function containerStatus(input: StatusInput, c: PodContainer, defaultWaiting: string): ApiContainerStatus {
  const instances = input.runtime.containers.get(c.name) ?? [];
  const [cur, prev] = instances;
  const override = input.waiting.get(c.name);
  const prior = input.previous ?? input.pod.status ?? {};
  const old = [...(prior.containerStatuses ?? []), ...(prior.initContainerStatuses ?? [])].find((s) => s.name === c.name);
  if (!cur) {
    return {
      name: c.name,
      state: { waiting: { reason: override?.reason ?? defaultWaiting, ...(override?.message ? { message: override.message } : {}) } },
      lastState: old?.lastState ?? {},
      ready: false,
      restartCount: old?.restartCount ?? 0,
      image: c.image ?? '',
      imageID: '',
      started: false,
    };
  }
  const id = (inst: ContainerInstance): string => `${input.runtimeName}://${inst.id}`;
  let state: ApiContainerState;
  // Without the previous instance (the runtime forgot it), the last reported lastState still holds.
  let lastState: ApiContainerState = prev ? { terminated: terminatedOf(prev, id(prev)) } : cur.metadata.attempt > 0 ? (old?.lastState ?? {}) : {};
  let ready = false;
  let started = false;
  if (isLive(cur.state)) {
    const target = { pod: input.pod, containerName: c.name, containerId: cur.id };
    started = input.prober.started(target);
    // No probe result yet for an instance this kubelet reported before (it restarted): keep what it said.
    const probed = input.prober.ready(target);
    ready = started && (probed ?? (old?.containerID === id(cur) ? (old.ready ?? false) : false));
    state = { running: { startedAt: apiTime(cur.startedAt) } };
  } else if (cur.state === 'CONTAINER_EXITED') {
    if (override) {
      state = { waiting: { reason: override.reason, ...(override.message ? { message: override.message } : {}) } };
      lastState = { terminated: terminatedOf(cur, id(cur)) };
    } else {
      state = { terminated: terminatedOf(cur, id(cur)) };
    }
  } else {
    state = { waiting: { reason: override?.reason ?? 'ContainerCreating', ...(override?.message ? { message: override.message } : {}) } };
  }
  return {
    name: c.name,
    state,
    lastState,
    ready,
    restartCount: cur.metadata.attempt,
    image: cur.image.image,
    imageID: cur.imageRef,
    containerID: id(cur),
    started,
  };
}

const succeededOnce = (s: ApiContainerStatus): boolean => s.state?.terminated?.exitCode === 0;
const failedOnce = (s: ApiContainerStatus): boolean =>
  (s.state?.terminated !== undefined && s.state.terminated.exitCode !== 0) || (s.state?.waiting !== undefined && (s.lastState?.terminated?.exitCode ?? 0) !== 0);

/** The pod phase from its containers' states, as Kubernetes' kubelet derives it. */
export function podPhase(pod: Pod, init: ApiContainerStatus[], app: ApiContainerStatus[], podIsTerminal: boolean): Phase {
  const spec = pod.spec ?? { containers: [] };
  const policy = spec.restartPolicy ?? 'Always';
  let pendingInit = false;
  (spec.initContainers ?? []).forEach((c, i) => {
    const s = init[i];
    if (!s) return;
    if (isSidecar(c)) {
      if (!s.state?.running && !s.lastState?.terminated && !s.state?.terminated) pendingInit = true;
      return;
    }
    if (!succeededOnce(s)) pendingInit = true;
  });
  const initFailed = (spec.initContainers ?? []).some((c, i) => !isSidecar(c) && init[i] !== undefined && failedOnce(init[i]) && policy === 'Never');
  if (initFailed) return 'Failed';
  if (pendingInit && !podIsTerminal) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of app) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) {
      stopped++;
      if (s.lastState.terminated.exitCode === 0) succeeded++;
    } else waiting++;
  }
  if (podIsTerminal && running === 0) return stopped === succeeded && waiting === 0 ? 'Succeeded' : 'Failed';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(old: PodCondition[], now: number, c: Omit<PodCondition, 'lastTransitionTime'>): PodCondition {
  const prev = old.find((o) => o.type === c.type);
  const lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : apiTime(now);
  const out: PodCondition = { type: c.type, status: c.status, lastTransitionTime };
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

const OWNED_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

export function generatePodStatus(input: StatusInput): PodStatus {
  const pod = input.pod;
  const spec = pod.spec ?? { containers: [] };
  const old = input.previous ?? pod.status ?? {};
  const apiConditions = pod.status?.conditions ?? [];
  const oldConditions = old.conditions ?? apiConditions;
  const initSpecs = spec.initContainers ?? [];
  const init = initSpecs.map((c) => containerStatus(input, c, 'PodInitializing'));
  const regularInitDone = initSpecs.every((c, i) => isSidecar(c) || (init[i] !== undefined && succeededOnce(init[i])));
  const app = spec.containers.map((c) => containerStatus(input, c, regularInitDone ? 'ContainerCreating' : 'PodInitializing'));
  let phase = podPhase(pod, init, app, input.podIsTerminal ?? false);
  if (input.failure) phase = 'Failed';

  const sandboxReady = input.runtime.sandbox?.state === 'SANDBOX_READY';
  // Sidecars count towards readiness like app containers; regular init containers do not.
  const unready: string[] = [];
  initSpecs.forEach((c, i) => {
    if (isSidecar(c) && !init[i]?.ready) unready.push(c.name);
  });
  spec.containers.forEach((c, i) => {
    if (!app[i]?.ready) unready.push(c.name);
  });
  const incompleteInit = initSpecs.filter((c, i) => !isSidecar(c) && !(init[i] && succeededOnce(init[i]))).map((c) => c.name);
  const completed = phase === 'Succeeded';
  const containersReady = unready.length === 0 && !completed;
  const gates = (spec.readinessGates ?? []).map((g) => g.conditionType).filter((t) => apiConditions.find((o) => o.type === t)?.status !== 'True');
  const notReady = completed
    ? { reason: 'PodCompleted' }
    : unready.length > 0
      ? { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` }
      : undefined;
  const readyCond = notReady ?? (gates.length > 0 ? { reason: 'ReadinessGatesNotReady', message: `corresponding condition of pod readiness gate "${gates[0]}" does not exist.` } : undefined);

  const conditions: PodCondition[] = [
    condition(oldConditions, input.now, { type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' }),
    condition(
      oldConditions,
      input.now,
      incompleteInit.length === 0
        ? { type: 'Initialized', status: 'True', ...(completed && initSpecs.length > 0 ? { reason: 'PodCompleted' } : {}) }
        : { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incompleteInit.join(' ')}]` },
    ),
    condition(oldConditions, input.now, readyCond ? { type: 'Ready', status: 'False', ...readyCond } : { type: 'Ready', status: 'True' }),
    condition(oldConditions, input.now, containersReady ? { type: 'ContainersReady', status: 'True' } : { type: 'ContainersReady', status: 'False', ...(notReady ?? {}) }),
    condition(oldConditions, input.now, { type: 'PodScheduled', status: 'True' }),
    ...apiConditions.filter((o) => !OWNED_CONDITIONS.has(o.type)),
  ];

  const sandboxIP = input.runtime.sandbox?.state === 'SANDBOX_READY' ? input.runtime.sandbox.network?.ip : undefined;
  const podIP = spec.hostNetwork ? input.hostIP : sandboxIP || old.podIP;
  const status: PodStatus = {
    phase,
    conditions,
    ...(input.failure ? { reason: input.failure.reason, message: input.failure.message } : {}),
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: old.startTime ?? apiTime(input.startTime),
    ...(initSpecs.length > 0 ? { initContainerStatuses: init } : {}),
    containerStatuses: app,
    ...(pod.status?.qosClass ? { qosClass: pod.status.qosClass } : {}),
    ...(pod.status?.nominatedNodeName ? { nominatedNodeName: pod.status.nominatedNodeName } : {}),
  };
  return status;
}
