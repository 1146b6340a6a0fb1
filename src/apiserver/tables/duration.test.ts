// Tests for the human duration used in every AGE column, at each boundary where its precision
// changes, and for ages measured against an injected clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, since } from './duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  const cases: [number, string][] = [
    [-3 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [5 * s, '5s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 30 * s, '2m30s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 12 * m, '3h12m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 5 * h, '2d5h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 5 * h, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [800 * d, '2y70d'],
    [8 * 365 * d + 100 * d, '8y'],
  ];
  for (const [ms, want] of cases) it(`${ms}ms → ${want}`, () => assert.equal(humanDuration(ms), want));
});

describe('since', () => {
  it('measures from the injected clock', () => {
    assert.equal(since('2024-05-01T10:00:00Z', new Date('2024-05-01T10:04:05Z')), '4m5s');
  });
  it('reads microsecond timestamps', () => {
    assert.equal(since('2024-05-01T10:00:00.123456Z', new Date('2024-05-01T10:00:30.2Z')), '30s');
  });
  it('is <unknown> without a timestamp', () => {
    assert.equal(since(undefined, new Date()), '<unknown>');
    assert.equal(since(null, new Date()), '<unknown>');
  });
});
