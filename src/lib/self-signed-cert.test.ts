// The DER-built certificate as its users see it: node's X509 parser and openssl read it, its
// signature verifies with its own key, it names its hosts and addresses, and a TLS client that
// trusts it completes a handshake to a server presenting it (on loopback).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { selfSignedCert } from './self-signed-cert.js';

const YEAR = 365 * 24 * 3600 * 1000;

describe('selfSignedCert', () => {
  const now = Date.now();
  const c = selfSignedCert({ commonName: 'node-1@tugboat-agent', names: ['localhost', 'node-1', '127.0.0.1', '10.0.0.7', '::1', 'fd00::a:1', 'localhost'], notBefore: new Date(now - 60_000), notAfter: new Date(now + 10 * YEAR) });
  const x = new X509Certificate(c.certPem);

  it('is a self-signed v3 leaf with the given names and validity', () => {
    assert.equal(x.subject, 'CN=node-1@tugboat-agent');
    assert.equal(x.issuer, x.subject);
    assert.equal(x.ca, false);
    assert.ok(x.verify(x.publicKey), 'signed by its own key');
    assert.ok(x.checkPrivateKey(createPrivateKey(c.keyPem)));
    assert.equal(x.subjectAltName, 'DNS:localhost, DNS:node-1, IP Address:127.0.0.1, IP Address:10.0.0.7, IP Address:0:0:0:0:0:0:0:1, IP Address:FD00:0:0:0:0:0:A:1');
    assert.equal(x.checkHost('node-1'), 'node-1');
    assert.equal(x.checkIP('10.0.0.7'), '10.0.0.7');
    assert.equal(x.checkIP('fd00::a:1'), 'fd00::a:1');
    assert.deepEqual(x.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    // UTCTime before 2050, GeneralizedTime after: both read back to the second.
    assert.equal(Date.parse(x.validTo), Math.floor((now + 10 * YEAR) / 1000) * 1000);
    const late = new X509Certificate(selfSignedCert({ commonName: 'x', names: [], notBefore: new Date('2049-12-31T23:59:59Z'), notAfter: new Date('2060-01-02T03:04:05Z') }).certPem);
    assert.equal(new Date(late.validTo).toISOString(), '2060-01-02T03:04:05.000Z');
    assert.equal(new Date(late.validFrom).toISOString(), '2049-12-31T23:59:59.000Z');
  });

  it('is what openssl calls a CA:FALSE server certificate', () => {
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: c.certPem, encoding: 'utf8' });
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /ecdsa-with-SHA256/);
    assert.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
    assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
    assert.match(text, /TLS Web Server Authentication/);
  });

  it('serves TLS to a client that trusts it', async () => {
    const server = createServer({ cert: c.certPem, key: c.keyPem }, (s) => s.end('hello'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const port = (server.address() as AddressInfo).port;
      const sock = connect({ host: '127.0.0.1', port, ca: c.certPem, servername: 'node-1' });
      const [data] = (await once(sock, 'data')) as [Buffer];
      assert.equal(data.toString(), 'hello');
      assert.equal(sock.authorized, true);
      sock.destroy();
    } finally {
      server.close();
    }
  });
});
