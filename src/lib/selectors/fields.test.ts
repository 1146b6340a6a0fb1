// Tests for field selectors: =, ==, != terms, escaping of `\`, `,` and `=`, missing fields
// reading as "", and the messages for malformed selectors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { escapeFieldValue, parseFieldSelector, unescapeFieldValue } from './index.js';

const pod = { 'metadata.name': 'web-1', 'metadata.namespace': 'default', 'status.phase': 'Running', 'spec.nodeName': 'n1' };

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError);
    assert.equal(err.reason, 'BadRequest');
    return err.message;
  }
  assert.fail('expected an error');
}

describe('parseFieldSelector', () => {
  const cases: [string, boolean][] = [
    ['metadata.name=web-1', true],
    ['metadata.name==web-1', true],
    ['metadata.name!=web-1', false],
    ['metadata.name=web-1,status.phase!=Running', false],
    ['metadata.name=web-1,status.phase!=Pending', true],
    ['spec.nodeName=', false],
    ['spec.unknown=', true],
    ['spec.unknown!=x', true],
    ['', true],
  ];
  for (const [sel, want] of cases) {
    it(`${JSON.stringify(sel)} ${want ? 'matches' : 'does not match'}`, () => {
      assert.equal(parseFieldSelector(sel).matches(pod), want);
    });
  }

  it('unescapes values', () => {
    const s = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d');
    assert.deepEqual(s.requirements, [{ field: 'metadata.name', operator: '=', value: 'a,b=c\\d' }]);
    assert.equal(s.matches({ 'metadata.name': 'a,b=c\\d' }), true);
    assert.equal(s.toString(), 'metadata.name=a\\,b\\=c\\\\d');
  });

  it('sorts terms and reports exact matches', () => {
    const s = parseFieldSelector('status.phase!=Failed,spec.nodeName==n1');
    assert.equal(s.toString(), 'spec.nodeName=n1,status.phase!=Failed');
    assert.equal(s.exactMatch('spec.nodeName'), 'n1');
    assert.equal(s.exactMatch('status.phase'), undefined);
  });

  it('rejects terms without an operator', () => {
    assert.equal(message(() => parseFieldSelector('a=b,c')), "invalid selector: 'a=b,c'; can't understand 'c'");
  });

  it('rejects bad escapes and bare separators in values', () => {
    assert.equal(message(() => parseFieldSelector('a=b\\x')), 'invalid field selector: invalid escape sequence: \\x');
    assert.equal(message(() => parseFieldSelector('a=b\\')), 'invalid field selector: invalid escape sequence: \\');
    assert.equal(message(() => parseFieldSelector('a==b=c')), 'invalid field selector: unescaped character in value: =');
  });

  it('escape and unescape are inverses', () => {
    for (const v of ['', 'plain', 'a,b', 'x=y', 'back\\slash', ',=\\']) assert.equal(unescapeFieldValue(escapeFieldValue(v)), v);
  });
});
