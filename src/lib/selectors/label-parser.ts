// The string syntax of label selectors, as accepted in `?labelSelector=` and `kubectl -l`:
// comma-separated requirements (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
// `a>1`, `a<1`), whitespace allowed between tokens. A small lexer and a recursive-descent parser
// that reject bad input with the same messages Kubernetes gives, so scripts that match on them
// keep working.
import { badRequest } from '../errors.js';
import { aggregate, requirementProblems, selectorFromRequirements, type LabelOperator, type Requirement, type Selector } from './labels.js';
import { invalidValue, labelKeyProblems } from './validation.js';

type TokenKind = 'end' | 'ident' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';

interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS: ReadonlySet<string> = new Set(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const isSpecial = (c: string): boolean => '=!(),><'.includes(c);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < input.length && isSpace(input[i] ?? '')) i++;
    if (i >= input.length) {
      out.push({ kind: 'end', text: '' });
      return out;
    }
    const c = input[i] ?? '';
    if (isSpecial(c)) {
      // Longest operator that is a known token: `!=` rather than `!` then `=`.
      let text = c;
      i++;
      while (i < input.length && SYMBOLS.has(text + (input[i] ?? ''))) text += input[i++];
      out.push({ kind: text as TokenKind, text });
      continue;
    }
    const start = i;
    while (i < input.length && !isSpecial(input[i] ?? '') && !isSpace(input[i] ?? '')) i++;
    const text = input.slice(start, i);
    out.push({ kind: text === 'in' || text === 'notin' ? text : 'ident', text });
  }
}

/** Where a token is read: `in`/`notin` are operators only right after a key. */
type Context = 'operator' | 'values';

class ParseError extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(ctx: Context): Token {
    return this.view(this.tokens[this.pos] ?? { kind: 'end', text: '' }, ctx);
  }

  private next(ctx: Context): Token {
    const t = this.peek(ctx);
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private view(t: Token, ctx: Context): Token {
    return ctx === 'values' && (t.kind === 'in' || t.kind === 'notin') ? { kind: 'ident', text: t.text } : t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.peek('values');
      if (t.kind === 'end') return reqs;
      if (t.kind !== 'ident' && t.kind !== '!') throw new ParseError(`found '${t.text}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (err) {
        if (err instanceof ParseError) throw new ParseError(`unable to parse requirement: ${err.message}`);
        throw err;
      }
      const after = this.next('values');
      if (after.kind === 'end') return reqs;
      if (after.kind !== ',') throw new ParseError(`found '${after.text}', expected: ',' or 'end of string'`);
      const following = this.peek('values');
      if (following.kind !== 'ident' && following.kind !== '!')
        throw new ParseError(`found '${following.text}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let t = this.next('values');
    const negated = t.kind === '!';
    if (negated) t = this.next('values');
    if (t.kind !== 'ident') throw new ParseError(`found '${t.text}', expected: identifier`);
    const key = t.text;
    const keyProblems = labelKeyProblems(key);
    // Kubernetes validates a parsed key against an empty field path, which prints as <nil>.
    if (keyProblems.length > 0) throw new ParseError(invalidValue('<nil>', key, keyProblems));
    // `!key` stands alone; whatever follows it is the caller's to reject.
    if (negated) return this.build(key, '!', []);
    const la = this.peek('values').kind;
    if (la === 'end' || la === ',') return this.build(key, 'exists', []);
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.setValues() : [this.exactValue()];
    return this.build(key, op, values);
  }

  private build(key: string, operator: LabelOperator, raw: string[]): Requirement {
    const values = [...new Set(raw)].sort();
    const problems = requirementProblems(key, operator, values);
    if (problems.length > 0) throw new ParseError(aggregate(problems));
    return { key, operator, values };
  }

  private operator(): LabelOperator {
    const t = this.next('operator');
    switch (t.kind) {
      case 'in':
      case 'notin':
      case '=':
      case '==':
      case '!=':
        return t.kind;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new ParseError(`found '${t.text}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  /** `(a,b)`; empty entries mean the empty value, so `()` and `(a,)` include "". */
  private setValues(): string[] {
    const open = this.next('values');
    if (open.kind !== '(') throw new ParseError(`found '${open.text}', expected: '('`);
    const first = this.peek('values');
    if (first.kind === ')') {
      this.next('values');
      return [''];
    }
    if (first.kind !== 'ident' && first.kind !== ',')
      throw new ParseError(`found '${first.text}', expected: ',', ')' or identifier`);
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const t = this.next('values');
      if (t.kind === 'ident' && expectValue) {
        values.push(t.text);
        expectValue = false;
        const la = this.peek('values');
        if (la.kind !== ',' && la.kind !== ')') throw new ParseError(`found '${la.text}', expected: ',' or ')'`);
      } else if (t.kind === ',') {
        if (expectValue) values.push('');
        expectValue = true;
      } else if (t.kind === ')') {
        if (expectValue) values.push('');
        return values;
      } else {
        throw new ParseError(`found '${t.text}', expected: ',', or identifier`);
      }
    }
  }

  /** The one value after `=`, `!=`, `>`...; nothing before a comma or the end means "". */
  private exactValue(): string {
    const la = this.peek('values');
    if (la.kind === 'end' || la.kind === ',') return '';
    const t = this.next('values');
    if (t.kind !== 'ident') throw new ParseError(`found '${t.text}', expected: identifier`);
    return t.text;
  }
}

/** Parses the string syntax; throws a BadRequest StatusError whose message names the bad part. */
export function parseLabelSelector(input: string): Selector {
  try {
    return selectorFromRequirements(new Parser(lex(input)).parse());
  } catch (err) {
    if (err instanceof ParseError) throw badRequest(err.message);
    throw err;
  }
}
