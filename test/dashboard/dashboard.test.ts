// The dashboard in a real browser against a real `tug up` cluster (root: containerd, CNI): sign
// in, apply a Deployment and its Service from the YAML editor, watch it become Ready in the list
// without a reload, scale it, read a pod's logs, run `echo ok` in the exec terminal, follow the
// control-plane flow of one of its pods and the Deployment's rollout, delete it. Errors must be
// readable: a bad token, an invalid manifest (shown at the field), a forbidden action (403), and
// a lost connection (the server stops; the dashboard says it is reconnecting, then recovers).
// Each page is saved to docs/images/dashboard-*.png for the user guide.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startTugUp, type TugUp } from '../support/tug-up.js';
import { eventually } from '../support/eventually.js';
import { haveChromium, haveDashboardBuild, isRoot, launchBrowser, open, screenshot, serverOf, signIn, type DashboardBrowser } from './browser.js';

const IMAGE = 'localhost/tugboat/busybox:1.35.0';
const NS = 'default';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${IMAGE}
        imagePullPolicy: IfNotPresent
        command: ["sh", "-c", "echo web starting; i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done"]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${NS}
spec:
  selector: {app: web}
  ports:
  - port: 80
`;

/** Missing image: the API's validation names spec.template.spec.containers[0].image. */
const INVALID = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: broken
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: {app: broken}
  template:
    metadata:
      labels: {app: broken}
    spec:
      containers:
      - name: app
`;

/** A PriorityClass that does not exist: admission answers 403 Forbidden. */
const FORBIDDEN = `apiVersion: v1
kind: Pod
metadata:
  name: vip
  namespace: ${NS}
spec:
  priorityClassName: no-such-class
  containers:
  - name: app
    image: ${IMAGE}
`;

const skip = !isRoot ? 'needs root for a real tug up node' : false;

/** Replaces the YAML editor's text (a textarea) and applies it. */
async function applyYaml(page: Page, yaml: string): Promise<void> {
  await page.getByTestId('nav-apply').click();
  const editor = page.getByTestId('apply-editor');
  await editor.fill(yaml);
  await page.getByTestId('apply-submit').click();
  await page.getByTestId('apply-result').waitFor();
}

async function podNames(c: TugUp): Promise<string[]> {
  const out = await c.kubectlOk(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}']);
  return out.split('\n').filter(Boolean).sort();
}

describe('dashboard in chromium against tug up', { skip }, () => {
  let cluster: TugUp;
  let browser: DashboardBrowser;
  let page: Page;
  let base = '';
  let token = '';

  before(async () => {
    if (!(await haveChromium())) throw new Error('chromium is missing: run scripts/setup.sh');
    if (!(await haveDashboardBuild())) throw new Error('web/dist is missing: run npm run build');
    cluster = await startTugUp();
    const server = await serverOf(cluster.kubeconfig);
    base = server.origin;
    token = (await readFile(join(dirname(cluster.kubeconfig), 'admin-token'), 'utf8')).trim();
    browser = await launchBrowser({ directHosts: [server.hostname] });
    page = (await browser.newPage()).page;
  });
  after(async () => {
    await browser?.close();
    await cluster?.destroy();
  });

  it('signs in and shows the overview', async () => {
    await signIn(page, base, token);
    await page.getByTestId(`node-${cluster.node}`).waitFor({ timeout: 30_000 });
    await screenshot(page, 'overview');
  });

  it('applies a Deployment from the YAML editor and shows it Ready in the list without a reload', async () => {
    await applyYaml(page, MANIFEST);
    assert.equal(await page.getByTestId('apply-ok').count(), 2, await page.getByTestId('apply-result').innerText());
    await screenshot(page, 'apply');
    // Any full page load from here on would lose this marker.
    await page.evaluate('window.tugNoReload = true');
    await page.getByTestId('nav-deployments').click();
    const row = page.getByTestId('row-web');
    await row.waitFor();
    await eventually(async () => /\b2\/2\b/.test(await row.innerText()), { timeoutMs: 120_000, what: 'web 2/2 in the list' });
    assert.equal(await page.evaluate('window.tugNoReload === true'), true);
    await screenshot(page, 'deployments');
  });

  it('scales the Deployment from its page', async () => {
    await page.getByTestId('row-web').getByRole('link', { name: 'web' }).first().click();
    await page.getByTestId('scale-input').fill('3');
    await page.getByTestId('scale-submit').click();
    await page.getByTestId('action-notice').waitFor();
    await eventually(async () => (await cluster.kubectlOk(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.status.readyReplicas}'])) === '3', { timeoutMs: 120_000, what: '3 ready replicas' });
    await screenshot(page, 'deployment-detail');
    await page.getByTestId('nav-deployments').click();
    await eventually(async () => /\b3\/3\b/.test(await page.getByTestId('row-web').innerText()), { timeoutMs: 30_000, what: 'web 3/3 in the list' });
  });

  it("reads a pod's logs, follows them and highlights a search", async () => {
    const [pod] = await podNames(cluster);
    assert.ok(pod);
    await open(page, `${base}/dashboard/ns/${NS}/pods/${pod}/logs`);
    const out = page.getByTestId('log-output');
    await eventually(async () => /web starting[\s\S]*tick 2/.test(await out.innerText({ timeout: 2_000 })), { timeoutMs: 30_000, what: 'log lines' }).catch(async (err: unknown) => {
      throw new Error(`${String(err)}\npage shows:\n${await page.locator('body').innerText()}`);
    });
    // Following: a later line arrives without doing anything.
    const seen = Number(/tick (\d+)\s*$/.exec(await out.innerText())?.[1]);
    await eventually(async () => Number(/tick (\d+)\s*$/.exec(await out.innerText())?.[1]) > seen, { timeoutMs: 15_000, what: 'a followed line' });
    await page.getByTestId('log-search').fill('starting');
    await eventually(async () => (await out.locator('mark').count()) === 1, { what: 'one highlighted match' });
    assert.match(await page.getByTestId('log-matches').innerText(), /^1 matching line$/);
    await screenshot(page, 'logs');
  });

  it('runs `echo ok` in the exec terminal', async () => {
    const [pod] = await podNames(cluster);
    await open(page, `${base}/dashboard/ns/${NS}/pods/${pod}/exec`);
    await eventually(async () => (await page.getByTestId('exec-status').innerText()) === 'open', { timeoutMs: 30_000, what: 'exec session open' });
    await page.getByTestId('exec-terminal').click();
    await page.keyboard.type('echo ok\n');
    const rows = page.getByTestId('exec-terminal').locator('.xterm-rows');
    await eventually(async () => /(^|\n)ok\s*(\n|$)/.test(await rows.innerText()), { timeoutMs: 15_000, what: 'ok printed by the shell' });
    await screenshot(page, 'exec');
    await page.keyboard.type('exit 3\n');
    await eventually(async () => /exit code 3/.test(await page.getByTestId('exec-message').innerText().catch(() => '')), { timeoutMs: 15_000, what: 'session end with its exit code' });
  });

  it("shows the control-plane flow of one of the Deployment's pods, and its rollout", async () => {
    const [pod] = await podNames(cluster);
    await open(page, `${base}/dashboard/ns/${NS}/pods/${pod}/flow`);
    const timeline = page.getByTestId('flow-timeline');
    const expected = ['Deployment web created', /ReplicaSet web-\S+ created/, `ReplicaSet controller created pod ${pod}`, `Pod ${pod} stored by the API server`, `Scheduled to node ${cluster.node}`, 'Started container web', 'Pod Ready', "In Service web's endpoints (ready)"];
    const shows = (text: string, step: string | RegExp): boolean => (typeof step === 'string' ? text.includes(step) : step.test(text));
    const text = await eventually(
      async () => {
        const t = await timeline.innerText({ timeout: 2_000 });
        return expected.every((step) => shows(t, step)) ? t : undefined;
      },
      { timeoutMs: 30_000, what: 'the whole flow' },
    ).catch(async (err: unknown) => {
      const t = await timeline.innerText().catch(() => '');
      throw new Error(`${String(err)}; missing: ${expected.filter((step) => !shows(t, step)).join(' | ')}\n${t}`);
    });
    assert.ok(text);
    const stages = await page.locator('[data-testid=flow-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')));
    assert.ok(stages.indexOf('schedule') < stages.indexOf('container-started'), stages.join());
    assert.ok(stages.indexOf('ready') < stages.indexOf('endpoints'), stages.join());
    // Past the fresh-step highlight, which fades within two seconds.
    await page.waitForTimeout(2_500);
    await screenshot(page, 'flow-pod', { fullPage: true });
    await open(page, `${base}/dashboard/ns/${NS}/deployments/web/flow`);
    await page.getByTestId('rollout-revisions').waitFor();
    await eventually(async () => /Scaled up web-\S+ from 2 to 3/.test(await page.getByTestId('flow-timeline').innerText()), { timeoutMs: 15_000, what: 'the scale step' });
    await screenshot(page, 'flow-deployment');
  });

  it('says a token is bad at sign-in', async () => {
    const { context, page: p } = await browser.newPage();
    try {
      await open(p, `${base}/dashboard/`, 'signin-token');
      await p.getByTestId('signin-token').fill('not-a-token');
      await p.getByTestId('signin-submit').click();
      const err = p.getByTestId('signin-error');
      await err.waitFor();
      assert.match(await err.innerText(), /Unauthorized \(401\)/);
      await screenshot(p, 'error-token');
    } finally {
      await context.close();
    }
  });

  it('shows an invalid manifest at the field and a forbidden action as 403', async () => {
    await applyYaml(page, INVALID);
    await page.getByTestId('field-error').first().waitFor();
    assert.match(await page.getByTestId('field-errors').innerText(), /spec\.template\.spec\.containers\[0\]\.image/);
    await screenshot(page, 'error-invalid');
    await applyYaml(page, FORBIDDEN);
    assert.match(await page.getByTestId('apply-failed').innerText(), /Forbidden \(403\).*no-such-class/);
  });

  it('shows an action RBAC does not allow as 403, for a ServiceAccount that may only view', async () => {
    await cluster.kubectlOk(['create', 'serviceaccount', 'viewer', '-n', NS]);
    await cluster.kubectlOk(['create', 'rolebinding', 'viewer-view', '--clusterrole=view', `--serviceaccount=${NS}:viewer`, '-n', NS]);
    const viewerToken = (await cluster.kubectlOk(['create', 'token', 'viewer', '-n', NS])).trim();
    const { context, page: p } = await browser.newPage();
    try {
      await signIn(p, base, viewerToken);
      await applyYaml(p, MANIFEST.replace('name: web', 'name: not-allowed'));
      // The manifest holds a Deployment and a Service: each is refused on its own line.
      const refused = (await p.getByTestId('apply-failed').allInnerTexts()).join('\n');
      assert.match(refused, /Deployment\/not-allowed Forbidden \(403\): deployments\.apps is forbidden: User "system:serviceaccount:default:viewer" cannot create resource "deployments"/);
      await screenshot(p, 'error-forbidden');
    } finally {
      await context.close();
    }
    assert.ok((await cluster.kubectl(['get', 'deploy', 'not-allowed', '-n', NS])).stderr.includes('NotFound'), 'the forbidden Deployment was not created');
  });

  it('says when the connection is lost, and recovers when the server is back', async () => {
    await page.getByTestId('nav-deployments').click();
    await page.getByTestId('row-web').waitFor();
    const badge = page.getByTestId('connection-status');
    await eventually(async () => (await badge.getAttribute('data-state')) === 'live', { what: 'live' });
    await cluster.stop();
    await eventually(async () => (await badge.getAttribute('data-state')) === 'reconnecting', { timeoutMs: 30_000, what: 'reconnecting notice' });
    assert.match(await badge.innerText(), /reconnecting/i);
    await screenshot(page, 'error-connection');
    cluster = await startTugUp({ again: cluster });
    await eventually(async () => (await badge.getAttribute('data-state')) === 'live', { timeoutMs: 90_000, what: 'live again' });
  });

  it('deletes the Deployment', async () => {
    await open(page, `${base}/dashboard/ns/${NS}/deployments/web`);
    await page.getByTestId('delete-button').click();
    await page.getByTestId('delete-confirm').click();
    await eventually(async () => (await cluster.kubectl(['get', 'deploy', 'web', '-n', NS])).stderr.includes('NotFound'), { timeoutMs: 30_000, what: 'Deployment gone' });
    await eventually(async () => (await page.getByTestId('row-web').count()) === 0, { timeoutMs: 30_000, what: 'row gone from the list' });
  });
});
