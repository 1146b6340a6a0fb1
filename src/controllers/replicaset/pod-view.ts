// What the ReplicaSet sync reads from each pod, worked out once per pod object. A sync looks at
// every pod of its ReplicaSet and runs again on each pod event, so with 1,000 pods the same
// unchanged pods were inspected (their conditions searched, timestamps parsed, selectors
// matched) thousands of times. Informer caches replace an object on every change and never
// mutate it, so an answer kept per object (in a WeakMap, gone with the object) stays right.
import type { Pod } from '../../api/core/v1/index.js';
import type { Labels, Selector } from '../../lib/selectors/index.js';
import { isPodActive, isPodReady, readySince } from './pods.js';

export interface PodView {
  /** Neither finished nor being deleted (counts toward the ReplicaSet). */
  readonly active: boolean;
  readonly ready: boolean;
  /** When the pod last became Ready, in ms; undefined when not ready or not recorded. */
  readonly readySince: number | undefined;
}

const views = new WeakMap<Pod, PodView>();

export function podView(pod: Pod): PodView {
  let v = views.get(pod);
  if (!v) {
    const ready = isPodReady(pod);
    v = { active: isPodActive(pod), ready, readySince: ready ? readySince(pod) : undefined };
    views.set(pod, v);
  }
  return v;
}

/** Available per a PodView: as isPodAvailable, without looking at the pod again. */
export function viewAvailable(v: PodView, o: { minReadySeconds: number; now: number }): boolean {
  if (!v.ready) return false;
  if (o.minReadySeconds <= 0) return true;
  return v.readySince !== undefined && v.readySince + o.minReadySeconds * 1000 < o.now;
}

/** As msUntilAvailable in pods.ts, from a PodView. */
export function viewMsUntilAvailable(v: PodView, o: { minReadySeconds: number; now: number }): number | undefined {
  if (o.minReadySeconds <= 0 || !v.ready || v.readySince === undefined) return undefined;
  const left = v.readySince + o.minReadySeconds * 1000 - o.now;
  return left >= 0 ? left + 1 : undefined;
}

/**
 * A selector that remembers its answer per labels object (the labels of a cached pod are as
 * immutable as the pod). Kept per ReplicaSet by MatchMemo and rebuilt when its selector changes.
 */
class RememberingSelector implements Selector {
  private readonly answers = new WeakMap<Labels, boolean>();
  constructor(private readonly inner: Selector) {}
  get requirements(): Selector['requirements'] {
    return this.inner.requirements;
  }
  get isEverything(): boolean {
    return this.inner.isEverything;
  }
  matches(labels: Labels | undefined): boolean {
    if (!labels) return this.inner.matches(labels);
    let a = this.answers.get(labels);
    if (a === undefined) {
      a = this.inner.matches(labels);
      this.answers.set(labels, a);
    }
    return a;
  }
  toString(): string {
    return this.inner.toString();
  }
}

/** Remembering selectors by owner key, each valid for one selector text. */
export class MatchMemo {
  private readonly entries = new Map<string, { text: string; selector: Selector }>();

  selector(key: string, selector: Selector): Selector {
    const text = `${selector.isEverything ? 'all' : 'some'}:${selector.toString()}`;
    const e = this.entries.get(key);
    if (e && e.text === text) return e.selector;
    const remembering = new RememberingSelector(selector);
    this.entries.set(key, { text, selector: remembering });
    return remembering;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
