// V8's young generation for the control plane. `tug server` starts with it held at its initial
// 1 MB semi-spaces (main.ts sets --semi-space-growth-factor=1 before any module loads): otherwise
// loading the server's modules grows it to 2 × 16 MB, ~20 MB of an idle server's memory that it
// never gives back. Under load that small young generation is the wrong size: at API write or
// watch fan-out rates it means ~10× more scavenges and more short-lived objects promoted into
// the old generation (3× the GC time in the bench's fan-out). So once the process is busy — more
// scavenges in a second than an idle or lightly used server ever does — V8's default growth is
// switched back on, for good. An idle server stays small; a busy one sizes itself as V8 would.
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';

/** V8's default --semi-space-growth-factor. */
const DEFAULT_GROWTH = 2;

export function growYoungGenerationWhenBusy(o: { scavengesPerSecond: number }): void {
  let windowStart = 0;
  let count = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!isScavenge(e)) continue;
      if (e.startTime - windowStart > 1000) {
        windowStart = e.startTime;
        count = 0;
      }
      if (++count >= o.scavengesPerSecond) {
        setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH}`);
        observer.disconnect();
        return;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}

function isScavenge(e: PerformanceEntry): boolean {
  // GC entries carry their kind in `detail` (Node ≥ 16), which PerformanceEntry's type omits.
  const { detail } = e as PerformanceEntry & { detail?: { kind?: number } | null };
  return detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
}
