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

/**
 * kubectl up to 1.32 reads a WebSocket exec session before registering its streams and drops
 * what arrives in between, printing this (client-go bug kubernetes#131189, fixed in 1.33). The
 * server holds output back for a moment to avoid it, but on a heavily loaded machine kubectl can
 * still lose the race; the command has run, only its output was lost, so tests run it again.
 */
const CLIENT_STREAM_RACE = /Unknown stream id \d+, discarding message/;
const STREAMING_VERBS = new Set(['exec', 'cp', 'attach']);

export async function kubectl(args: string[], o: KubectlOptions): Promise<KubectlResult> {
  for (let attempt = 1; ; attempt++) {
    const r = await kubectlOnce(args, o);
    if (attempt >= 3 || !CLIENT_STREAM_RACE.test(r.stderr) || !args.some((a) => STREAMING_VERBS.has(a))) return r;
  }
}

function kubectlOnce(args: string[], o: KubectlOptions): Promise<KubectlResult> {
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
