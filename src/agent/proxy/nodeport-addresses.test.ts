// Which addresses serve NodePorts: the node IP by default, the local addresses inside
// `--nodeport-addresses` CIDRs otherwise, every local address for 0.0.0.0/0, and the node IP
// (flagged) when no address matches; malformed CIDRs are refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EVERY_LOCAL_ADDRESS, nodePortAddresses, parseNodePortCidrs } from './nodeport-addresses.js';

const interfaces = [
  { address: '127.0.0.1', family: 'IPv4', internal: true },
  { address: '192.168.1.10', family: 'IPv4', internal: false },
  { address: '10.41.0.1', family: 'IPv4', internal: false },
  { address: 'fe80::1', family: 'IPv6', internal: false },
];

describe('nodePortAddresses', () => {
  it('defaults to the node IP', () => {
    assert.deepEqual(nodePortAddresses({ nodeIPs: ['10.41.0.1'], interfaces }), { addresses: ['10.41.0.1'], unmatched: false });
  });
  it('picks the local addresses inside the CIDRs', () => {
    assert.deepEqual(nodePortAddresses({ cidrs: ['192.168.0.0/16', '10.41.0.0/24'], nodeIPs: ['10.41.0.1'], interfaces }).addresses, ['10.41.0.1', '192.168.1.10']);
    assert.deepEqual(nodePortAddresses({ cidrs: ['127.0.0.0/8'], nodeIPs: ['10.41.0.1'], interfaces }), { addresses: ['10.41.0.1'], unmatched: true });
    assert.deepEqual(nodePortAddresses({ cidrs: ['0.0.0.0/0'], nodeIPs: ['10.41.0.1'], interfaces }).addresses, [...EVERY_LOCAL_ADDRESS]);
  });
  it('parses the flag', () => {
    assert.deepEqual(parseNodePortCidrs('10.0.0.0/8, 192.168.1.0/24'), ['10.0.0.0/8', '192.168.1.0/24']);
    assert.throws(() => parseNodePortCidrs('10.0.0.1'), /not an IPv4 CIDR/);
    assert.throws(() => parseNodePortCidrs(''), /at least one/);
  });
});
