// Key ordering shared by the drivers. Keys are compared the way etcd and SQLite compare them:
// as UTF-8 bytes, which is the same as Unicode code point order. JavaScript's own `<` compares
// UTF-16 code units and disagrees for characters above U+FFFF, so the in-memory driver sorts with
// `compareKeys` to list in the same order as the real stores.

/** Negative, zero or positive as `a` sorts before, with or after `b` in UTF-8 byte order. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // Only when one side is a surrogate (part of a character above U+FFFF) do code units and code
    // points disagree; such a character sorts after every BMP character.
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa !== sb) return sa ? 1 : -1;
    return ca - cb;
  }
  return a.length - b.length;
}

/**
 * The smallest string greater than every string starting with `prefix` (in code point order), or
 * undefined when there is none (empty prefix, or a prefix of only U+10FFFF characters): then a
 * prefix range has no upper bound.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop() as string;
    let next = (last.codePointAt(0) as number) + 1;
    if (next === 0xd800) next = 0xe000; // skip the surrogate block, which is not valid text
    if (next <= 0x10ffff) return points.join('') + String.fromCodePoint(next);
  }
  return undefined;
}

/** The smallest byte string greater than every byte string starting with `prefix`; etcd's range_end. */
export function prefixEndBytes(prefix: Uint8Array): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] !== 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  // Etcd reads a range_end of a single zero byte as "no upper bound".
  return Buffer.from([0]);
}
