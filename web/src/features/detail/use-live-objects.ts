// Live full objects of one resource in a namespace, optionally narrowed by a label selector:
// a Table watch with includeObject=Object, so related-object panels update like lists do.
import { useMemo } from 'react';
import type { KubeObject } from '../../api/objects.ts';
import { pathFor, withQuery, type ResourceRef } from '../../api/paths.ts';
import { useLiveTable } from '../list/use-live-table.ts';

export function useLiveObjects(ref: ResourceRef, ns: string | undefined, opts: { labelSelector?: string; fieldSelector?: string; enabled?: boolean } = {}): { items: KubeObject[]; error: unknown; loaded: boolean } {
  const path = opts.enabled === false ? null : withQuery(pathFor(ref, ns), { includeObject: 'Object', labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
  const live = useLiveTable(path);
  const items = useMemo(() => [...(live.state?.rows.values() ?? [])].map((r) => r.object as KubeObject).filter(Boolean), [live.state, live.version]);
  return { items, error: live.error, loaded: live.state !== null };
}
