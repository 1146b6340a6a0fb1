// Field selectors (`?fieldSelector=metadata.name=x,status.phase!=Running`): terms joined by
// commas, each `field=value`, `field==value` or `field!=value`, all of which must hold. Values
// escape `\`, `,` and `=` with a backslash. Objects are matched through a flat map of the field
// values their kind supports (see KindDef.fields); a field missing from the map counts as "".
import { badRequest } from '../errors.js';

export interface FieldRequirement {
  readonly field: string;
  /** `==` is read as `=`; the two mean the same. */
  readonly operator: '=' | '!=';
  readonly value: string;
}

export type Fields = Readonly<Record<string, string>>;

export interface FieldSelector {
  /** Sorted by their printed form, as Kubernetes sorts terms. */
  readonly requirements: readonly FieldRequirement[];
  readonly isEverything: boolean;
  matches(fields: Fields): boolean;
  /** The value a field must equal for this selector to match, if it pins one (for index lookups). */
  exactMatch(field: string): string | undefined;
  toString(): string;
}

/** Backslash-escapes the three characters that would otherwise end a value. */
export const escapeFieldValue = (v: string): string => v.replace(/[\\,=]/g, (c) => `\\${c}`);

/** Undoes `escapeFieldValue`; a lone backslash, an unknown escape or a bare `,`/`=` is an error. */
export function unescapeFieldValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i] ?? '';
    if (c === '\\') {
      const n = v[i + 1];
      if (n !== '\\' && n !== ',' && n !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${n ?? ''}`);
      }
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  return out;
}

/** Splits on commas that are not escaped; escapes stay in the pieces. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** The first unescaped operator splits a term; `!=` and `==` win over `=` at the same place. */
function splitTerm(term: string): [string, '=' | '!=', string] | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++;
      continue;
    }
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op === '!=' ? '!=' : '=', term.slice(i + op.length)];
    }
  }
  return undefined;
}

const termString = (r: FieldRequirement): string => `${r.field}${r.operator}${escapeFieldValue(r.value)}`;

class TermsSelector implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];

  constructor(reqs: readonly FieldRequirement[]) {
    this.requirements = [...reqs].sort((a, b) => {
      const x = termString(a);
      const y = termString(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }

  get isEverything(): boolean {
    return this.requirements.length === 0;
  }

  matches(fields: Fields): boolean {
    return this.requirements.every((r) => {
      const got = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
      return r.operator === '=' ? got === r.value : got !== r.value;
    });
  }

  exactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  toString(): string {
    return this.requirements.map(termString).join(',');
  }
}

/** A selector from requirements built in code (values unescaped). */
export const fieldSelectorFromRequirements = (reqs: readonly FieldRequirement[]): FieldSelector => new TermsSelector(reqs);

/** Matches every object. */
export const everyField = (): FieldSelector => new TermsSelector([]);

/** Parses the string syntax; throws a BadRequest StatusError whose message names the bad term. */
export function parseFieldSelector(input: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(input)) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    const [field, operator, raw] = parts;
    reqs.push({ field, operator, value: unescapeFieldValue(raw) });
  }
  return new TermsSelector(reqs);
}
