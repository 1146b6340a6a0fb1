// Proves the network benchmarks still work end to end, all three in one `--quick` run (so CI pays
// for each quick bench once): the proxy bench (as root: namespaces, a ClusterIP, a rule sync), the
// ingress bench (a real server, the controller driving its nginx, nginx by hand, the backends) and
// the DNS bench (our server beside dnsmasq) must each print their error-free rows, and the summary
// must give every target a verdict. Timings are never asserted — only that every part ran.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { runQuick } from '../run-quick.js';
import { nginxAvailable } from '../ingress/nginx.js';
import { DNSMASQ } from '../dns/bench.js';

const root = process.getuid?.() === 0;
const dnsmasq = existsSync(DNSMASQ);
const escape = (s: string): string => s.replace(/[()]/g, '\\$&');

describe('bench/network/run.ts --quick', () => {
  it('runs the proxy, ingress and DNS benches and prints a verdict for every target', { timeout: 330_000 }, async () => {
    const r = await runQuick('network', { timeoutMs: 320_000 });
    assert.equal(r.code, 0, `bench failed:\n${r.stderr.slice(-3000)}`);
    const [details = '', summary = ''] = r.stdout.split('### Network targets (issue #5)');
    assert.match(summary, /^Load average \(1 \/ 5 \/ 15 min\) at the start [\d.]+ \/ [\d.]+ \/ [\d.]+, at the end [\d.]+ \/ [\d.]+ \/ [\d.]+\.$/m);
    const verdicts = (prefix: string): string[] => summary.split('\n').filter((l) => l.startsWith(`| ${prefix}`)).map((l) => /\| (PASS|FAIL|SKIPPED|ERROR) \|$/.exec(l)?.[1] ?? `no verdict: ${l}`);

    // Proxy: both comparisons without errors, the sync table, and its four summary rows.
    if (root) {
      for (const shape of ['HTTP keep-alive requests', 'new connections', 'bulk MB/s']) assert.match(details, new RegExp(`^\\| ${shape}.* \\| 0 \\|$`, 'm'), `${shape} ran without errors`);
      assert.ok(details.includes('### Rule sync:'), details);
      const proxy = [...verdicts('HTTP req/s through a ClusterIP'), ...verdicts('HTTP p99 through a ClusterIP'), ...verdicts('proxy rule sync')];
      assert.equal(proxy.length, 4, summary);
      for (const v of proxy) assert.match(v, /^(PASS|FAIL)$/, summary);
    } else assert.deepEqual(verdicts('bench/proxy'), ['SKIPPED'], summary);

    // Ingress: a row per target with traffic and no errors at 16 connections, and the ratio.
    const targets = ['direct to one endpoint (ceiling)', ...(nginxAvailable() ? ['tugboat (nginx data plane)', 'nginx by hand'] : ['tugboat (Node data plane)'])];
    for (const t of targets) {
      const row = new RegExp(`^\\| ${escape(t)} \\| 16 \\| ([\\d,]+) \\| [\\d.]+ \\| [\\d.]+ \\| 0 \\|`, 'm').exec(details);
      assert.ok(row, `no error-free row for ${t}:\n${details}`);
      assert.ok(Number(row[1]?.replace(/,/g, '')) > 0, `${t} served nothing`);
    }
    if (nginxAvailable()) {
      assert.match(details, /16 conns: [\d.]+× of nginx by hand \((meets|below) the 0\.9× target\)/);
      for (const v of [...verdicts('HTTP req/s through the Ingress'), ...verdicts('HTTP p99 through the Ingress')]) assert.match(v, /^(PASS|FAIL)$/, summary);
    }

    // DNS: both servers at 1 and 16 in flight, every answer as expected, the ratios.
    if (dnsmasq) {
      for (const server of ['dnsmasq', 'tugboat']) for (const n of [1, 16]) assert.match(details, new RegExp(`^\\| ${server} \\| ${n} \\| [\\d,]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\| 0 \\|`, 'm'), `${server} @${n} with no wrong answers`);
      assert.match(details, /^\| 16 \| [\d.]+× \| [\d.]+× \| [\d.]+× \|$/m);
      assert.doesNotMatch(details, /wrong answers; first:/);
      const dns = [...verdicts('DNS queries/s'), ...verdicts('DNS p99')];
      assert.equal(dns.length, 2, summary);
      for (const v of dns) assert.match(v, /^(PASS|FAIL)$/, summary);
    } else assert.deepEqual(verdicts('bench/dns'), ['SKIPPED'], summary);
    assert.doesNotMatch(summary, /\| ERROR \|$/m);
  });
});
