// React face of runLiveObject for the detail pages.
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.tsx';
import { connectionReporter } from '../../api/connection.ts';
import { runLiveObject } from '../../api/live-object.ts';
import type { KubeObject } from '../../api/objects.ts';
import type { ResourceRef } from '../../api/paths.ts';

export interface LiveObject {
  obj: KubeObject | null;
  deleted: boolean;
  error: unknown;
}

export function useLiveObject(ref: ResourceRef | undefined, ns: string | undefined, name: string): LiveObject {
  const api = useApi();
  const [live, setLive] = useState<LiveObject>({ obj: null, deleted: false, error: null });
  useEffect(() => {
    setLive({ obj: null, deleted: false, error: null });
    if (!ref) return;
    const ctl = new AbortController();
    const reporter = connectionReporter();
    void runLiveObject(api, ref, ns, name, ctl.signal, {
      onObject: (obj) => setLive({ obj, deleted: false, error: null }),
      onDeleted: () => setLive((l) => ({ ...l, deleted: true })),
      onFatal: (error) => setLive((l) => ({ ...l, error })),
      report: (s) => reporter.report(s),
    })
      .catch((error: unknown) => setLive((l) => ({ ...l, error })))
      .finally(() => reporter.dispose());
    return () => ctl.abort();
  }, [api, ref, ns, name]);
  return live;
}
