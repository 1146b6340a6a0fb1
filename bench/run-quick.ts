// Runs one benchmark's `run.ts --quick` as a child process and collects what it printed, for the
// `bench/*/run.test.ts` smoke tests that prove each bench still works (timings never asserted).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface QuickRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node --import tsx bench/<name>/run.ts --quick ...extra`; the timeout only guards against a hang. */
export function runQuick(name: string, o: { extraArgs?: string[]; timeoutMs?: number } = {}): Promise<QuickRun> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', join(ROOT, 'bench', name, 'run.ts'), '--quick', ...(o.extraArgs ?? [])];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), o.timeoutMs ?? 110_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
