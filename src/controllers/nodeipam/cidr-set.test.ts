// Unit tests of the node subnet allocator: parsing and printing CIDRs of both families, handing
// out each subnet once, continuing after the last one, and excluding ranges already in use.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CidrSet, formatCidr, parseCidr } from './cidr-set.js';

const set = (cidr: string, mask: number): CidrSet => new CidrSet(parseCidr(cidr) ?? assert.fail(`bad ${cidr}`), mask);

describe('parseCidr / formatCidr', () => {
  it('normalises addresses to their network and prints IPv6 compressed', () => {
    const round = (s: string): string | undefined => {
      const c = parseCidr(s);
      return c && formatCidr(c);
    };
    assert.equal(round('10.42.7.9/16'), '10.42.0.0/16');
    assert.equal(round('2001:db8:0:0:1::/56'), '2001:db8::/56');
    assert.equal(round('fd00:0:0:1:0:0:0:0/64'), 'fd00:0:0:1::/64');
    assert.equal(round('::ffff:10.0.0.1/128'), '::ffff:a00:1/128');
    assert.equal(round('1:0:0:1:0:0:0:1/128'), '1:0:0:1::1/128', 'the longest zero run');
    assert.equal(round('1:0:0:1:0:0:1:1/128'), '1::1:0:0:1:1/128', 'the first of equal runs');
    for (const bad of ['10.0.0.0', '10.0.0.256/8', '10.0.0.0/33', '1::2::3/64', 'fd00::/129', '1:2:3:4:5:6:7:8:9/64']) assert.equal(parseCidr(bad), undefined, bad);
  });
});

describe('CidrSet', () => {
  it('hands out every /24 of a /22 once, then nothing', () => {
    const s = set('10.42.0.0/22', 24);
    const got = [s.allocate(), s.allocate(), s.allocate(), s.allocate()];
    assert.deepEqual(got, ['10.42.0.0/24', '10.42.1.0/24', '10.42.2.0/24', '10.42.3.0/24']);
    assert.equal(s.allocate(), undefined);
    s.release('10.42.1.0/24');
    assert.equal(s.allocate(), '10.42.1.0/24');
  });

  it('continues after the last subnet handed out rather than reusing a freed one at once', () => {
    const s = set('10.42.0.0/16', 24);
    s.allocate();
    s.allocate();
    s.release('10.42.0.0/24');
    assert.equal(s.allocate(), '10.42.2.0/24');
  });

  it('skips subnets already taken, and ignores CIDRs outside the cluster range', () => {
    const s = set('10.42.0.0/16', 24);
    assert.equal(s.occupy('10.42.0.0/24'), true);
    assert.equal(s.occupy('10.42.2.0/23'), true, 'a wider range takes every subnet it covers');
    assert.equal(s.occupy('10.99.0.0/24'), false);
    assert.equal(s.occupy('fd00::/64'), false);
    assert.equal(s.allocate(), '10.42.1.0/24');
    assert.equal(s.allocate(), '10.42.4.0/24');
    assert.equal(s.free, 256 - 5);
  });

  it('cuts IPv6 ranges too, and refuses masks that make too many subnets', () => {
    const s = set('fd00:42::/56', 64);
    assert.equal(s.allocate(), 'fd00:42::/64');
    assert.equal(s.allocate(), 'fd00:42:0:1::/64');
    assert.throws(() => set('fd00::/32', 64), /65536/);
    assert.throws(() => set('10.42.0.0/16', 8), /does not fit/);
  });
});
