// Completion indexes of Indexed Jobs: reading a pod's index, the interval text of
// status.completedIndexes ("1,3-5,7"), and picking the lowest indexes that still need a pod.
import type { Pod } from '../../api/core/v1/index.js';

/** Annotation (and label) carrying a pod's completion index; also what JOB_COMPLETION_INDEX reads. */
export const COMPLETION_INDEX_KEY = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** The pod's index, or undefined when missing or not a non-negative integer below `completions`. */
export function completionIndex(pod: Pod, completions: number): number | undefined {
  const text = pod.metadata?.annotations?.[COMPLETION_INDEX_KEY];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n < completions ? n : undefined;
}

/**
 * Reads interval text such as "0,2-4"; malformed parts and indexes at or above `completions` are
 * skipped, since the text was written by a controller and a bad one should not wedge the Job.
 */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = Math.min(m[2] === undefined ? lo : Number(m[2]), completions - 1);
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  return out;
}

/** Writes indexes the way Kubernetes does: runs of three or more as "a-b", pairs as "a,b". */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    const first = sorted[i] as number;
    const last = sorted[j] as number;
    if (last === first) parts.push(String(first));
    else if (last === first + 1) parts.push(`${first},${last}`);
    else parts.push(`${first}-${last}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The lowest `count` indexes below `completions` that neither succeeded nor have an active pod. */
export function firstPendingIndexes(o: { succeeded: Set<number>; active: Set<number>; count: number; completions: number }): number[] {
  const out: number[] = [];
  for (let i = 0; i < o.completions && out.length < o.count; i++) {
    if (!o.succeeded.has(i) && !o.active.has(i)) out.push(i);
  }
  return out;
}
