// Certificates for nginx: each kubernetes.io/tls Secret an Ingress names becomes one PEM file
// (certificate chain, then key) in the plane's certs directory, mode 0600 in a 0700 directory.
// A Secret is checked with Node's TLS before it is written — nginx refuses a whole config over
// one bad certificate, so a bad Secret must only lose its own hosts (they get the default
// certificate). Files are keyed by namespace, name and resourceVersion, so a changed Secret is
// a new file and a new config (nginx reads certificates only on reload); files no table refers
// to any more are removed after each apply.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Secret } from '../../../api/core/v1/index.js';

export class CertFiles {
  private readonly files = new Map<string, { version: string; file: string | undefined; error?: string }>();

  constructor(
    private readonly dir: string,
    private readonly log: (msg: string) => void,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const f of readdirSync(dir)) if (f.startsWith('secret-')) rmSync(join(dir, f), { force: true });
  }

  /** Writes the PEM file of a Secret (once per version); undefined when missing or unusable. */
  fileFor(secret: Secret | undefined): string | undefined {
    if (!secret) return undefined;
    const key = `${secret.metadata?.namespace ?? ''}/${secret.metadata?.name ?? ''}`;
    const version = `${secret.metadata?.uid ?? ''}/${secret.metadata?.resourceVersion ?? ''}`;
    const hit = this.files.get(key);
    if (hit?.version === version) return hit.file;
    if (hit?.file) rmSync(hit.file, { force: true });
    const crt = secret.data?.['tls.crt'];
    const pem = secret.data?.['tls.key'];
    let file: string | undefined;
    let error: string | undefined;
    if (!crt || !pem) error = 'has no tls.crt and tls.key';
    else {
      const cert = Buffer.from(crt, 'base64');
      const keyPem = Buffer.from(pem, 'base64');
      try {
        createSecureContext({ cert, key: keyPem });
        // Names are DNS labels, so they are safe in a file name; the version keeps files distinct.
        file = join(this.dir, `secret-${key.replace('/', '_')}-${secret.metadata?.resourceVersion ?? '0'}.pem`);
        writeFileSync(file, Buffer.concat([cert, Buffer.from('\n'), keyPem, Buffer.from('\n')]), { mode: 0o600 });
      } catch (err) {
        file = undefined;
        error = `is not a usable certificate and key: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    if (error && hit?.error !== error) this.log(`ingress: TLS secret ${key} ${error}`);
    this.files.set(key, { version, file, ...(error ? { error } : {}) });
    return file;
  }

  /** Removes the files of Secrets no longer referenced. */
  retain(keys: ReadonlySet<string>): void {
    for (const [k, v] of this.files) {
      if (keys.has(k)) continue;
      if (v.file) rmSync(v.file, { force: true });
      this.files.delete(k);
    }
  }
}
