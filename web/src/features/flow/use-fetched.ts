// A one-shot GET that runs again when `refresh` changes. The flow pages read the objects that
// rarely change after the fact (owners, their events, sibling pods) this way instead of holding a
// watch open for each: a browser keeps at most six HTTP/1.1 connections per origin, and every
// watch holds one for as long as the page is open.
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.tsx';

export interface Fetched<T> {
  data: T | undefined;
  error: unknown;
}

export function useFetched<T>(path: string | null, refresh: string): Fetched<T> {
  const api = useApi();
  const [state, setState] = useState<Fetched<T>>({ data: undefined, error: null });
  useEffect(() => {
    if (!path) {
      setState({ data: undefined, error: null });
      return;
    }
    const ctl = new AbortController();
    api
      .get<T>(path, ctl.signal)
      .then((data) => setState({ data, error: null }))
      .catch((error: unknown) => {
        if (!ctl.signal.aborted) setState((s) => ({ ...s, error }));
      });
    return () => ctl.abort();
  }, [api, path, refresh]);
  return state;
}
