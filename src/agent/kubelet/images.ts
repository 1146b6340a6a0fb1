// Makes sure a container's image is on the node before the container is created, honouring
// imagePullPolicy (Always, IfNotPresent, Never) and the pod's imagePullSecrets (each matching
// credential is tried in turn), with the events and waiting reasons users know: Pulling/Pulled,
// "already present on machine", ErrImagePull then ImagePullBackOff with back-off,
// ErrImageNeverPull, and FailedToRetrieveImagePullSecret for pull secrets that do not exist.
import type { Pod, Secret } from '../../api/core/v1/index.js';
import type { EventRecorder } from '../../client/index.js';
import type { Clock } from '../../lib/workqueue.js';
import type { AuthConfig, PodSandboxConfig, Runtime } from '../cri/index.js';
import type { PodContainer } from './pod-config.js';
import type { Waiting } from './pod-status.js';
import { credentialsFor } from './pull-secrets.js';
import { goDuration, type RestartBackoff } from './restart-backoff.js';

export interface ImageDeps {
  runtime: Runtime;
  recorder: EventRecorder;
  backoff: RestartBackoff;
  clock: Clock;
  /** Where pull secrets are read from. */
  objects: { secret(namespace: string, name: string): Promise<Secret | undefined> };
  /** The last pull error per `<uid>/<container>/pull`, quoted in ImagePullBackOff messages as Kubernetes 1.32 does. */
  pullErrors: Map<string, string>;
}

export type ImageResult = { waiting?: undefined } | { waiting: Waiting; retryMs: number };

/** Kubernetes' default: Always for `:latest` or untagged images, IfNotPresent otherwise. */
export function pullPolicyOf(c: PodContainer): string {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const image = c.image ?? '';
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  return !last.includes(':') || last.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

async function pullSecrets(d: ImageDeps, pod: Pod): Promise<Secret[]> {
  const ns = pod.metadata?.namespace ?? 'default';
  const names = (pod.spec?.imagePullSecrets ?? []).map((r) => r.name ?? '').filter(Boolean);
  if (names.length === 0) return [];
  const found = await Promise.all(names.map((n) => d.objects.secret(ns, n)));
  const missing = names.filter((_, i) => !found[i]);
  if (missing.length > 0) {
    d.recorder.event(pod, 'Warning', 'FailedToRetrieveImagePullSecret', `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`);
  }
  return found.filter((s): s is Secret => s !== undefined);
}

async function pull(d: ImageDeps, o: { image: string; auths: AuthConfig[]; sandboxConfig: PodSandboxConfig | undefined }): Promise<void> {
  const attempts: (AuthConfig | undefined)[] = o.auths.length > 0 ? o.auths : [undefined];
  let last: unknown;
  for (const auth of attempts) {
    try {
      await d.runtime.pullImage({ image: { image: o.image }, ...(auth ? { auth } : {}), ...(o.sandboxConfig ? { sandboxConfig: o.sandboxConfig } : {}) });
      return;
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

export async function ensureImage(d: ImageDeps, o: { pod: Pod; container: PodContainer; uid: string; sandboxConfig?: PodSandboxConfig }): Promise<ImageResult> {
  const image = o.container.image ?? '';
  const policy = pullPolicyOf(o.container);
  const present = await d.runtime.imageStatus({ image });
  if (present && policy !== 'Always') {
    d.recorder.event(o.pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    return {};
  }
  if (!present && policy === 'Never') {
    const message = `Container image "${image}" is not present with pull policy of Never`;
    d.recorder.event(o.pod, 'Warning', 'ErrImageNeverPull', message);
    return { waiting: { reason: 'ErrImageNeverPull', message }, retryMs: 10_000 };
  }
  const key = `${o.uid}/${o.container.name}/pull`;
  const errors = d.pullErrors;
  const now = d.clock.now();
  const left = d.backoff.remaining(key, now);
  if (left > 0) {
    d.recorder.event(o.pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
    const last = errors.get(key);
    return { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"${last ? `: ErrImagePull: ${last}` : ''}` }, retryMs: left };
  }
  d.recorder.event(o.pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
  try {
    await pull(d, { image, auths: credentialsFor(image, await pullSecrets(d, o.pod)), sandboxConfig: o.sandboxConfig });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const message = `Failed to pull image "${image}": ${reason}`;
    d.recorder.event(o.pod, 'Warning', 'Failed', message);
    d.recorder.event(o.pod, 'Warning', 'Failed', 'Error: ErrImagePull');
    d.backoff.next(key, now);
    errors.set(key, message);
    return { waiting: { reason: 'ErrImagePull', message }, retryMs: d.backoff.current(key) };
  }
  errors.delete(key);
  const took = goDuration(d.clock.now() - now);
  const size = (await d.runtime.imageStatus({ image }))?.size ?? 0;
  d.recorder.event(o.pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`);
  return {};
}
