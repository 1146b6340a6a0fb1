// Proves the API benchmark still works end to end: one `--quick` run against a real server and a
// real etcd must finish and print its tables. Timings are never asserted here — only that every
// part ran and the verdict table has a PASS or FAIL for each target.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function runQuick(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'api', 'run.ts'), '--quick'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The bench stops its own server and etcd; this only guards against a hang.
    const timer = setTimeout(() => child.kill('SIGTERM'), 55_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bench/api/run.ts --quick', () => {
  it('completes and prints the matrix, the size table and a verdict per target', { timeout: 60_000 }, async () => {
    const r = await runQuick();
    assert.equal(r.code, 0, `bench failed:\n${r.stderr.slice(-3000)}`);
    for (const heading of ['### Operations vs raw etcd', '### Size and fan-out', '### Targets']) assert.ok(r.stdout.includes(heading), `missing ${heading}\n${r.stdout}`);
    for (const op of ['create', 'get', 'list (100)', 'update', 'watch (events)']) {
      for (const clients of [1, 16, 64]) assert.match(r.stdout, new RegExp(`^\\| ${op.replace(/[()]/g, '\\$&')} \\| ${clients} \\| [\\d,]+ \\|`, 'm'), `${op} @${clients}`);
    }
    const verdicts = r.stdout.split('### Targets')[1]?.match(/\| (PASS|FAIL) \|$/gm) ?? [];
    assert.equal(verdicts.length, 4, r.stdout);
    assert.doesNotMatch(r.stdout, /errors; first:/, 'no cell had errors');
  });
});
