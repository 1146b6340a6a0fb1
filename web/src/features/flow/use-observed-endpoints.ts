// The one time the API does not record: when a pod's endpoint joined a slice or turned ready.
// While the flow page is open, its EndpointSlice watch sees those changes happen; this hook
// notes the browser's clock for each (keyed `sliceUid/podUid`). Endpoints already present when
// the page loaded get no observed time — the timeline then falls back to the slice's annotation.
import { useEffect, useRef, useState } from 'react';
import type { KubeObject } from '../../api/objects.ts';

interface Endpoint {
  conditions?: { ready?: boolean };
  targetRef?: { kind?: string; uid?: string };
}

export function useObservedEndpoints(slices: readonly KubeObject[], loaded: boolean, podUid: string | undefined): ReadonlyMap<string, string> {
  const known = useRef<Map<string, boolean> | null>(null);
  const [observed, setObserved] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (!loaded || !podUid) return;
    const first = known.current === null;
    const seen = known.current ?? new Map<string, boolean>();
    const now = new Date().toISOString();
    const fresh: [string, string][] = [];
    for (const s of slices)
      for (const ep of (s.endpoints ?? []) as Endpoint[]) {
        if (ep.targetRef?.kind !== 'Pod' || ep.targetRef.uid !== podUid) continue;
        const key = `${s.metadata?.uid ?? s.metadata?.name ?? ''}/${podUid}`;
        const ready = ep.conditions?.ready !== false;
        const before = seen.get(key);
        if (!first && (before === undefined || (before === false && ready))) fresh.push([key, now]);
        seen.set(key, ready);
      }
    known.current = seen;
    if (fresh.length) setObserved((m) => new Map([...m, ...fresh]));
  }, [slices, loaded, podUid]);
  return observed;
}
