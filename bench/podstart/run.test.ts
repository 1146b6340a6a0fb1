// Proves the pod-start benchmark still works end to end (root only): one `--quick` run — a real
// server and containerd agent, a few pods through the raw CRI floor and through the API, the
// agent's RSS, and `tug up` twice — must finish and print its tables with a verdict per target.
// Timings are never asserted here, only that every measurement produced numbers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const isRoot = process.getuid?.() === 0;

function runQuick(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'podstart', 'run.ts'), '--quick'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The bench stops what it started (SIGTERM lets it); this only guards against a hang.
    const timer = setTimeout(() => child.kill('SIGTERM'), 170_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const NUM = '[\\d.]+';

describe('bench/podstart/run.ts --quick', { skip: !isRoot && 'needs root' }, () => {
  it('measures the CRI floor, API create → Ready, agent RSS and tug up, and gives each target a verdict', { timeout: 180_000 }, async () => {
    const r = await runQuick();
    assert.equal(r.code, 0, `bench failed:\n${r.stderr.slice(-4000)}`);
    for (const heading of ['### Pod start: API create → Ready vs the raw CRI floor', '### Agent memory and `tug up`', '### Targets']) assert.ok(r.stdout.includes(heading), `missing ${heading}\n${r.stdout}`);
    for (const label of ['one after another', '3 at once']) {
      assert.match(r.stdout, new RegExp(`^\\| floor: CRI RunPodSandbox \\+ CreateContainer \\+ StartContainer, ${label} \\| 3 \\| ${NUM} \\| ${NUM} \\| ${NUM} \\| 1× \\|$`, 'm'), label);
      // Every pod became Ready (no "never Ready" note) and has a ratio against the floor.
      assert.match(r.stdout, new RegExp(`^\\| \\*\\*API create → Ready seen on the watch, ${label}\\*\\* \\| 3 \\| \\*\\*${NUM}\\*\\* \\| \\*\\*${NUM}\\*\\* \\| ${NUM} \\| ${NUM}× \\|$`, 'm'), label);
    }
    assert.match(r.stdout, new RegExp(`^\\| agent RSS with 3 pods running \\(MB\\) \\| ${NUM} \\|$`, 'm'));
    assert.match(r.stdout, new RegExp(`^\\| \`tug up\` to a Ready node, fresh data dir \\(s\\) \\| ${NUM} \\|$`, 'm'));
    const verdicts = r.stdout.split('### Targets')[1]?.match(/\| (PASS|FAIL) \|$/gm) ?? [];
    assert.equal(verdicts.length, 6, r.stdout);
  });
});
