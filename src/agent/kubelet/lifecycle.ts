// Container lifecycle hooks: postStart runs right after the container starts (a failure kills
// the container, which then restarts as its restartPolicy says), preStop runs before the
// container is asked to stop, within the grace period. Handlers run a command in the container
// (exec), GET a URL of the pod (httpGet) or wait (sleep); the deprecated tcpSocket handler does
// nothing, as in Kubernetes. Failures are described the way Kubernetes' events describe them.
import type { Pod } from '../../api/core/v1/index.js';
import type { Clock } from '../../lib/workqueue.js';
import type { Runtime } from '../cri/index.js';
import type { PodContainer } from './pod-config.js';
import { execAction, httpGetAction, resolvePort } from './probes/index.js';

export type LifecycleHandler = NonNullable<NonNullable<PodContainer['lifecycle']>['postStart']>;

/** How long a postStart HTTP hook may take; Kubernetes bounds it only by the sync itself. */
const POST_START_HTTP_TIMEOUT_MS = 30_000;

const podRef = (pod: Pod): string => `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;

export interface HookInput {
  handler: LifecycleHandler;
  pod: Pod;
  container: PodContainer;
  containerId: string;
  podIP: string;
  runtime: Runtime;
  /** Upper bound in seconds (the remaining grace period for preStop); undefined: none. */
  timeoutSeconds?: number;
  clock: Clock;
}

/** Runs a hook; resolves with a failure message, or undefined when it succeeded. */
export async function runHook(i: HookInput): Promise<string | undefined> {
  const h = i.handler;
  const where = `for Container "${i.container.name}" in Pod "${podRef(i.pod)}"`;
  if (h.exec) {
    const cmd = h.exec.command ?? [];
    const r = await execAction({ runtime: i.runtime, containerId: i.containerId, command: cmd, timeoutSeconds: i.timeoutSeconds ?? 0 });
    if (r.result === 'success') return undefined;
    return `Exec lifecycle hook (${JSON.stringify(cmd)}) ${where} failed - error: ${r.output}, message: ${JSON.stringify(r.output)}`;
  }
  if (h.httpGet) {
    let port: number;
    try {
      port = resolvePort(h.httpGet.port, i.container);
    } catch (err) {
      return `HTTP lifecycle hook (${h.httpGet.path ?? ''}) ${where} failed - error: ${err instanceof Error ? err.message : String(err)}, message: ""`;
    }
    const timeoutMs = i.timeoutSeconds !== undefined ? i.timeoutSeconds * 1000 : POST_START_HTTP_TIMEOUT_MS;
    const r = await httpGetAction({ spec: { ...h.httpGet, port }, defaultHost: i.podIP, timeoutMs });
    if (r.result !== 'failure') return undefined;
    return `HTTP lifecycle hook (${h.httpGet.path ?? ''}) ${where} failed - error: ${r.output}, message: ""`;
  }
  if (h.sleep) {
    const seconds = Math.min(h.sleep.seconds, i.timeoutSeconds ?? h.sleep.seconds);
    await new Promise<void>((r) => i.clock.setTimeout(r, Math.max(0, seconds) * 1000));
    return undefined;
  }
  return undefined;
}
