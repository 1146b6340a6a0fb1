// What the ReplicaSet sync reads from each pod, worked out once per pod object. A sync looks at
// every pod of its ReplicaSet and runs again on each pod event, so with 1,000 pods the same
// unchanged pods were inspected (their conditions searched, timestamps parsed, selectors
// matched) thousands of times. Informer caches replace an object on every change and never
// mutate it, so an answer kept per object (in a WeakMap, gone with the object) stays right.
import type { Pod } from '../../api/core/v1/index.js';
import type { Labels, Selector } from '../../lib/selectors/index.js';
import { isPodActive, readiness, type Readiness } from './pods.js';

export interface PodView extends Readiness {
  /** Neither finished nor being deleted (counts toward the ReplicaSet). */
  readonly active: boolean;
}

const views = new WeakMap<Pod, PodView>();

/** The view of a cached pod; isAvailable and msUntilAvailableFrom (pods.ts) take it as it is. */
export function podView(pod: Pod): PodView {
  let v = views.get(pod);
  if (!v) {
    v = { active: isPodActive(pod), ...readiness(pod) };
    views.set(pod, v);
  }
  return v;
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
