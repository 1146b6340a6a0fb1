// A one-shot GET that runs again when `refresh` changes. The flow pages read the objects that
// rarely change after the fact (owners, their events, sibling pods) this way instead of holding a
// watch open for each: a browser keeps at most six HTTP/1.1 connections per origin, and every
// watch holds one for as long as the page is open. A GET that did not reach the server (or got
// a 5xx) is tried again with backoff, since nothing else would trigger it.
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../api/context.tsx';

export interface Fetched<T> {
  data: T | undefined;
  error: unknown;
}

const retryable = (err: unknown): boolean => !(err instanceof ApiError) || err.status === 0 || err.status === 429 || err.status >= 500;

export function useFetched<T>(path: string | null, refresh: string): Fetched<T> {
  const api = useApi();
  const [state, setState] = useState<Fetched<T>>({ data: undefined, error: null });
  useEffect(() => {
    if (!path) {
      setState({ data: undefined, error: null });
      return;
    }
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let backoff = 500;
    const load = (): void => {
      api
        .get<T>(path, ctl.signal)
        .then((data) => setState({ data, error: null }))
        .catch((error: unknown) => {
          if (ctl.signal.aborted) return;
          setState((s) => ({ ...s, error }));
          if (!retryable(error)) return;
          timer = setTimeout(load, backoff);
          backoff = Math.min(backoff * 2, 10_000);
        });
    };
    load();
    return () => {
      ctl.abort();
      if (timer) clearTimeout(timer);
    };
  }, [api, path, refresh]);
  return state;
}
