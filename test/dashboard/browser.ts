// Debian's chromium driven by playwright-core for the dashboard's browser tests and benchmark:
// headless, no sandbox (tests run as root), the cluster's self-signed certificate accepted, and
// kept off the network — every non-loopback request goes to a proxy on 127.0.0.1:9 where
// nothing listens, and the background services that would phone home are switched off. The
// browser is closed by close(); playwright stops the process it started.
import { access, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.TUG_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const IMAGES_DIR = join(ROOT, 'docs', 'images');
export const DASHBOARD_DIST = join(ROOT, 'web', 'dist', 'index.html');

/**
 * Everything goes to a proxy on 127.0.0.1:9, where nothing listens, except loopback and the
 * hosts given: the API server's own address, which for `tug up` is on the bridge the test's
 * cluster created. So nothing else is ever reached.
 */
export function chromiumArgs(directHosts: readonly string[] = []): string[] {
  return [
    '--no-sandbox',
    '--ignore-certificate-errors',
    '--proxy-server=127.0.0.1:9',
    `--proxy-bypass-list=${['127.0.0.1', 'localhost', '[::1]', ...directHosts].join(';')}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-domain-reliability',
    '--disable-client-side-phishing-detection',
    '--disable-default-apps',
    '--disable-extensions',
    '--metrics-recording-only',
    '--no-pings',
    '--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication',
  ];
}

export const isRoot = process.getuid?.() === 0;

/** The API server URL a kubeconfig names (`tug up` serves on the node's bridge address). */
export async function serverOf(kubeconfig: string): Promise<URL> {
  const m = /server:\s*(\S+)/.exec(await readFile(kubeconfig, 'utf8'));
  if (!m?.[1]) throw new Error(`no server in ${kubeconfig}`);
  return new URL(m[1]);
}

export async function haveChromium(): Promise<boolean> {
  return access(CHROMIUM).then(
    () => true,
    () => false,
  );
}

export async function haveDashboardBuild(): Promise<boolean> {
  return access(DASHBOARD_DIST).then(
    () => true,
    () => false,
  );
}

export interface DashboardBrowser {
  browser: Browser;
  /** A fresh context (own sessionStorage, so own sign-in) and page, 1280×800. */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** `directHosts`: the API server's host when it is not loopback (see chromiumArgs). */
export async function launchBrowser(o: { directHosts?: string[] } = {}): Promise<DashboardBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs(o.directHosts), chromiumSandbox: false });
  return {
    browser,
    async newPage() {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      return { context, page };
    },
    close: () => browser.close(),
  };
}

/** Opens the dashboard and signs in with `token`; resolves once the shell is shown. */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await open(page, `${baseUrl}/dashboard/`, 'signin-token');
  await page.getByTestId('signin-token').fill(token);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('signout').waitFor({ timeout: 30_000 });
}

/** A screenshot of the window (or the whole page) into docs/images/dashboard-NAME.png. */
export async function screenshot(page: Page, name: string, o: { fullPage?: boolean } = {}): Promise<void> {
  await mkdir(IMAGES_DIR, { recursive: true });
  await page.screenshot({ path: join(IMAGES_DIR, `dashboard-${name}.png`), fullPage: o.fullPage === true });
}

/**
 * page.goto that tries again when Chromium dropped the load with ERR_NETWORK_CHANGED: it aborts
 * requests in flight whenever the host's interfaces change, and on a shared machine (or when this
 * very cluster starts a pod and plugs in its veth) they do. A script of the app lost that way
 * leaves an empty page, so the load only counts once `readyTestId` (the signed-in shell's
 * sign-out button by default) is there.
 */
export async function open(page: Page, url: string, readyTestId = 'signout'): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(url);
      await page.getByTestId(readyTestId).waitFor({ timeout: 15_000 });
      return;
    } catch (err) {
      if (attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
