// The Debian packages a real node needs (containerd, runc, the CNI plugins, nftables, iproute2,
// gcc plus a static busybox to build the pause and test images from, and nginx with its Lua
// module for the ingress), checked and — as root — installed with apt before `tug up` starts
// anything, so `npx tug up` on a fresh Debian machine needs no other step. scripts/setup.sh
// installs the same list for CI and the README.
import { spawn } from 'node:child_process';

export const NODE_PACKAGES = [
  'containerd',
  'runc',
  'containernetworking-plugins',
  'nftables',
  'iproute2',
  'busybox-static',
  'gcc',
  'libc6-dev',
  // The ingress data plane: nginx with the Lua module its balancer runs on.
  'nginx',
  'libnginx-mod-http-lua',
] as const;

function exec(cmd: string, args: string[], env?: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(env ?? {}) } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (err) => resolve({ code: -1, out: err.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** Which of `packages` dpkg does not list as installed; empty where there is no dpkg to ask. */
export async function missingPackages(packages: readonly string[]): Promise<string[]> {
  const r = await exec('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...packages]);
  if (r.code === -1) return [];
  const installed = new Set(
    r.out
      .split('\n')
      .filter((l) => l.endsWith(' install ok installed'))
      .map((l) => l.split(' ')[0]),
  );
  return packages.filter((p) => !installed.has(p));
}

/** Installs what is missing (root only); resolves with what it installed. */
export async function ensureNodePackages(o: { log(msg: string): void }): Promise<string[]> {
  const missing = await missingPackages(NODE_PACKAGES);
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) throw new Error(`missing packages: ${missing.join(' ')} (run as root to install them, or: apt-get install ${missing.join(' ')})`);
  o.log(`installing ${missing.join(', ')} (apt)`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const update = await exec('apt-get', ['update', '-qq'], env);
  if (update.code !== 0) throw new Error(`apt-get update failed:\n${update.out}`);
  const install = await exec('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], env);
  if (install.code !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed:\n${install.out}`);
  // A freshly installed nginx may have started the package's own service on port 80, where the
  // ingress listens; only that service (found by the package's pid file) is stopped.
  if (missing.includes('nginx')) await exec('/usr/sbin/nginx', ['-s', 'quit']);
  return missing;
}
