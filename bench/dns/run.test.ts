// Proves the DNS benchmark still works end to end: one `--quick` run (a real tug server, our
// server in its own process, dnsmasq) must finish and print both servers' rows and the ratio
// table, with every answer as expected. Timings are never asserted here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { runQuick as runQuickBench, type QuickRun } from '../run-quick.js';

const runQuick = (): Promise<QuickRun> => runQuickBench('dns');

describe('bench/dns/run.ts --quick', { skip: existsSync('/usr/sbin/dnsmasq') ? false : 'dnsmasq (dnsmasq-base) not installed; scripts/setup.sh installs it' }, () => {
  it('completes and prints both servers, the ratios, and no wrong answers', { timeout: 120_000 }, async () => {
    const r = await runQuick();
    assert.equal(r.code, 0, `bench failed:\n${r.stderr.slice(-3000)}`);
    for (const server of ['dnsmasq', 'tugboat']) {
      for (const n of [1, 16]) assert.match(r.stdout, new RegExp(`^\\| ${server} \\| ${n} \\| [\\d,]+ \\|`, 'm'), `${server} @${n}\n${r.stdout}`);
    }
    assert.match(r.stdout, /^\| 16 \| [\d.]+× \| [\d.]+× \| [\d.]+× \|$/m, r.stdout);
    assert.doesNotMatch(r.stdout, /wrong answers; first:/, 'both servers answered every query as expected');
    assert.match(r.stdout, /\| tugboat \| 16 \| [\d,]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| 0 \|/, 'no wrong answers from tugboat');
  });
});
