// Proves the ingress benchmark still works end to end: one `--quick` run (a real server, the
// controller in its own process driving its nginx, nginx configured by hand, the backends) must
// finish and print a row per target with traffic and no errors, and the ratio line. Timings are
// never asserted here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runQuick } from '../run-quick.js';
import { nginxAvailable } from './nginx.js';

describe('bench/ingress/run.ts --quick', () => {
  it('measures the controller beside nginx by hand and prints the ratio', { timeout: 120_000 }, async () => {
    const r = await runQuick('ingress', { timeoutMs: 115_000 });
    assert.equal(r.code, 0, `bench failed:\n${r.stderr.slice(-3000)}`);
    const targets = ['direct to one endpoint (ceiling)', ...(nginxAvailable() ? ['tugboat (nginx data plane)', 'nginx by hand'] : ['tugboat (Node data plane)'])];
    for (const t of targets) {
      const row = new RegExp(`^\\| ${t.replace(/[()]/g, '\\$&')} \\| 16 \\| ([\\d,]+) \\| [\\d.]+ \\| [\\d.]+ \\| 0 \\|`, 'm').exec(r.stdout);
      assert.ok(row, `no error-free row for ${t}:\n${r.stdout}`);
      assert.ok(Number(row[1]?.replace(/,/g, '')) > 0, `${t} served nothing`);
    }
    assert.match(r.stdout, /\*\*Ratio tugboat ÷ nginx by hand \(req\/s\)\*\*/);
    if (nginxAvailable()) assert.match(r.stdout, /16 conns: [\d.]+× of nginx by hand \((meets|below) the 0\.9× target\)/);
  });
});
