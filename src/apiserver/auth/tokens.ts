// Bearer-token authentication for the API server. On first start the server generates an admin
// token (cluster-admin, group system:masters) and a node join token, kept in the data dir; every
// request's `Authorization: Bearer` header is matched against them in constant time. Other
// token kinds (service-account JWTs, auth/serviceaccount/) join through an AuthenticatorChain,
// which asks each authenticator in turn, as Kubernetes' union authenticator does.
import { randomBytes, timingSafeEqual, createHash, X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface UserInfo {
  name: string;
  groups: string[];
  /** Changes when a user of the same name is recreated (a service account's uid). */
  uid?: string;
  /** Further attributes (the pod a service-account token is bound to...), as Kubernetes' user.Info has. */
  extra?: Record<string, string[]>;
}

/**
 * Synchronous on purpose: every request (and every exec/attach upgrade) authenticates, and the
 * token kinds we have are checked from memory (constant-time compares, a JWT signature and the
 * watch cache).
 */
export interface Authenticator {
  /** The user the token belongs to; undefined when this authenticator does not accept it. */
  authenticate(token: string): UserInfo | undefined;
}

export interface Tokens {
  admin: string;
  /** The secret part of the node token. */
  node: string;
  /** What an agent is given to join: `K10<ca sha256>::node:<secret>`, as k3s formats it. */
  nodeTokenFile: string;
}

async function readOrCreate(path: string, make: () => string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    const value = make();
    await writeFile(path, `${value}\n`, { mode: 0o600 });
    return value;
  }
}

export const caHash = (caCertPem: string): string => createHash('sha256').update(new X509Certificate(caCertPem).raw).digest('hex');

export async function ensureTokens(dir: string, caCertPem: string): Promise<Tokens> {
  const admin = await readOrCreate(join(dir, 'admin-token'), () => randomBytes(24).toString('hex'));
  const nodeTokenFile = await readOrCreate(join(dir, 'node-token'), () => `K10${caHash(caCertPem)}::node:${randomBytes(16).toString('hex')}`);
  const node = nodeTokenFile.split('::node:')[1] ?? nodeTokenFile;
  return { admin, node, nodeTokenFile };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class StaticTokenAuthenticator implements Authenticator {
  constructor(private readonly tokens: Tokens) {}

  authenticate(token: string): UserInfo | undefined {
    if (same(token, this.tokens.admin)) return { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
    if (same(token, this.tokens.node) || same(token, this.tokens.nodeTokenFile))
      return { name: 'system:node-bootstrap', groups: ['system:nodes', 'system:authenticated'] };
    return undefined;
  }
}

/** The first authenticator that accepts the token decides; cheap ones should come first. */
export class AuthenticatorChain implements Authenticator {
  constructor(private readonly members: readonly Authenticator[]) {}

  authenticate(token: string): UserInfo | undefined {
    for (const a of this.members) {
      const user = a.authenticate(token);
      if (user) return user;
    }
    return undefined;
  }
}
