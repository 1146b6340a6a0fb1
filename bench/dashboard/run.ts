// How the dashboard's Pods list holds up at 1,000 pods, in Debian's chromium against a real
// `tug server` with hollow nodes (no root needed). Measured inside the page with performance.now():
//   - open: from the click on "Pods" until the list shows every pod (the Table list request,
//     parsing and React's render), beside a floor measured in the same page — fetching and
//     parsing the same Table JSON with nothing drawn;
//   - filter: from the search box's input event until the list shows the narrowed (or restored)
//     rows, as React commits them (before paint).
// Printed as markdown against the 200 ms target; nothing is asserted (see run.test.ts).
// `--quick`: 200 pods on 4 nodes. Flags: --pods N, --nodes N.
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { startHollowCluster } from '../../test/support/hollow-cluster.js';
import { eventually } from '../../test/support/eventually.js';
import { haveChromium, haveDashboardBuild, launchBrowser, signIn } from '../../test/dashboard/browser.js';

const TARGET_MS = 200;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, pods: { type: 'string' }, nodes: { type: 'string' }, rounds: { type: 'string' } } });
const pods = Number(values.pods ?? (values.quick ? 200 : 1000));
const nodes = Number(values.nodes ?? (values.quick ? 4 : 10));
const rounds = Number(values.rounds ?? (values.quick ? 2 : 5));

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Arms a MutationObserver on the list count, then runs `act`; resolves ms from `startEvent` to the count reading `expected`. */
async function timed(page: Page, expected: string, startEvent: 'click' | 'input', act: () => Promise<void>): Promise<number> {
  await page.evaluate(
    ({ expected, startEvent }) => {
      const w = window as unknown as { benchStart?: number; benchDone?: number };
      w.benchStart = undefined;
      w.benchDone = undefined;
      document.addEventListener(startEvent, () => (w.benchStart ??= performance.now()), { capture: true, once: true });
      const done = (): boolean => {
        const el = document.querySelector('[data-testid=list-count]');
        if (el?.textContent === expected && w.benchStart !== undefined) {
          w.benchDone = performance.now();
          return true;
        }
        return false;
      };
      const mo = new MutationObserver(() => {
        if (done()) mo.disconnect();
      });
      mo.observe(document.body, { subtree: true, childList: true, characterData: true });
    },
    { expected, startEvent },
  );
  await act();
  await page.waitForFunction(() => (window as unknown as { benchDone?: number }).benchDone !== undefined, undefined, { timeout: 60_000 });
  return page.evaluate(() => {
    const w = window as unknown as { benchStart: number; benchDone: number };
    return w.benchDone - w.benchStart;
  });
}

/** The floor: the same Table request, fetched and parsed in the page, nothing rendered. */
function fetchFloor(page: Page, token: string): Promise<number> {
  return page.evaluate(
    async ({ token, accept }) => {
      const t0 = performance.now();
      const res = await fetch('/api/v1/pods', { headers: { Authorization: `Bearer ${token}`, Accept: accept } });
      const body = (await res.json()) as { rows?: unknown[] };
      if (!body.rows) throw new Error('no Table rows');
      return performance.now() - t0;
    },
    { token, accept: TABLE_ACCEPT },
  );
}

async function main(): Promise<void> {
  if (!(await haveChromium())) throw new Error('chromium is missing: run scripts/setup.sh');
  if (!(await haveDashboardBuild())) throw new Error('web/dist is missing: run npm run build');
  const load0 = loadavg()[0] ?? 0;
  const perNode = Math.ceil((pods / nodes) * 1.5);
  const cluster = await startHollowCluster({ agents: [{ nodes, prefix: 'dash', capacity: { cpu: '64', memory: '256Gi', pods: String(perNode) } }] });
  const browser = await launchBrowser();
  try {
    await cluster.kubectlOk(['create', 'deployment', 'many', '--image=busybox:1.36', `--replicas=${pods}`]);
    await eventually(async () => (await cluster.kubectlOk(['get', 'deploy', 'many', '-o', 'jsonpath={.status.readyReplicas}'])) === String(pods), { timeoutMs: 600_000, intervalMs: 1000, what: `${pods} ready pods` });
    const token = (await readFile(`${cluster.server.dataDir}/admin-token`, 'utf8')).trim();
    const { page } = await browser.newPage();
    await signIn(page, cluster.server.url, token);
    const names = (await cluster.kubectlOk(['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean);
    const all = `${names.length} of ${names.length}`;
    const open: number[] = [];
    const floor: number[] = [];
    const narrow: number[] = [];
    const widen: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await page.getByTestId('nav-overview').click();
      await page.getByTestId('list-count').waitFor({ state: 'detached' });
      floor.push(await fetchFloor(page, token));
      open.push(await timed(page, all, 'click', () => page.getByTestId('nav-pods').click()));
      const search = page.getByTestId('list-search');
      const one = names[(i * 37) % names.length] ?? '';
      narrow.push(await timed(page, `1 of ${names.length}`, 'input', () => search.fill(one)));
      widen.push(await timed(page, all, 'input', () => search.fill('')));
    }
    const load1 = loadavg()[0] ?? 0;
    const rows: [string, number[], boolean][] = [
      ['floor: fetch + parse the Table JSON', floor, false],
      ['open the Pods list (fetch, parse, render)', open, true],
      ['filter to one pod by name', narrow, true],
      ['clear the filter (all rows back)', widen, true],
    ];
    console.log(`### Dashboard list — ${names.length} pods on ${nodes} hollow nodes, chromium headless, ${rounds} rounds`);
    console.log('');
    console.log('| step | median ms | min ms | max ms | × floor | target 200 ms |');
    console.log('|---|---|---|---|---|---|');
    const f = median(floor);
    for (const [label, xs, judged] of rows) {
      const m = median(xs);
      console.log(`| ${label} | ${m.toFixed(1)} | ${Math.min(...xs).toFixed(1)} | ${Math.max(...xs).toFixed(1)} | ${(m / f).toFixed(2)} | ${judged ? (m <= TARGET_MS ? 'PASS' : 'FAIL') : '—'} |`);
    }
    console.log('');
    console.log(`1-minute load average ${load0.toFixed(1)} before, ${load1.toFixed(1)} after (2 vCPUs shared).`);
  } finally {
    await browser.close();
    await cluster.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
