// Search over log lines: a case-insensitive text (or /regex/) whose matches are highlighted, and
// optionally only the matching lines kept. Pure, so a 10,000-line buffer filters without React.
import type { LogLine } from './log-buffer.ts';

export interface Segment {
  text: string;
  hit: boolean;
}

/** The query as a global RegExp: `/…/` is a regular expression, anything else literal text. */
export function searchPattern(query: string): RegExp | undefined | Error {
  const q = query.trim();
  if (!q) return undefined;
  const re = /^\/(.+)\/([a-z]*)$/.exec(q);
  try {
    if (re) return new RegExp(re[1] ?? '', `g${(re[2] ?? '').replace(/g/g, '').includes('i') ? 'i' : ''}`);
    return new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** The line cut into plain and matching pieces (one plain piece when nothing matches). */
export function segments(text: string, pattern: RegExp | undefined): Segment[] {
  if (!pattern) return [{ text, hit: false }];
  const out: Segment[] = [];
  let at = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    if (m.index > at) out.push({ text: text.slice(at, m.index), hit: false });
    out.push({ text: m[0], hit: true });
    at = m.index + m[0].length;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), hit: false });
  return out;
}

export function matches(line: LogLine, pattern: RegExp | undefined): boolean {
  if (!pattern) return true;
  pattern.lastIndex = 0;
  const hit = pattern.test(line.text);
  pattern.lastIndex = 0;
  return hit;
}

export function countMatches(lines: readonly LogLine[], pattern: RegExp | undefined): number {
  if (!pattern) return 0;
  let n = 0;
  for (const l of lines) if (matches(l, pattern)) n += 1;
  return n;
}
