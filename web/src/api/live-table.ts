// Keeps a TableState in step with the server: list as a Table, then watch as Table from the
// list's resourceVersion (with bookmarks so it stays fresh). A watch the server ends is simply
// resumed; a 410 Gone re-lists; a lost connection reports "reconnecting", backs off and re-lists.
// Permission errors stop the loop and go to the page, since retrying cannot fix them.
import { ApiError, TABLE_ACCEPT, describeError, type ApiClient } from './client.ts';
import type { ConnStatus } from './connection.ts';
import { withQuery } from './paths.ts';
import { TableState, type TableJson } from './table-state.ts';

export interface LiveTableHooks {
  onChange(state: TableState): void;
  onFatal(err: unknown): void;
  report(s: ConnStatus): void;
  /** Injected so tests need not wait; defaults to setTimeout. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const MAX_BACKOFF_MS = 15_000;

export function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

const retryable = (err: unknown): boolean => !(err instanceof ApiError) || err.status === 0 || err.status === 410 || err.status === 429 || err.status >= 500;

export async function runLiveTable(api: ApiClient, path: string, signal: AbortSignal, hooks: LiveTableHooks): Promise<void> {
  const sleep = hooks.sleep ?? defaultSleep;
  const state = new TableState();
  let backoff = 500;
  let listed = false;
  hooks.report({ state: 'connecting' });
  while (!signal.aborted) {
    try {
      if (!listed) {
        state.reset(await api.get<TableJson>(path, signal, TABLE_ACCEPT));
        listed = true;
        hooks.onChange(state);
      }
      hooks.report({ state: 'live' });
      const gone = await watchOnce(api, path, state, signal, hooks);
      if (gone) listed = false;
      backoff = 500;
    } catch (err) {
      if (signal.aborted) return;
      if (!retryable(err)) {
        hooks.onFatal(err);
        hooks.report({ state: 'live' });
        return;
      }
      hooks.report({ state: 'reconnecting', message: `${describeError(err)} — reconnecting…` });
      await sleep(backoff, signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      listed = false;
    }
  }
}

/** One watch stream; resolves true when the server said 410 Gone (re-list needed). */
async function watchOnce(api: ApiClient, path: string, state: TableState, signal: AbortSignal, hooks: LiveTableHooks): Promise<boolean> {
  const stream = new AbortController();
  const stop = (): void => stream.abort();
  signal.addEventListener('abort', stop);
  let error: ApiError | undefined;
  try {
    const url = withQuery(path, { resourceVersion: state.resourceVersion, allowWatchBookmarks: 'true' });
    await api.watch<unknown>(
      url,
      (type, obj) => {
        if (error) return;
        if (!state.apply(type, obj)) {
          error = ApiError.fromStatus(500, obj);
          stream.abort();
          return;
        }
        if (type !== 'BOOKMARK') hooks.onChange(state);
      },
      stream.signal,
      TABLE_ACCEPT,
    );
  } finally {
    signal.removeEventListener('abort', stop);
  }
  if (error?.status === 410) return true;
  if (error) throw error;
  return false;
}
