// Proves the ingress benchmark still works end to end: one `--quick` run (a real server, the
// controller in its own process, nginx when installed, the backends) must finish and print a row
// per target with traffic and no errors. Timings are never asserted here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nginxAvailable } from './nginx.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function runQuick(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'ingress', 'run.ts'), '--quick'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The bench stops its own processes (SIGTERM lets it); this only guards against a hang.
    const timer = setTimeout(() => child.kill('SIGTERM'), 115_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bench/ingress/run.ts --quick', () => {
  it('measures the controller beside nginx and prints the ratio', { timeout: 120_000 }, async () => {
    const r = await runQuick();
    assert.equal(r.code, 0, `bench failed:\n${r.stderr.slice(-3000)}`);
    const targets = ['direct to one endpoint (ceiling)', 'tugboat', ...(nginxAvailable() ? ['nginx, 1 worker', 'nginx, auto workers'] : [])];
    for (const t of targets) {
      const row = new RegExp(`^\\| ${t.replace(/[()]/g, '\\$&')} \\| 16 \\| ([\\d,]+) \\| [\\d.]+ \\| [\\d.]+ \\| 0 \\|`, 'm').exec(r.stdout);
      assert.ok(row, `no error-free row for ${t}:\n${r.stdout}`);
      assert.ok(Number(row[1]?.replace(/,/g, '')) > 0, `${t} served nothing`);
    }
    assert.match(r.stdout, /\*\*Ratio tugboat ÷ nginx \(req\/s\)\*\*/);
    if (nginxAvailable()) assert.match(r.stdout, /16 conns: [\d.]+× of nginx \(1 worker\)/);
  });
});
