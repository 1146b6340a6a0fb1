// A pod as the runtime sees it: its sandboxes (newest first) and, per container name, every
// instance still kept (newest first, with full status). The kubelet reads this fresh at each sync
// instead of trusting its memory, so it recovers whatever the runtime still holds after a restart.
import { RuntimeNotFoundError, type ContainerStatus, type PodSandbox, type PodSandboxStatus, type Runtime } from '../cri/index.js';
import { POD_UID_LABEL } from './pod-config.js';

export interface ContainerInstance extends ContainerStatus {
  podSandboxId: string;
}

export interface RuntimePod {
  /** The newest sandbox with its status (network), if any. */
  sandbox: PodSandboxStatus | undefined;
  sandboxes: PodSandbox[];
  containers: Map<string, ContainerInstance[]>;
}

export async function readRuntimePod(rt: Runtime, uid: string): Promise<RuntimePod> {
  const selector = { [POD_UID_LABEL]: uid };
  const [sandboxes, listed] = await Promise.all([rt.listPodSandbox({ labelSelector: selector }), rt.listContainers({ labelSelector: selector })]);
  sandboxes.sort((a, b) => b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt);
  const newest = sandboxes[0];
  let sandbox: PodSandboxStatus | undefined;
  if (newest) sandbox = await rt.podSandboxStatus(newest.id).catch(ignoreNotFound);
  const containers = new Map<string, ContainerInstance[]>();
  const statuses = await Promise.all(
    listed.map(async (c) => {
      const st = await rt.containerStatus(c.id).catch(ignoreNotFound);
      return st ? { ...st, podSandboxId: c.podSandboxId } : undefined;
    }),
  );
  for (const st of statuses) {
    if (!st) continue;
    const list = containers.get(st.metadata.name) ?? [];
    list.push(st);
    containers.set(st.metadata.name, list);
  }
  for (const list of containers.values()) list.sort((a, b) => b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt);
  return { sandbox, sandboxes, containers };
}

function ignoreNotFound(err: unknown): undefined {
  if (err instanceof RuntimeNotFoundError) return undefined;
  throw err;
}
