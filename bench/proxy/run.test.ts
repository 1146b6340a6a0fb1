// Proves the proxy benchmark still works end to end (as root): one `--quick` run must build its
// namespaces, drive traffic both ways, measure a rule sync and print its tables with a verdict
// per target. Timings are never asserted — only that every part ran without errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runQuick as runQuickBench, type QuickRun } from '../run-quick.js';

const runQuick = (): Promise<QuickRun> => runQuickBench('proxy');

describe('bench/proxy/run.ts --quick', { skip: process.getuid?.() !== 0 && 'needs root' }, () => {
  it('completes and prints both comparisons, the sync table and a verdict per target', { timeout: 120_000 }, async () => {
    const r = await runQuick();
    assert.equal(r.code, 0, `bench failed:\n${r.stderr.slice(-3000)}`);
    for (const heading of ['### ClusterIP vs direct to the pod IP', '### Rule sync:', '### Targets']) assert.ok(r.stdout.includes(heading), `missing ${heading}\n${r.stdout}`);
    for (const shape of ['HTTP keep-alive requests', 'new connections', 'bulk MB/s']) assert.match(r.stdout, new RegExp(`^\\| ${shape}.* \\| 0 \\|$`, 'm'), `${shape} ran without errors`);
    const verdicts = r.stdout.split('### Targets')[1]?.match(/\| (PASS|FAIL) \|$/gm) ?? [];
    assert.equal(verdicts.length, 5, r.stdout);
  });
});
