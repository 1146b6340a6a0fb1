// The WebSocket sub-protocol bearer token: what is taken as a token, what is refused, and which
// protocols are left for the handshake to agree on.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { adoptProtocolToken, BEARER_PROTOCOL_PREFIX, parseProtocolToken } from './websocket-token.js';

const carrier = (token: string): string => `${BEARER_PROTOCOL_PREFIX}${Buffer.from(token).toString('base64url')}`;
const request = (headers: Record<string, string>): IncomingMessage => ({ headers: { ...headers } }) as unknown as IncomingMessage;

describe('bearer token in a WebSocket sub-protocol', () => {
  it('decodes the token and keeps the channel protocols in their order', () => {
    // A token whose base64 would need padding and contains the url-safe characters.
    const token = 'a?b>c~~';
    const p = parseProtocolToken(`v5.channel.k8s.io, ${carrier(token)}, v4.channel.k8s.io`);
    assert.deepEqual(p, { kind: 'token', token, rest: ['v5.channel.k8s.io', 'v4.channel.k8s.io'] });
  });

  it('ignores requests without a bearer entry', () => {
    assert.deepEqual(parseProtocolToken(undefined), { kind: 'none' });
    assert.deepEqual(parseProtocolToken('v4.channel.k8s.io'), { kind: 'none' });
  });

  it('refuses padded, empty and repeated entries', () => {
    assert.equal(parseProtocolToken(`${BEARER_PROTOCOL_PREFIX}YWJj=, v5.channel.k8s.io`).kind, 'invalid');
    assert.equal(parseProtocolToken(`${BEARER_PROTOCOL_PREFIX}, v5.channel.k8s.io`).kind, 'invalid');
    assert.equal(parseProtocolToken(`${carrier('x')}, ${carrier('y')}`).kind, 'invalid');
  });

  it('moves the token into Authorization and out of the offered protocols', () => {
    const req = request({ 'sec-websocket-protocol': `${carrier('tok')},v5.channel.k8s.io` });
    adoptProtocolToken(req);
    assert.equal(req.headers.authorization, 'Bearer tok');
    assert.equal(req.headers['sec-websocket-protocol'], 'v5.channel.k8s.io');
  });

  it('drops the header when the token was the only protocol, and keeps an explicit Authorization', () => {
    const req = request({ 'sec-websocket-protocol': carrier('from-protocol'), authorization: 'Bearer from-header' });
    adoptProtocolToken(req);
    assert.equal(req.headers.authorization, 'Bearer from-header');
    assert.equal(req.headers['sec-websocket-protocol'], undefined);
  });

  it('a malformed entry adds no credentials but is still not passed on', () => {
    const req = request({ 'sec-websocket-protocol': `${BEARER_PROTOCOL_PREFIX}not*base64, v5.channel.k8s.io` });
    assert.equal(adoptProtocolToken(req).kind, 'invalid');
    assert.equal(req.headers.authorization, undefined);
    assert.equal(req.headers['sec-websocket-protocol'], 'v5.channel.k8s.io');
  });
});
