// Shares live tables between views: every component that asks for the same path gets the same
// list+watch loop, started on the first subscriber and stopped when the last one leaves.
// This matters beyond tidiness: the API server speaks HTTP/1.1, and a browser opens at most six
// connections to one server, each watch holding one for its lifetime — so a page must keep its
// distinct watches few (about four) to leave room for ordinary requests.
import type { ApiClient } from './client.ts';
import { connectionReporter } from './connection.ts';
import { runLiveTable } from './live-table.ts';
import type { TableState } from './table-state.ts';

export interface LiveSnapshot {
  state: TableState | null;
  /** Bumps on each change; use it as a memo dependency. */
  version: number;
  error: unknown;
}

type Listener = (s: LiveSnapshot) => void;

interface Entry {
  ctl: AbortController;
  listeners: Set<Listener>;
  snapshot: LiveSnapshot;
  frame: number;
  stopTimer: number;
}

const EMPTY: LiveSnapshot = { state: null, version: 0, error: null };
const hubs = new WeakMap<ApiClient, Map<string, Entry>>();

function start(api: ApiClient, path: string, entries: Map<string, Entry>): Entry {
  const e: Entry = { ctl: new AbortController(), listeners: new Set(), snapshot: EMPTY, frame: 0, stopTimer: 0 };
  const publish = (s: LiveSnapshot): void => {
    e.snapshot = s;
    for (const l of e.listeners) l(s);
  };
  const reporter = connectionReporter();
  void runLiveTable(api, path, e.ctl.signal, {
    // One render per animation frame however many events arrive in it.
    onChange: (state) => {
      if (e.frame) return;
      e.frame = requestAnimationFrame(() => {
        e.frame = 0;
        publish({ state, version: state.version, error: null });
      });
    },
    onFatal: (error) => publish({ ...e.snapshot, error }),
    report: (s) => reporter.report(s),
  })
    .catch((error: unknown) => publish({ ...e.snapshot, error }))
    .finally(() => {
      reporter.dispose();
      if (entries.get(path) === e) entries.delete(path);
    });
  return e;
}

/** Subscribes to the live table at `path`; the listener gets the current snapshot at once. */
export function subscribeTable(api: ApiClient, path: string, listener: Listener): () => void {
  let entries = hubs.get(api);
  if (!entries) hubs.set(api, (entries = new Map()));
  let e = entries.get(path);
  if (!e || e.ctl.signal.aborted) {
    e = start(api, path, entries);
    entries.set(path, e);
  }
  window.clearTimeout(e.stopTimer);
  e.listeners.add(listener);
  listener(e.snapshot);
  const entry = e;
  const map = entries;
  return () => {
    entry.listeners.delete(listener);
    if (entry.listeners.size) return;
    // Stop on the next task, so a view re-mounting in the same render keeps the stream.
    entry.stopTimer = window.setTimeout(() => {
      if (entry.listeners.size) return;
      entry.ctl.abort();
      if (entry.frame) cancelAnimationFrame(entry.frame);
      if (map.get(path) === entry) map.delete(path);
    }, 0);
  };
}
