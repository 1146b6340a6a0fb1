// Score normalisation shared by several plugins: scale raw scores so the best node gets 100
// (or, reversed, so the lowest raw score gets 100), using integer arithmetic as Kubernetes does
// so equal inputs give equal scores.
import { MAX_NODE_SCORE } from '../framework/types.js';

export function normalizeToMax(scores: number[], opts: { reverse: boolean }): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (opts.reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc(((scores[i] as number) * MAX_NODE_SCORE) / max);
    scores[i] = opts.reverse ? MAX_NODE_SCORE - s : s;
  }
}
