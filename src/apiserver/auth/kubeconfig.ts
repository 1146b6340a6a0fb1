// Writes the kubeconfig files the server hands to its users (admin.kubeconfig): one cluster
// trusted through the embedded CA, one user with a bearer token, one current context.
import { writeFile, rename } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caCertPem: string;
  token: string;
  user: string;
  clusterName?: string;
}

export function renderKubeconfig(k: KubeconfigInput): string {
  const cluster = k.clusterName ?? 'tugboat';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: k.server, 'certificate-authority-data': Buffer.from(k.caCertPem).toString('base64') } }],
    users: [{ name: k.user, user: { token: k.token } }],
    contexts: [{ name: cluster, context: { cluster, user: k.user, namespace: 'default' } }],
    'current-context': cluster,
    preferences: {},
  });
}

/** Written atomically so a reader never sees half a file (tests poll for it). */
export async function writeKubeconfig(path: string, k: KubeconfigInput): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, renderKubeconfig(k), { mode: 0o600 });
  await rename(tmp, path);
}
