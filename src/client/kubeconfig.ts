// Reads a kubeconfig file (the current context's cluster and user) into what the HTTP client
// needs: server URL, CA certificate and bearer token. Only token users are supported, which is
// what Tugboat writes. The YAML parser is loaded on first use: node agents import the client but
// never read a kubeconfig, and the parser is a few MB of their memory.
import { readFile } from 'node:fs/promises';
import type { TransportConfig } from './http/transport.js';

interface Named<T> {
  name: string;
  [k: string]: unknown;
  value?: T;
}

interface KubeconfigFile {
  'current-context'?: string;
  clusters?: (Named<unknown> & { cluster?: { server?: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string } })[];
  users?: (Named<unknown> & { user?: { token?: string; tokenFile?: string } })[];
  contexts?: (Named<unknown> & { context?: { cluster?: string; user?: string; namespace?: string } })[];
}

export async function loadKubeconfig(path: string): Promise<TransportConfig & { namespace: string }> {
  const { parse } = await import('yaml');
  const doc = parse(await readFile(path, 'utf8')) as KubeconfigFile;
  const ctxName = doc['current-context'];
  const ctx = doc.contexts?.find((c) => c.name === ctxName)?.context ?? doc.contexts?.[0]?.context;
  const cluster = doc.clusters?.find((c) => c.name === ctx?.cluster)?.cluster ?? doc.clusters?.[0]?.cluster;
  const user = doc.users?.find((u) => u.name === ctx?.user)?.user ?? doc.users?.[0]?.user;
  if (!cluster?.server) throw new Error(`${path}: no cluster server in the current context`);
  let caCertPem = '';
  if (cluster['certificate-authority-data']) caCertPem = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  else if (cluster['certificate-authority']) caCertPem = await readFile(cluster['certificate-authority'], 'utf8');
  let token = user?.token ?? '';
  if (!token && user?.tokenFile) token = (await readFile(user.tokenFile, 'utf8')).trim();
  if (!token) throw new Error(`${path}: the current user has no token`);
  return { server: cluster.server, caCertPem, token, namespace: ctx?.namespace ?? 'default' };
}
