// Tests for label selectors: the string syntax (matching, canonical printing, Kubernetes-worded
// errors), LabelSelector objects (null matches nothing, {} matches everything) and the helpers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import {
  everything,
  formatLabelSelector,
  formatLabels,
  labelSelectorAsSelector,
  labelSelectorOrEverything,
  nothing,
  parseLabelSelector,
  requirement,
  selectorFromSet,
} from './index.js';

const web = { app: 'web', tier: 'frontend', replicas: '3' };

function badRequestMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, `expected StatusError, got ${String(err)}`);
    assert.equal(err.reason, 'BadRequest');
    assert.equal(err.code, 400);
    return err.message;
  }
  assert.fail('expected an error');
}

describe('parseLabelSelector', () => {
  const cases: [string, boolean][] = [
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (db,web)', true],
    ['app in (db)', false],
    ['app notin (db)', true],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['missing in (x)', false],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    ['  app = web ,  tier in ( frontend , backend ) ', true],
    ['replicas>2', true],
    ['replicas<3', false],
    ['app>2', false],
    ['', true],
  ];
  for (const [sel, want] of cases) {
    it(`${JSON.stringify(sel)} ${want ? 'matches' : 'does not match'}`, () => {
      assert.equal(parseLabelSelector(sel).matches(web), want);
    });
  }

  it('treats an empty value as a value', () => {
    assert.equal(parseLabelSelector('a=').matches({ a: '' }), true);
    assert.equal(parseLabelSelector('a=').matches({}), false);
    assert.equal(parseLabelSelector('a in (x,)').matches({ a: '' }), true);
    assert.equal(parseLabelSelector('a in ()').matches({ a: '' }), true);
  });

  it('accepts the keywords as values and keys', () => {
    assert.equal(parseLabelSelector('a in (in,notin)').matches({ a: 'notin' }), true);
    assert.equal(parseLabelSelector('in=x').matches({ in: 'x' }), true);
  });

  it('prints a canonical, sorted form that parses back', () => {
    const s = parseLabelSelector('z notin (b,a,b), !y, a==1, m in (q), k!=v, e, n>5');
    assert.equal(s.toString(), 'a==1,e,k!=v,m in (q),n>5,!y,z notin (a,b)');
    assert.equal(parseLabelSelector(s.toString()).toString(), s.toString());
    assert.equal(s.requirements.map((r) => r.key).join(' '), 'a e k m n y z');
  });

  it('matches nothing-labelled objects by absence only', () => {
    assert.equal(parseLabelSelector('!a').matches(undefined), true);
    assert.equal(parseLabelSelector('a').matches(undefined), false);
  });

  const errors: [string, string][] = [
    ['a in b', "unable to parse requirement: found 'b', expected: '('"],
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (b c)', "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ['a=b,', "found '', expected: identifier after ','"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['=b', "found '=', expected: !, identifier, or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['a>x', "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"],
  ];
  for (const [sel, msg] of errors) {
    it(`rejects ${JSON.stringify(sel)}`, () => assert.equal(badRequestMessage(() => parseLabelSelector(sel)), msg));
  }

  it('names a bad key', () => {
    const msg = badRequestMessage(() => parseLabelSelector('-bad=x'));
    assert.match(msg, /^unable to parse requirement: <nil>: Invalid value: "-bad": name part must consist/);
  });

  it('names a bad value and its key', () => {
    const msg = badRequestMessage(() => parseLabelSelector('app=no good'));
    // The space ends the value, so the leftover token is what is reported.
    assert.equal(msg, "found 'good', expected: ',' or 'end of string'");
    const msg2 = badRequestMessage(() => parseLabelSelector('app=-x'));
    assert.match(msg2, /^unable to parse requirement: values\[0\]\[app\]: Invalid value: "-x": a valid label must be/);
  });

  it('rejects over-long keys', () => {
    assert.match(badRequestMessage(() => parseLabelSelector(`${'k'.repeat(64)}=v`)), /name part must be no more than 63 characters/);
  });
});

describe('LabelSelector objects', () => {
  it('null and undefined match nothing', () => {
    assert.equal(labelSelectorAsSelector(null).matches(web), false);
    assert.equal(labelSelectorAsSelector(undefined).matches({}), false);
    assert.equal(labelSelectorAsSelector(undefined).isEverything, false);
  });

  it('the OrEverything variant treats a missing selector as no restriction', () => {
    assert.equal(labelSelectorOrEverything(undefined).matches(web), true);
    assert.equal(labelSelectorOrEverything(null).isEverything, true);
  });

  it('an empty selector matches everything', () => {
    const s = labelSelectorAsSelector({});
    assert.equal(s.isEverything, true);
    assert.equal(s.matches({}), true);
    assert.equal(labelSelectorAsSelector({ matchLabels: {}, matchExpressions: [] }).matches(web), true);
  });

  it('combines matchLabels and matchExpressions', () => {
    const s = labelSelectorAsSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'replicas', operator: 'Exists' },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
      ],
    });
    assert.equal(s.matches(web), true);
    assert.equal(s.matches({ ...web, canary: 'true' }), false);
    assert.equal(s.matches({ ...web, env: 'prod' }), false);
    assert.equal(s.matches({ ...web, tier: 'backend' }), false);
    assert.equal(s.toString(), 'app=web,!canary,env notin (prod),replicas,tier in (edge,frontend)');
  });

  it('agrees with the string form of the same selector', () => {
    const obj = labelSelectorAsSelector({ matchLabels: { b: '2', a: '1' } });
    const str = parseLabelSelector('a=1,b=2');
    assert.equal(obj.toString(), str.toString());
  });

  it('rejects unknown operators and bad values', () => {
    assert.equal(
      badRequestMessage(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] })),
      '"Equals" is not a valid label selector operator',
    );
    assert.match(
      badRequestMessage(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })),
      /values set can't be empty/,
    );
    assert.match(
      badRequestMessage(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })),
      /values set must be empty/,
    );
  });
});

describe('helpers', () => {
  it('everything and nothing', () => {
    assert.equal(everything().matches({}), true);
    assert.equal(nothing().matches(web), false);
  });

  it('selectorFromSet', () => {
    const s = selectorFromSet({ tier: 'frontend', app: 'web' });
    assert.equal(s.toString(), 'app=web,tier=frontend');
    assert.equal(s.matches(web), true);
    assert.equal(s.matches({ app: 'web' }), false);
    assert.equal(selectorFromSet(undefined).matches({}), true);
  });

  it('requirement validates', () => {
    assert.deepEqual(requirement('a', 'in', ['y', 'x', 'y']).values, ['x', 'y']);
    assert.throws(() => requirement('a', '=', []), StatusError);
  });

  it('formats like the Kubernetes printers', () => {
    assert.equal(formatLabels({}), '<none>');
    assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
    assert.equal(formatLabelSelector({}), '<none>');
    assert.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web');
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), '<error>');
  });
});
