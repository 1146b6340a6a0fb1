// Makes sure a container's image is on the node before the container is created, honouring
// imagePullPolicy (Always, IfNotPresent, Never), with the events and waiting reasons users know:
// Pulling/Pulled, "already present on machine", ErrImagePull then ImagePullBackOff with back-off,
// ErrImageNeverPull.
import type { Pod } from '../../api/core/v1/index.js';
import type { EventRecorder } from '../../client/index.js';
import type { Clock } from '../../lib/workqueue.js';
import type { Runtime } from '../cri/index.js';
import type { PodContainer } from './pod-config.js';
import type { Waiting } from './pod-status.js';
import { goDuration, type RestartBackoff } from './restart-backoff.js';

export interface ImageDeps {
  runtime: Runtime;
  recorder: EventRecorder;
  backoff: RestartBackoff;
  clock: Clock;
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

export async function ensureImage(d: ImageDeps, o: { pod: Pod; container: PodContainer; uid: string }): Promise<ImageResult> {
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
  const now = d.clock.now();
  const left = d.backoff.remaining(key, now);
  if (left > 0) {
    d.recorder.event(o.pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
    return { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` }, retryMs: left };
  }
  d.recorder.event(o.pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
  try {
    await d.runtime.pullImage({ image: { image } });
  } catch (err) {
    const message = `Failed to pull image "${image}": ${err instanceof Error ? err.message : String(err)}`;
    d.recorder.event(o.pod, 'Warning', 'Failed', message);
    d.backoff.next(key, now);
    return { waiting: { reason: 'ErrImagePull', message }, retryMs: d.backoff.current(key) };
  }
  const took = goDuration(d.clock.now() - now);
  const size = (await d.runtime.imageStatus({ image }))?.size ?? 0;
  d.recorder.event(o.pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`);
  return {};
}
