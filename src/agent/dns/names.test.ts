import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dashedIP, ipBytes, ipKey, normalizeName, reverseName, reverseToKey, undashIP } from './names.js';

describe('dns names', () => {
  it('normalizes case and the trailing dot', () => {
    assert.equal(normalizeName('Web.Default.SVC.cluster.local.'), 'web.default.svc.cluster.local');
  });

  it('dashes and undashes IPv4 and IPv6 addresses', () => {
    assert.equal(dashedIP('10.244.1.5'), '10-244-1-5');
    assert.equal(dashedIP('FD00::5'), 'fd00--5');
    assert.equal(undashIP('10-244-1-5'), '10.244.1.5');
    assert.equal(undashIP('fd00--5'), 'fd00::5');
    assert.equal(undashIP('10-244-1-256'), undefined);
    assert.equal(undashIP('web-0'), undefined);
  });

  it('gives one key to every spelling of an IPv6 address', () => {
    assert.equal(ipKey('fd00::5'), ipKey('fd00:0:0:0:0:0:0:5'));
    assert.equal(ipKey('fd00::5'), 'fd000000000000000000000000000005');
    assert.equal(ipKey('::ffff:1.2.3.4'), '00000000000000000000ffff01020304');
    assert.equal(ipKey('1.2.3.4'), '1.2.3.4');
    assert.equal(ipKey('nope'), undefined);
    assert.deepEqual([...(ipBytes('fd00::5') ?? [])], [0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
    assert.deepEqual([...(ipBytes('10.0.0.1') ?? [])], [10, 0, 0, 1]);
  });

  it('maps addresses to reverse names and back', () => {
    assert.equal(reverseName('10.43.0.1'), '1.0.43.10.in-addr.arpa');
    assert.equal(reverseToKey('1.0.43.10.in-addr.arpa'), '10.43.0.1');
    const v6 = reverseName('fd00::5');
    assert.ok(v6?.startsWith('5.0.0.0.') && v6.endsWith('.d.f.ip6.arpa'));
    assert.equal(reverseToKey(v6 ?? ''), ipKey('fd00::5'));
    // Partial reverse names are zones, not addresses.
    assert.equal(reverseToKey('43.10.in-addr.arpa'), undefined);
    assert.equal(reverseToKey('1.0.43.010.in-addr.arpa'), undefined);
  });
});
