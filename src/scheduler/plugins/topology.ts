// Counters keyed by topology pair (a node label key and its value), shared by the pod affinity
// and topology spread plugins. A pair is one string so a Map can count it without nesting.
export const pairKey = (key: string, value: string): string => `${key}\u0000${value}`;

export function bump(counts: Map<string, number>, key: string, value: string, delta: number): void {
  const k = pairKey(key, value);
  const n = (counts.get(k) ?? 0) + delta;
  if (n === 0) counts.delete(k);
  else counts.set(k, n);
}
