// Finding what a streaming request is about, as the kubelet does: the pod (from the agent's own
// view of the pods bound to it), the runtime of the node it runs on, and then the runtime
// container or sandbox. Logs follow the pod's reported container statuses, so `--previous` means
// exactly what `kubectl describe` shows as lastState; exec and attach need a running instance;
// port-forward needs a ready sandbox. Failures carry the status code and the kubelet's wording.
import type { Pod } from '../../api/core/v1/index.js';
import { RuntimeNotFoundError, type Runtime } from '../cri/index.js';

export class HttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface TargetSource {
  /** The pod as this agent knows it, by namespace and name. */
  getPod(namespace: string, name: string): Pod | undefined | Promise<Pod | undefined>;
  /** The runtime running a node's pods (one per hollow node, or the only one). */
  runtimeFor(nodeName: string): Runtime | undefined;
}

export interface PodTarget {
  pod: Pod;
  uid: string;
  runtime: Runtime;
}

// The kubelet's own labels on runtime objects; duplicated from kubelet/pod-config.ts, which is
// not exported, because the label values are the contract with the runtime, not kubelet code.
const POD_UID_LABEL = 'io.kubernetes.pod.uid';
const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';

export async function findPod(src: TargetSource, namespace: string, name: string, uid?: string): Promise<PodTarget> {
  const pod = await src.getPod(namespace, name);
  if (!pod || (uid && pod.metadata?.uid !== uid)) throw new HttpError(404, `pod "${name}" does not exist`);
  const runtime = src.runtimeFor(pod.spec?.nodeName ?? '');
  if (!runtime) throw new HttpError(404, `pod "${name}" does not run on this node`);
  return { pod, uid: pod.metadata?.uid ?? '', runtime };
}

function hasContainer(pod: Pod, container: string): boolean {
  const s = pod.spec;
  const all = [...(s?.containers ?? []), ...(s?.initContainers ?? []), ...((s as { ephemeralContainers?: { name: string }[] } | undefined)?.ephemeralContainers ?? [])];
  return all.some((c) => c.name === container);
}

export function requireContainer(pod: Pod, container: string): void {
  if (!hasContainer(pod, container)) throw new HttpError(404, `container "${container}" not found in pod "${pod.metadata?.name ?? ''}"`);
}

const runtimeId = (containerID: string | undefined): string => (containerID ?? '').replace(/^[^:]*:\/\//, '');

interface TerminatedLike {
  containerID?: string;
}

/** The runtime container whose log `kubectl logs [--previous]` should show, as the kubelet picks it. */
export function logContainerId(pod: Pod, container: string, previous: boolean): string {
  const podName = pod.metadata?.name ?? '';
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const st = statuses.find((s) => s.name === container);
  if (!st) throw new HttpError(400, `container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
  const last = (st.lastState?.terminated as TerminatedLike | undefined)?.containerID;
  if (previous) {
    if (!last) throw new HttpError(400, `previous terminated container "${container}" in pod "${podName}" not found`);
    return runtimeId(last);
  }
  if (st.state?.running) return runtimeId(st.containerID);
  if (st.state?.terminated) {
    const id = (st.state.terminated as TerminatedLike).containerID || st.containerID || last;
    if (id) return runtimeId(id);
    throw new HttpError(400, `container "${container}" in pod "${podName}" is terminated`);
  }
  if (last) return runtimeId(last);
  const reason = st.state?.waiting?.reason ?? 'ContainerCreating';
  const why = reason === 'ErrImagePull' ? 'image can\'t be pulled' : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
  throw new HttpError(400, `container "${container}" in pod "${podName}" is waiting to start: ${why}`);
}

/** The log file of a runtime container. */
export async function logPathOf(runtime: Runtime, containerId: string): Promise<string> {
  try {
    const st = await runtime.containerStatus(containerId);
    if (!st.logPath) throw new HttpError(400, `container ${containerId} has no log file`);
    return st.logPath;
  } catch (err) {
    if (err instanceof RuntimeNotFoundError) throw new HttpError(400, `failed to get container status "${containerId}": ${err.message}`);
    throw err;
  }
}

/** The running instance of a container, for exec and attach. */
export async function runningContainer(t: PodTarget, container: string): Promise<string> {
  const list = await t.runtime.listContainers({ state: 'CONTAINER_RUNNING', labelSelector: { [POD_UID_LABEL]: t.uid, [CONTAINER_NAME_LABEL]: container } });
  const newest = list.sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!newest) throw new HttpError(404, `container not found ("${container}")`);
  return newest.id;
}

/** The ready sandbox of a pod, for port-forward. */
export async function readySandbox(t: PodTarget): Promise<string> {
  const list = await t.runtime.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { [POD_UID_LABEL]: t.uid } });
  const newest = list.sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!newest) throw new HttpError(404, `pod "${t.pod.metadata?.name ?? ''}" has no running sandbox`);
  return newest.id;
}
