// Per-registry settings for a node's containerd: `<certs.d>/<host[:port]>/hosts.toml` files, which
// containerd 1.6 reads on every pull (the config's `registry.config_path`), so adding one needs no
// restart. Use them for registries served over plain HTTP or with self-signed certificates, and
// for mirrors. Loopback registries (localhost, 127.0.0.1, ::1) need none: containerd already talks
// plain HTTP to them.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface RegistryHost {
  /** The endpoint to use, with its scheme: `http://10.0.0.5:5000` or `https://mirror.example`. */
  server: string;
  /** Accept any TLS certificate (self-signed registries). */
  skipVerify?: boolean;
}

const q = (s: string): string => JSON.stringify(s);

export function renderHostsToml(h: RegistryHost): string {
  return [
    `server = ${q(h.server)}`,
    '',
    `[host.${q(h.server)}]`,
    '  capabilities = ["pull", "resolve"]',
    ...(h.skipVerify ? ['  skip_verify = true'] : []),
    '',
  ].join('\n');
}

/** Writes the settings for image names starting with `registry` (`host[:port]`). */
export async function writeRegistryHost(registryHostsDir: string, registry: string, h: RegistryHost): Promise<void> {
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(registry)) throw new Error(`invalid registry host "${registry}"`);
  const dir = join(registryHostsDir, registry);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'hosts.toml'), renderHostsToml(h));
}
