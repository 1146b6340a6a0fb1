// channel.k8s.io framing: protocol names map to the right features (base64, v4 Status, v5 close),
// binary and base64 messages round-trip, and negotiation follows the client's preference.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeChannelMessage, decodeChannelMessage, encodeChannelMessage, framing, headerList, negotiate } from './channels.js';

describe('channel framing', () => {
  it('reads features from protocol names', () => {
    assert.deepEqual(framing('v5.channel.k8s.io'), { name: 'v5.channel.k8s.io', base64: false, closeSignal: true, statusJson: true });
    assert.deepEqual(framing('v4.base64.channel.k8s.io'), { name: 'v4.base64.channel.k8s.io', base64: true, closeSignal: false, statusJson: true });
    assert.deepEqual(framing('channel.k8s.io'), { name: 'channel.k8s.io', base64: false, closeSignal: false, statusJson: false });
  });

  it('round-trips binary and base64 messages', () => {
    for (const name of ['v5.channel.k8s.io', 'base64.channel.k8s.io']) {
      const f = framing(name);
      const enc = encodeChannelMessage(f, 2, Buffer.from('data\x00\xff'));
      const raw = typeof enc === 'string' ? Buffer.from(enc) : enc;
      assert.deepEqual(decodeChannelMessage(f, raw, typeof enc !== 'string'), { channel: 2, data: Buffer.from('data\x00\xff') });
    }
    assert.equal(encodeChannelMessage(framing('base64.channel.k8s.io'), 1, Buffer.from('hi')), '1aGk=');
    assert.deepEqual(closeChannelMessage(framing('v5.channel.k8s.io'), 0), Buffer.from([255, 0]));
    assert.equal(decodeChannelMessage(framing('v5.channel.k8s.io'), Buffer.alloc(0), true), undefined);
  });

  it('negotiates in the client order', () => {
    assert.equal(negotiate(['v5.channel.k8s.io', 'v4.channel.k8s.io'], ['v4.channel.k8s.io', 'v5.channel.k8s.io']), 'v5.channel.k8s.io');
    assert.equal(negotiate(['v9.channel.k8s.io'], ['v4.channel.k8s.io']), undefined);
    assert.deepEqual(headerList(['v5.channel.k8s.io, v4.channel.k8s.io', 'channel.k8s.io']), ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io']);
  });
});
