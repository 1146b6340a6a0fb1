// Deleting everything inside a terminating namespace, one kind at a time, and accounting for
// what is left: how many objects of each resource remain (still finalizing or terminating
// gracefully), which finalizers hold them, how long terminating pods may still take, and which
// kinds could not be listed or deleted. Reads are live lists, not caches: the namespace must
// only be finalized once the server itself says it is empty.
import type { ApiObject, KindDef } from '../../api/kind.js';
import type { Client } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';

export interface ContentReport {
  /** `pods.` / `deployments.apps` → objects still present. */
  remaining: Map<string, number>;
  /** Finalizer → objects it still holds. */
  finalizers: Map<string, number>;
  /** Errors by resource, for the NamespaceDeletionContentFailure condition. */
  errors: string[];
  /** Seconds until the slowest terminating pod's grace period runs out. */
  estimateSeconds: number;
}

const CONCURRENCY = 16;

/** How Kubernetes names a resource in namespace deletion messages: plural, dot, group. */
export const resourceLabel = (kind: KindDef): string => `${kind.plural}.${kind.group}`;

const gone = (e: unknown): boolean => e instanceof StatusError && (e.reason === 'NotFound' || e.reason === 'Conflict');

export async function deleteContent(client: Client, kinds: readonly KindDef[], o: { namespace: string; now: number }): Promise<ContentReport> {
  const report: ContentReport = { remaining: new Map(), finalizers: new Map(), errors: [], estimateSeconds: 0 };
  for (const kind of kinds) {
    if (!kind.namespaced) continue;
    try {
      await deleteKind(client, kind, o, report);
    } catch (err) {
      report.errors.push(`${resourceLabel(kind)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return report;
}

async function deleteKind(client: Client, kind: KindDef, o: { namespace: string; now: number }, report: ContentReport): Promise<void> {
  const items: ApiObject[] = [];
  let cont: string | undefined;
  do {
    const page = await client.list(kind, o.namespace, { limit: 500, ...(cont ? { continue: cont } : {}) });
    items.push(...page.items);
    cont = page.metadata.continue || undefined;
  } while (cont);
  const left: ApiObject[] = [];
  const failures: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as ApiObject;
      if (item.metadata?.deletionTimestamp) {
        left.push(item);
        continue;
      }
      try {
        const pending = await client.delete(kind, o.namespace, item.metadata?.name ?? '', {
          propagationPolicy: 'Background',
          preconditions: { uid: item.metadata?.uid ?? '' },
        });
        // Pods and services come back even when removed at once; only a deletionTimestamp means "still there".
        if (pending?.metadata?.deletionTimestamp) left.push(pending);
      } catch (err) {
        if (gone(err)) continue;
        left.push(item);
        failures.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, () => worker()));
  if (failures.length > 0) report.errors.push(`${resourceLabel(kind)}: ${failures[0] ?? ''}`);
  if (left.length === 0) return;
  report.remaining.set(resourceLabel(kind), left.length);
  for (const item of left) {
    for (const f of item.metadata?.finalizers ?? []) report.finalizers.set(f, (report.finalizers.get(f) ?? 0) + 1);
    const at = item.metadata?.deletionTimestamp;
    if (kind.kind === 'Pod' && at) report.estimateSeconds = Math.max(report.estimateSeconds, Math.ceil((Date.parse(at) - o.now) / 1000));
  }
}
