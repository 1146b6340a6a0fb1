// Writes the kubeconfig files the server hands to its users (admin.kubeconfig): one cluster
// trusted through the embedded CA, one user with a bearer token, one current context. The YAML is
// written by hand: its shape is fixed and every value is a string, emitted plain when YAML reads it
// back unchanged and as a JSON string (a valid YAML double-quoted scalar) otherwise, so the server
// need not load a YAML library just to start.
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
  // Plain scalars where YAML reads them back as the same string (URLs, base64, tokens — what
  // people grep for), a JSON string (a YAML double-quoted scalar) for anything else.
  const q = (v: string): string => (/^[A-Za-z0-9][A-Za-z0-9._/+=@-]*(:[A-Za-z0-9._/+=@-]+)*$/.test(v) && !/^(true|false|null|yes|no|on|off|y|n|~|[-+.0-9].*)$/i.test(v) ? v : JSON.stringify(v));
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
