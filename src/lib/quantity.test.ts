// Tests for resource quantities: every suffix family parses to the right base value, junk is
// refused, formatting picks the canonical suffix, and comparison ignores floating-point noise.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuantity, formatQuantity, normalizeQuantity, compareQuantities } from './quantity.js';

const value = (s: string | number): number | undefined => parseQuantity(s)?.value;

describe('parseQuantity', () => {
  it('parses plain and decimal numbers', () => {
    assert.equal(value('1'), 1);
    assert.equal(value('0.5'), 0.5);
    assert.equal(value('.5'), 0.5);
    assert.equal(value('2.'), 2);
    assert.equal(value('+3'), 3);
    assert.equal(value('-3'), -3);
    assert.equal(value(7), 7);
  });

  it('parses binary suffixes as powers of 1024', () => {
    assert.equal(value('1Ki'), 1024);
    assert.equal(value('128Mi'), 128 * 2 ** 20);
    assert.equal(value('1.5Gi'), 1.5 * 2 ** 30);
    assert.equal(value('2Ti'), 2 * 2 ** 40);
    assert.equal(value('1Pi'), 2 ** 50);
    assert.equal(value('1Ei'), 2 ** 60);
  });

  it('parses decimal SI suffixes, milli, micro and nano', () => {
    assert.equal(value('500m'), 0.5);
    assert.equal(value('100m'), 0.1);
    assert.equal(value('1k'), 1000);
    assert.equal(value('1M'), 1e6);
    assert.equal(value('1G'), 1e9);
    assert.equal(value('1T'), 1e12);
    assert.equal(value('1P'), 1e15);
    assert.equal(value('1E'), 1e18);
    assert.equal(value('5u'), 5e-6);
    assert.equal(value('7n'), 7e-9);
  });

  it('parses decimal exponents with e and E', () => {
    assert.equal(value('1e3'), 1000);
    assert.equal(value('1E3'), 1000);
    assert.equal(value('12e-3'), 0.012);
    assert.equal(value('2e+2'), 200);
  });

  it('refuses text that is not a quantity', () => {
    for (const bad of ['', 'abc', '1Kb', '1 Gi', 'Gi', '1.2.3', '1mi', '1KiB', '--1', '1e', NaN, Infinity]) {
      assert.equal(parseQuantity(bad), undefined, `accepted ${String(bad)}`);
    }
  });
});

describe('formatQuantity', () => {
  it('picks the largest decimal suffix that keeps an integer', () => {
    assert.equal(formatQuantity(1), '1');
    assert.equal(formatQuantity(0), '0');
    assert.equal(formatQuantity(0.5), '500m');
    assert.equal(formatQuantity(0.1), '100m');
    assert.equal(formatQuantity(1500), '1500');
    assert.equal(formatQuantity(2000), '2k');
    assert.equal(formatQuantity(3e9), '3G');
    assert.equal(formatQuantity(-0.25), '-250m');
    assert.equal(formatQuantity(5e-6), '5u');
  });

  it('uses binary suffixes when asked and the value divides evenly', () => {
    assert.equal(formatQuantity(128 * 2 ** 20, { format: 'BinarySI' }), '128Mi');
    assert.equal(formatQuantity(2 ** 30, { format: 'BinarySI' }), '1Gi');
    assert.equal(formatQuantity(1000, { format: 'BinarySI' }), '1k');
  });

  it('round-trips through parseQuantity', () => {
    for (const v of [0.001, 0.25, 3, 64, 1e6, 123456789]) assert.equal(value(formatQuantity(v)), v);
  });
});

describe('normalizeQuantity and compareQuantities', () => {
  it('writes quantities in the canonical form Kubernetes stores', () => {
    assert.equal(normalizeQuantity(1), '1');
    assert.equal(normalizeQuantity(0.5), '500m');
    assert.equal(normalizeQuantity('1000m'), '1');
    assert.equal(normalizeQuantity('1024Mi'), '1Gi');
    assert.equal(normalizeQuantity('1e3'), '1e3');
  });

  it('compares across suffixes', () => {
    const q = (s: string) => parseQuantity(s) ?? assert.fail(s);
    assert.equal(compareQuantities(q('1000m'), q('1')), 0);
    assert.equal(compareQuantities(q('0.3'), q('300m')), 0);
    assert.equal(compareQuantities(q('1Gi'), q('1G')), 1);
    assert.equal(compareQuantities(q('250m'), q('1')), -1);
  });
});
