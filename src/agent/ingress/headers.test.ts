// Header rewriting at the proxy hop, the status address list, and listen-address parsing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/core/v1/index.js';
import type { Ingress } from '../../api/networking/v1/index.js';
import { backendRequestHeaders, clientAddress, clientResponseHeaders, switchingProtocolsHead } from './headers.js';
import { parseListen } from './listen.js';
import { loadBalancerAddresses, statusMatches } from './status.js';

const pairs = (raw: string[]): string[] => raw.reduce<string[]>((acc, v, i) => (i % 2 ? acc : [...acc, `${v.toLowerCase()}: ${raw[i + 1] ?? ''}`]), []);
const fwd = { clientIp: '10.1.2.3', proto: 'https' as const, port: 443, host: 'app.example.com' };

describe('backend request headers', () => {
  it('drops hop-by-hop headers, including those Connection lists, and keeps repeated ones in order', () => {
    const raw = ['Host', 'app.example.com', 'Connection', 'keep-alive, X-Secret-Hop', 'Keep-Alive', 'timeout=5', 'X-Secret-Hop', '1', 'TE', 'trailers', 'Cookie', 'a=1', 'Cookie', 'b=2', 'Transfer-Encoding', 'chunked'];
    const out = pairs(backendRequestHeaders(raw, fwd));
    assert.deepEqual(out.slice(0, 3), ['host: app.example.com', 'cookie: a=1', 'cookie: b=2']);
    for (const h of ['connection', 'keep-alive', 'x-secret-hop', 'te', 'transfer-encoding']) assert.ok(!out.some((l) => l.startsWith(`${h}:`)), h);
  });

  it('replaces client-sent forwarding headers with its own', () => {
    const raw = ['Host', 'app.example.com:8443', 'X-Forwarded-For', '6.6.6.6', 'X-Real-IP', '6.6.6.6', 'X-Forwarded-Proto', 'gopher'];
    const out = pairs(backendRequestHeaders(raw, { ...fwd, host: 'app.example.com:8443' }));
    assert.deepEqual(out.filter((l) => l.startsWith('x-')).sort(), [
      'x-forwarded-for: 10.1.2.3',
      'x-forwarded-host: app.example.com:8443',
      'x-forwarded-port: 443',
      'x-forwarded-proto: https',
      'x-real-ip: 10.1.2.3',
    ]);
  });

  it('keeps Upgrade for upgrade requests and says Connection: Upgrade once', () => {
    const raw = ['Host', 'h', 'Connection', 'Upgrade', 'Upgrade', 'websocket', 'Sec-WebSocket-Key', 'k'];
    const out = pairs(backendRequestHeaders(raw, fwd, { upgrade: 'websocket' }));
    assert.equal(out.filter((l) => l.startsWith('connection:')).length, 1);
    assert.ok(out.includes('connection: Upgrade') && out.includes('upgrade: websocket') && out.includes('sec-websocket-key: k'));
  });

  it('filters responses and writes 101 heads', () => {
    assert.deepEqual(pairs(clientResponseHeaders(['Content-Type', 'text/plain', 'Connection', 'close', 'Set-Cookie', 'a', 'Set-Cookie', 'b'])), ['content-type: text/plain', 'set-cookie: a', 'set-cookie: b']);
    const head = switchingProtocolsHead(undefined, ['Upgrade', 'websocket', 'Connection', 'Upgrade', 'Sec-WebSocket-Accept', 'xyz'], 'websocket');
    assert.equal(head, 'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: xyz\r\n\r\n');
  });

  it('writes IPv4-mapped client addresses as IPv4', () => {
    assert.equal(clientAddress('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(clientAddress('::1'), '::1');
  });
});

describe('status addresses', () => {
  const node = (ip: string, ready: string): Node => ({ metadata: { name: ip }, status: { addresses: [{ type: 'Hostname', address: 'h' }, { type: 'InternalIP', address: ip }], conditions: [{ type: 'Ready', status: ready }] } }) as Node;

  it('lists the InternalIP of every Ready node once, sorted numerically', () => {
    assert.deepEqual(loadBalancerAddresses([node('10.0.0.10', 'True'), node('10.0.0.9', 'True'), node('10.0.0.2', 'False'), node('10.0.0.9', 'True')]), ['10.0.0.9', '10.0.0.10']);
  });

  it('compares the current status exactly', () => {
    const ing = (ips: string[]): Ingress => ({ metadata: { name: 'i' }, status: { loadBalancer: { ingress: ips.map((ip) => ({ ip })) } } });
    assert.ok(statusMatches(ing(['1.1.1.1', '2.2.2.2']), ['1.1.1.1', '2.2.2.2']));
    assert.ok(!statusMatches(ing(['1.1.1.1']), ['1.1.1.1', '2.2.2.2']));
    assert.ok(!statusMatches(ing(['2.2.2.2', '1.1.1.1']), ['1.1.1.1', '2.2.2.2']));
    assert.ok(!statusMatches({ metadata: { name: 'i' } }, ['1.1.1.1']));
  });
});

describe('listen addresses', () => {
  it('parses the forms the agent flags take', () => {
    assert.deepEqual(parseListen(':80'), { host: undefined, port: 80 });
    assert.deepEqual(parseListen('8080'), { host: undefined, port: 8080 });
    assert.deepEqual(parseListen('127.0.0.1:8443'), { host: '127.0.0.1', port: 8443 });
    assert.deepEqual(parseListen('[::1]:443'), { host: '::1', port: 443 });
    assert.equal(parseListen(''), undefined);
    assert.throws(() => parseListen('host:port'));
    assert.throws(() => parseListen(':70000'));
  });
});
