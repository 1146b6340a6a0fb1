// Unit tests of key ordering and prefix ranges, the pieces that must agree with etcd's and
// SQLite's byte order for lists to page correctly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareKeys, prefixEnd, prefixEndBytes } from './keys.js';

describe('keys', () => {
  it('compareKeys orders like UTF-8 bytes', () => {
    const keys = ['b', 'a/\u{1f600}', 'a/\uffee', 'a', 'a/', 'a/\u00e9'];
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual([...keys].sort(compareKeys), byBytes);
  });

  it('prefixEnd bounds exactly the strings with the prefix', () => {
    assert.equal(prefixEnd('/a/'), '/a0');
    assert.equal(prefixEnd('/a\u{10ffff}'), '/b');
    assert.equal(prefixEnd('\ud7ff'), '\ue000');
    assert.equal(prefixEnd(''), undefined);
    assert.equal(prefixEnd('\u{10ffff}'), undefined);
  });

  it('prefixEndBytes increments the last byte that can be', () => {
    assert.deepEqual([...prefixEndBytes(Buffer.from('/a/'))], [...Buffer.from('/a0')]);
    assert.deepEqual([...prefixEndBytes(Uint8Array.from([1, 0xff]))], [2]);
    assert.deepEqual([...prefixEndBytes(new Uint8Array(0))], [0]);
  });
});
