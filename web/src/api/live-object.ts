// Keeps one object current: GET it, then watch it by name (fieldSelector metadata.name) from its
// resourceVersion. Same recovery rules as live lists: resume when the server ends the stream,
// re-read after a 410 or a lost connection (reported as reconnecting), give up on 403/404.
import { ApiError, describeError, type ApiClient } from './client.ts';
import type { ConnStatus } from './connection.ts';
import { defaultSleep } from './live-table.ts';
import type { KubeObject } from './objects.ts';
import { pathFor, withQuery, type ResourceRef } from './paths.ts';

export interface LiveObjectHooks {
  onObject(obj: KubeObject): void;
  onDeleted(): void;
  onFatal(err: unknown): void;
  report(s: ConnStatus): void;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export async function runLiveObject(api: ApiClient, ref: ResourceRef, ns: string | undefined, name: string, signal: AbortSignal, hooks: LiveObjectHooks): Promise<void> {
  const sleep = hooks.sleep ?? defaultSleep;
  let rv = '';
  let backoff = 500;
  hooks.report({ state: 'connecting' });
  while (!signal.aborted) {
    try {
      if (!rv) {
        const obj = await api.get<KubeObject>(pathFor(ref, ns, name), signal);
        rv = obj.metadata?.resourceVersion ?? '';
        hooks.onObject(obj);
      }
      hooks.report({ state: 'live' });
      const stream = new AbortController();
      const stop = (): void => stream.abort();
      signal.addEventListener('abort', stop);
      let failure: ApiError | undefined;
      try {
        const path = withQuery(pathFor(ref, ns), { fieldSelector: `metadata.name=${name}`, resourceVersion: rv, allowWatchBookmarks: 'true' });
        await api.watch<KubeObject>(
          path,
          (type, obj) => {
            if (type === 'ERROR') {
              failure = ApiError.fromStatus(500, obj);
              stream.abort();
              return;
            }
            rv = obj.metadata?.resourceVersion ?? rv;
            if (type === 'DELETED') hooks.onDeleted();
            else if (type !== 'BOOKMARK') hooks.onObject(obj);
          },
          stream.signal,
        );
      } finally {
        signal.removeEventListener('abort', stop);
      }
      if (failure?.status === 410) rv = '';
      else if (failure) throw failure;
      backoff = 500;
    } catch (err) {
      if (signal.aborted) return;
      const retry = !(err instanceof ApiError) || err.status === 0 || err.status === 429 || err.status >= 500;
      if (!retry) {
        hooks.report({ state: 'live' });
        return hooks.onFatal(err);
      }
      hooks.report({ state: 'reconnecting', message: `${describeError(err)} — reconnecting…` });
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, 15_000);
      rv = '';
    }
  }
}
