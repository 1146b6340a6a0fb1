// The connection status every live view reports into, so one banner in the header can say
// whether the dashboard is live or reconnecting (and why) instead of each page guessing.
import { useSyncExternalStore } from 'react';

export type ConnState = 'connecting' | 'live' | 'reconnecting';

export interface ConnStatus {
  state: ConnState;
  message?: string;
}

const watchers = new Map<number, ConnStatus>();
const listeners = new Set<() => void>();
let nextId = 1;
let snapshot: ConnStatus = { state: 'live' };

function recompute(): void {
  const all = [...watchers.values()];
  const bad = all.find((s) => s.state === 'reconnecting') ?? all.find((s) => s.state === 'connecting');
  const next: ConnStatus = bad ?? { state: 'live' };
  if (next.state !== snapshot.state || next.message !== snapshot.message) {
    snapshot = next;
    for (const l of listeners) l();
  }
}

/** A handle one live view uses to report its own state; dispose() when it stops watching. */
export function connectionReporter(): { report(s: ConnStatus): void; dispose(): void } {
  const id = nextId++;
  return {
    report(s) {
      watchers.set(id, s);
      recompute();
    },
    dispose() {
      watchers.delete(id);
      recompute();
    },
  };
}

export function useConnection(): ConnStatus {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => snapshot,
  );
}
