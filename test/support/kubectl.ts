// Runs the real kubectl (a named version, never the /usr/bin dispatcher) against a test
// server's kubeconfig and returns what it printed, for tests that use kubectl as the oracle.
import { spawn } from 'node:child_process';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
export const kubectlPath = (version: string): string => `${KUBECTL_DIR}/kubectl.${version}`;

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  kubeconfig: string;
  version?: string;
  stdin?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export function kubectl(args: string[], o: KubectlOptions): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlPath(o.version ?? '1.32'), ['--kubeconfig', o.kubeconfig, ...args], {
      env: { ...process.env, KUBECONFIG: o.kubeconfig, HOME: process.env.HOME ?? '/root', ...(o.env ?? {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(o.stdin ?? '');
  });
}

/** kubectl that must succeed: throws with its output otherwise. */
export async function kubectlOk(args: string[], o: KubectlOptions): Promise<string> {
  const r = await kubectl(args, o);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}
