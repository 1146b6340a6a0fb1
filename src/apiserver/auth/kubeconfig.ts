// Writes the kubeconfig files the server hands to its users (admin.kubeconfig): one cluster
// trusted through the embedded CA, one user with a bearer token, one current context. The YAML is
// written by hand: its shape is fixed and every value is a string, emitted as a JSON string (a valid
// YAML double-quoted scalar), so the server need not load a YAML library just to start.
import { writeFile, rename } from 'node:fs/promises';

export interface KubeconfigInput {
  server: string;
  caCertPem: string;
  token: string;
  user: string;
  clusterName?: string;
}

export function renderKubeconfig(k: KubeconfigInput): string {
  const cluster = k.clusterName ?? 'tugboat';
  const q = (v: string): string => JSON.stringify(v);
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `  - name: ${q(cluster)}`,
    '    cluster:',
    `      server: ${q(k.server)}`,
    `      certificate-authority-data: ${q(Buffer.from(k.caCertPem).toString('base64'))}`,
    'users:',
    `  - name: ${q(k.user)}`,
    '    user:',
    `      token: ${q(k.token)}`,
    'contexts:',
    `  - name: ${q(cluster)}`,
    '    context:',
    `      cluster: ${q(cluster)}`,
    `      user: ${q(k.user)}`,
    '      namespace: default',
    `current-context: ${q(cluster)}`,
    'preferences: {}',
    '',
  ].join('\n');
}

/** Written atomically so a reader never sees half a file (tests poll for it). */
export async function writeKubeconfig(path: string, k: KubeconfigInput): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, renderKubeconfig(k), { mode: 0o600 });
  await rename(tmp, path);
}
