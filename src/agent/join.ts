// How an agent comes to trust the server it joins. The node token the server writes
// (`K10<sha256 of the CA certificate>::node:<secret>`, k3s' format) carries a hash of the cluster
// CA: with no --ca-file, the agent connects once without verification only to read the server's
// certificate chain, looks for the CA whose DER hash matches the token, checks that it really
// issued the server's certificate, and from then on verifies every connection against that pinned
// CA. Nothing else is sent on that first connection.
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect, type PeerCertificate, type DetailedPeerCertificate } from 'node:tls';
import { isIP } from 'node:net';

export interface NodeToken {
  /** Hex sha256 of the CA certificate's DER, when the token carries one. */
  caHash: string | undefined;
  /** What the agent presents as its bearer token. */
  secret: string;
}

const TOKEN_RE = /^K10([0-9a-f]{64})::([^:]+):(.+)$/;

/** Parses a node token; a bare secret (no K10 prefix) is accepted without a CA hash. */
export function parseNodeToken(text: string): NodeToken {
  const t = text.trim();
  if (!t) throw new Error('the node token is empty');
  const m = TOKEN_RE.exec(t);
  if (!m) {
    if (t.startsWith('K10')) throw new Error('the node token is malformed: expected K10<sha256>::node:<secret>');
    return { caHash: undefined, secret: t };
  }
  return { caHash: m[1], secret: m[3] ?? '' };
}

export const certHash = (der: Buffer): string => createHash('sha256').update(der).digest('hex');

/**
 * From a server's certificate chain (leaf first, DER), the PEM of the CA whose hash is `caHash`,
 * provided it issued the leaf (directly or through the certificates between them).
 */
export function pinnedCaFromChain(chain: Buffer[], caHash: string): string {
  const certs = chain.map((der) => new X509Certificate(der));
  const idx = chain.findIndex((der) => certHash(der) === caHash.toLowerCase());
  const ca = certs[idx];
  if (idx < 0 || !ca) throw new Error('the server did not present a CA certificate matching the node token; pass --ca-file, or check that the token belongs to this server');
  if (!ca.ca) throw new Error('the certificate matching the node token is not a CA certificate');
  // Walk from the leaf up to the pinned CA: each certificate must be issued and signed by the next.
  for (let i = 0; i < idx; i++) {
    const child = certs[i];
    const parent = certs[i + 1];
    if (!child || !parent || !child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      throw new Error('the server certificate was not issued by the CA the node token names');
    }
  }
  return ca.toString();
}

function chainOf(peer: DetailedPeerCertificate): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let cur: PeerCertificate | DetailedPeerCertificate | undefined = peer;
  while (cur && cur.raw && !seen.has(cur.fingerprint256)) {
    seen.add(cur.fingerprint256);
    out.push(cur.raw);
    cur = (cur as DetailedPeerCertificate).issuerCertificate;
  }
  return out;
}

/** Connects without verification only to read the server's chain, and returns the pinned CA's PEM. */
export function fetchPinnedCa(server: string, caHash: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const url = new URL(server);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) }, () => {
      try {
        resolve(pinnedCaFromChain(chainOf(socket.getPeerCertificate(true)), caHash));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      } finally {
        socket.destroy();
      }
    });
    socket.setTimeout(opts.timeoutMs ?? 10_000, () => socket.destroy(new Error(`timed out connecting to ${server}`)));
    socket.once('error', reject);
  });
}

export interface JoinCredentials {
  token: string;
  caCertPem: string;
}

/** Reads the token file and settles which CA to trust: --ca-file if given, else the one the token pins. */
export async function joinCredentials(o: { server: string; tokenFile: string; caFile?: string }): Promise<JoinCredentials> {
  const token = parseNodeToken(await readFile(o.tokenFile, 'utf8'));
  if (o.caFile) return { token: token.secret, caCertPem: await readFile(o.caFile, 'utf8') };
  if (!token.caHash) throw new Error('the node token carries no CA hash; pass --ca-file to say which CA to trust');
  return { token: token.secret, caCertPem: await fetchPinnedCa(o.server, token.caHash) };
}
