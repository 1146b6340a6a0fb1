// Proves the dashboard list benchmark still works: one `--quick` run (a real server, hollow
// nodes, 200 pods, chromium) must finish and print every step with a verdict. Timings are never
// asserted — the figures go to docs/benchmarks.md.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { haveChromium } from '../../test/dashboard/browser.js';
import { runQuick } from '../run-quick.js';

describe('bench/dashboard/run.ts --quick', { skip: (await haveChromium()) ? false : 'chromium is not installed (scripts/setup.sh)' }, () => {
  it('opens and filters the Pods list at 200 pods and prints the table', { timeout: 300_000 }, async () => {
    const r = await runQuick('dashboard', { timeoutMs: 290_000 });
    assert.equal(r.code, 0, `bench failed:\n${r.stderr.slice(-3000)}`);
    assert.match(r.stdout, /^### Dashboard list — 200 pods on 4 hollow nodes/m);
    for (const row of ['floor: fetch \\+ parse the Table JSON', 'open the Pods list', 'filter to one pod by name', 'clear the filter'])
      assert.match(r.stdout, new RegExp(`^\\| ${row}[^|]*\\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| (PASS|FAIL|—) \\|$`, 'm'), row);
  });
});
