// React face of the shared live tables: the snapshot for `path` (null: nothing to watch),
// re-rendering when it changes.
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.tsx';
import { subscribeTable, type LiveSnapshot } from '../../api/watch-hub.ts';

export type LiveTable = LiveSnapshot;

export function useLiveTable(path: string | null): LiveTable {
  const api = useApi();
  const [live, setLive] = useState<LiveTable>({ state: null, version: 0, error: null });
  useEffect(() => {
    if (!path) {
      setLive({ state: null, version: 0, error: null });
      return;
    }
    return subscribeTable(api, path, setLive);
  }, [api, path]);
  return live;
}
