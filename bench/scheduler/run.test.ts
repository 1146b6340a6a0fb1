// Proves the scheduler benchmark still works end to end: one `--quick` run (a real server, 20
// hollow nodes, a few hundred pods, a 100-replica Deployment) must finish and print its tables.
// Timings are never asserted here — only that every phase ran and each target got a verdict.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function runQuick(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'scheduler', 'run.ts'), '--quick'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The bench stops its own server and agent (SIGTERM lets it); this only guards against a hang.
    const timer = setTimeout(() => child.kill('SIGTERM'), 115_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bench/scheduler/run.ts --quick', () => {
  it('completes and prints throughput beside its floors, the Deployment timeline and a verdict per target', { timeout: 120_000 }, async () => {
    const r = await runQuick();
    assert.equal(r.code, 0, `bench failed:\n${r.stderr.slice(-3000)}`);
    for (const heading of ['### Pods scheduled and bound', '### Deployment', '### Targets']) assert.ok(r.stdout.includes(heading), `missing ${heading}\n${r.stdout}`);
    for (const row of ['floor: create pods', 'floor: bind them ourselves', 'create pods with the scheduler running', '**scheduled and bound**', 'all Running and Ready']) {
      assert.match(r.stdout, new RegExp(`^\\| ${row.replace(/[*()]/g, '\\$&')}[^|]*\\| 300 \\| [\\d.]+ \\| \\**[\\d,]+\\**`, 'm'), row);
    }
    assert.match(r.stdout, /^\| every pod Running and Ready \| [\d.]+ \|$/m);
    const verdicts = r.stdout.split('### Targets')[1]?.match(/\| (PASS|FAIL) \|$/gm) ?? [];
    assert.equal(verdicts.length, 2, r.stdout);
  });
});
