// Finishes graceful pod deletion when no kubelet will: a pod marked for deletion whose grace
// period has run out and whose node does not exist (there is no kubelet to confirm the
// containers stopped) is removed. Pods on existing nodes are left to their kubelet, as on
// Kubernetes.
import { StatusError } from '../../lib/errors.js';
import type { Registry } from '../registry/registry.js';

export function startPodReaper(registry: Registry, signal: AbortSignal, opts: { intervalMs: number; onError(err: unknown): void }): void {
  const pods = registry.byGroupKind('', 'Pod');
  const nodes = registry.byGroupKind('', 'Node');
  const tick = async (): Promise<void> => {
    const now = Date.now();
    const nodeCache = registry.cache.resource(nodes.kind);
    for (const o of registry.cache.resource(pods.kind).list('')) {
      const m = o.object.metadata ?? {};
      if (!m.deletionTimestamp || Date.parse(m.deletionTimestamp) > now) continue;
      const nodeName = (o.object.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
      if (nodeName && nodeCache.get(`/registry/core/nodes/${nodeName}`)) continue;
      await pods.store
        .delete(m.namespace, m.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: m.uid ?? '' } }, { now: new Date(), user: undefined, dryRun: false, warnings: [] })
        .catch((e: unknown) => {
          if (!(e instanceof StatusError && (e.reason === 'NotFound' || e.reason === 'Conflict'))) throw e;
        });
    }
  };
  const timer = setInterval(() => tick().catch(opts.onError), opts.intervalMs);
  timer.unref();
  signal.addEventListener('abort', () => clearInterval(timer));
}
