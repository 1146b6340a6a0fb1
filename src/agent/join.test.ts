// Tests for joining a server: node-token parsing and CA pinning from the token's hash, including
// the attacks pinning must stop (a server presenting the real CA certificate next to a leaf some
// other key signed) and servers that do not send their CA at all.
// @peculiar/x509 needs the Reflect metadata polyfill loaded before it.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { webcrypto, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as x509 from '@peculiar/x509';
import { certHash, fetchPinnedCa, joinCredentials, parseNodeToken, pinnedCaFromChain } from './join.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

interface Issued {
  pem: string;
  keyPem: string;
  keys: CryptoKeyPair;
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

async function makeCa(cn: string): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${cn}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: ALG,
    keys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return { pem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey as webcrypto.CryptoKey), keys };
}

async function makeLeaf(issuer: Issued, issuerName: string): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: 'CN=test-apiserver',
    issuer: `CN=${issuerName}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }])],
  });
  return { pem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey as webcrypto.CryptoKey), keys };
}

const der = (pem: string): Buffer => Buffer.from(new X509Certificate(pem).raw);

async function serve(cert: string, key: string): Promise<{ server: Server; url: string }> {
  const server = createServer({ cert, key }, (_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('parseNodeToken', () => {
  it('reads the CA hash and secret of a K10 token, and accepts a bare secret', () => {
    const hash = 'ab'.repeat(32);
    assert.deepEqual(parseNodeToken(`K10${hash}::node:s3cret\n`), { caHash: hash, secret: 's3cret' });
    assert.deepEqual(parseNodeToken('plain-secret'), { caHash: undefined, secret: 'plain-secret' });
    assert.throws(() => parseNodeToken('K10nothex::node:x'), /malformed/);
    assert.throws(() => parseNodeToken('  \n'), /empty/);
  });
});

describe('CA pinning', () => {
  let ca: Issued;
  let leaf: Issued;
  let rogueCa: Issued;
  let rogueLeaf: Issued;
  let dir: string;
  const servers: Server[] = [];

  before(async () => {
    ca = await makeCa('cluster-ca');
    leaf = await makeLeaf(ca, 'cluster-ca');
    rogueCa = await makeCa('cluster-ca');
    rogueLeaf = await makeLeaf(rogueCa, 'cluster-ca');
    dir = await mkdtemp(join(tmpdir(), 'tug-join-'));
  });
  after(async () => {
    for (const s of servers) s.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('pins the CA whose hash the token names once it checks that CA issued the leaf', () => {
    const pem = pinnedCaFromChain([der(leaf.pem), der(ca.pem)], certHash(der(ca.pem)));
    assert.equal(certHash(der(pem)), certHash(der(ca.pem)));
    assert.throws(() => pinnedCaFromChain([der(leaf.pem), der(ca.pem)], certHash(der(rogueCa.pem))), /did not present a CA certificate matching/);
    // A rogue server can copy the real CA certificate into its chain, but cannot make it sign its leaf.
    assert.throws(() => pinnedCaFromChain([der(rogueLeaf.pem), der(ca.pem)], certHash(der(ca.pem))), /not issued by the CA/);
    // The leaf itself is not a CA.
    assert.throws(() => pinnedCaFromChain([der(leaf.pem)], certHash(der(leaf.pem))), /not a CA certificate/);
  });

  it('fetches the chain from a server and then verifies connections against the pinned CA', async () => {
    const { server, url } = await serve(`${leaf.pem}\n${ca.pem}`, leaf.keyPem);
    servers.push(server);
    const pinned = await fetchPinnedCa(url, certHash(der(ca.pem)));
    const body = await new Promise<string>((resolve, reject) => {
      request(url, { ca: pinned }, (res) => {
        let s = '';
        res.on('data', (d: Buffer) => (s += d.toString()));
        res.on('end', () => resolve(s));
      })
        .on('error', reject)
        .end();
    });
    assert.equal(body, 'ok');

    const tokenFile = join(dir, 'node-token');
    await writeFile(tokenFile, `K10${certHash(der(ca.pem))}::node:abc123\n`);
    const creds = await joinCredentials({ server: url, tokenFile });
    assert.equal(creds.token, 'abc123');
    assert.equal(certHash(der(creds.caCertPem)), certHash(der(ca.pem)));

    const caFile = join(dir, 'ca.crt');
    await writeFile(caFile, rogueCa.pem);
    assert.equal((await joinCredentials({ server: url, tokenFile, caFile })).caCertPem, rogueCa.pem);
  });

  it('refuses servers that present no matching CA, and tokens without a hash unless --ca-file is given', async () => {
    const { server, url } = await serve(leaf.pem, leaf.keyPem);
    servers.push(server);
    await assert.rejects(fetchPinnedCa(url, certHash(der(ca.pem))), /pass --ca-file/);
    const tokenFile = join(dir, 'bare-token');
    await writeFile(tokenFile, 'just-a-secret\n');
    await assert.rejects(joinCredentials({ server: url, tokenFile }), /carries no CA hash/);
  });
});
