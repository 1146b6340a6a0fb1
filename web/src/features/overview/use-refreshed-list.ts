// A list that is re-read when something it depends on changes (e.g. the pods watch ticked),
// at most once per interval with a trailing read, instead of holding a watch of its own. The
// overview uses it for workload kinds so the page needs only three streams (see watch-hub.ts).
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/context.tsx';
import type { KubeList, KubeObject } from '../../api/objects.ts';
import { pathFor, type ResourceRef } from '../../api/paths.ts';

const MIN_INTERVAL_MS = 2000;

export function useRefreshedList(ref: ResourceRef, ns: string | undefined, trigger: unknown): { items: KubeObject[]; error: unknown } {
  const api = useApi();
  const [items, setItems] = useState<KubeObject[]>([]);
  const [error, setError] = useState<unknown>(null);
  const last = useRef(0);
  useEffect(() => {
    const ctl = new AbortController();
    const read = (): void => {
      last.current = Date.now();
      void api
        .get<KubeList>(pathFor(ref, ns), ctl.signal)
        .then((l) => {
          setItems(l.items);
          setError(null);
        })
        .catch((err: unknown) => {
          if (!ctl.signal.aborted) setError(err);
        });
    };
    const wait = last.current + MIN_INTERVAL_MS - Date.now();
    const timer = window.setTimeout(read, Math.max(0, wait));
    return () => {
      window.clearTimeout(timer);
      ctl.abort();
    };
  }, [api, ref, ns, trigger]);
  return { items, error };
}
