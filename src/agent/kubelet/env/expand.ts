// Kubernetes' `$(VAR)` expansion, used for env values, command, args and subPathExpr: `$(NAME)`
// becomes NAME's value when NAME is defined and stays as written when it is not, `$$` is an
// escaped `$` (so `$$(NAME)` yields the literal `$(NAME)`), and any other `$` is kept as is.

/** Expands `$(NAME)` references in `input` with `lookup`; undefined means "not defined". */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  if (!input.includes('$')) return input;
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = name === '' ? undefined : lookup(name);
      out += value ?? `$(${name})`;
      i = close + 1;
    } else {
      out += '$';
      i++;
    }
  }
  return out;
}

/** A lookup over several maps, the first holding the name wins. */
export const lookupIn =
  (...maps: ReadonlyMap<string, string>[]) =>
  (name: string): string | undefined => {
    for (const m of maps) {
      const v = m.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  };
