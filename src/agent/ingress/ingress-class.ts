// Makes sure the controller's IngressClass exists. Every agent runs the controller and calls
// this at start, so it must be safe to race: it only creates (never updates), and AlreadyExists
// from a concurrent create counts as success. An existing class is left as it is, so a user who
// removed the default annotation keeps it removed. The class is marked default only when no
// other class already is, since two default classes make Kubernetes refuse to pick either.
import type { IngressClass } from '../../api/networking/v1/index.js';
import { DEFAULT_CLASS_ANNOTATION, ingressClassKind } from '../../api/refs/index.js';
import type { Client } from '../../client/index.js';
import { Backoff } from '../../lib/backoff.js';
import { StatusError } from '../../lib/errors.js';

export interface EnsureClassOptions {
  className: string;
  controllerName: string;
  log(msg: string): void;
}

async function ensureOnce(client: Client, o: EnsureClassOptions): Promise<void> {
  try {
    await client.get(ingressClassKind, undefined, o.className);
    return;
  } catch (err) {
    if (!(err instanceof StatusError && err.code === 404)) throw err;
  }
  const others = await client.list<IngressClass>(ingressClassKind, undefined);
  const otherDefault = others.items.some((c) => c.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  const ic: IngressClass = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name: o.className,
      labels: { 'app.kubernetes.io/managed-by': 'tugboat' },
      ...(otherDefault ? {} : { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } }),
    },
    spec: { controller: o.controllerName },
  };
  try {
    await client.create(ingressClassKind, undefined, ic);
    o.log(`ingress: created IngressClass ${o.className}${otherDefault ? '' : ' (default)'}`);
  } catch (err) {
    if (!(err instanceof StatusError && err.code === 409)) throw err;
  }
}

/** Retries with back-off until the class exists or the signal aborts. */
export async function ensureIngressClass(client: Client, o: EnsureClassOptions, signal: AbortSignal): Promise<void> {
  const backoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
  while (!signal.aborted) {
    try {
      await ensureOnce(client, o);
      return;
    } catch (err) {
      o.log(`ingress: ensuring IngressClass ${o.className}: ${err instanceof Error ? err.message : String(err)}`);
      await backoff.wait(signal);
    }
  }
}
