// The agent's HTTPS serving certificate, like the kubelet's self-signed one in
// /var/lib/kubelet/pki: generated on first start (ECDSA P-256, ten years, valid for the node's
// names and addresses) and kept under DATA_DIR/tls so restarts present the same certificate.
// The API server does not verify it yet (see docs/design/streaming.md): it is there so the
// stream is encrypted, and so the agent can demand the API server's client certificate.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selfSignedCert as buildSelfSigned } from '../../lib/self-signed-cert.js';

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface ServingCert {
  certPem: string;
  keyPem: string;
}

// Built with node:crypto alone (lib/self-signed-cert.ts): an X.509 library would be most of the
// agent's code memory for this one certificate.
export async function selfSignedCert(o: { commonName: string; names: string[] }): Promise<ServingCert> {
  const now = Date.now();
  return buildSelfSigned({ commonName: o.commonName, names: o.names, notBefore: new Date(now - 60_000), notAfter: new Date(now + TEN_YEARS_MS) });
}

/** Loads DIR/kubelet.crt and .key, creating them on first use; without a dir, a fresh in-memory pair. */
export async function ensureServingCert(dir: string | undefined, o: { commonName: string; names: string[] }): Promise<ServingCert> {
  if (!dir) return selfSignedCert(o);
  const certPath = join(dir, 'kubelet.crt');
  const keyPath = join(dir, 'kubelet.key');
  try {
    return { certPem: await readFile(certPath, 'utf8'), keyPem: await readFile(keyPath, 'utf8') };
  } catch {
    const c = await selfSignedCert(o);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(keyPath, c.keyPem, { mode: 0o600 });
    await writeFile(certPath, c.certPem);
    return c;
  }
}
