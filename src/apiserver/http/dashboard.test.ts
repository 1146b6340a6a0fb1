// The dashboard's static file server on a real loopback HTTP server over a temp build dir.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createDashboardHandler, isDashboardPath } from './dashboard.js';

let dir = '';
let server: Server;
let port = 0;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const INDEX = `<!doctype html><title>Tugboat</title>${'<!-- padding -->'.repeat(100)}`;
const APP_JS = `console.log(${JSON.stringify('x'.repeat(4000))});`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tug-dashboard-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'index-abc123.js'), APP_JS);
  await writeFile(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  await writeFile(join(dir, '..', 'secret.txt'), 'do not serve').catch(() => undefined);
  const handler = createDashboardHandler(dir);
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!isDashboardPath(path)) {
      res.writeHead(401).end();
      return;
    }
    handler(req, res, path).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  port = typeof a === 'object' && a ? a.port : 0;
});

after(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
  await rm(join(dir, '..', 'secret.txt'), { force: true });
});

describe('dashboard static files', () => {
  it('serves index.html at /dashboard/ without a token, revalidated every time', async () => {
    const r = await get('/dashboard/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.body.toString(), INDEX);
  });

  it('redirects /dashboard to /dashboard/', async () => {
    const r = await get('/dashboard');
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, '/dashboard/');
  });

  it('serves hashed assets with their type, cached for good, gzipped when accepted', async () => {
    const r = await get('/dashboard/assets/index-abc123.js', { 'Accept-Encoding': 'gzip, br' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.match(String(r.headers['cache-control']), /max-age=31536000, immutable/);
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(r.body).toString(), APP_JS);
    const css = await get('/dashboard/assets/index-abc123.css');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(css.headers['content-encoding'], undefined);
  });

  it('answers client-side routes with index.html, but a missing asset with 404', async () => {
    const route = await get('/dashboard/ns/default/pods/web-1/logs');
    assert.equal(route.status, 200);
    assert.equal(route.body.toString(), INDEX);
    assert.equal((await get('/dashboard/assets/gone-123.js')).status, 404);
    assert.equal((await get('/dashboard/favicon.png')).status, 404);
  });

  it('answers a matching ETag with 304 and HEAD without a body', async () => {
    const first = await get('/dashboard/assets/index-abc123.css');
    const again = await get('/dashboard/assets/index-abc123.css', { 'If-None-Match': String(first.headers.etag) });
    assert.equal(again.status, 304);
    const head = await get('/dashboard/', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });

  it('never leaves the build directory and refuses writes', async () => {
    for (const p of ['/dashboard/../secret.txt', '/dashboard/%2e%2e/secret.txt', '/dashboard/assets/%2e%2e/%2e%2e/secret.txt']) {
      const r = await get(p);
      assert.notEqual(r.body.toString(), 'do not serve', p);
    }
    assert.equal((await get('/dashboard/', {}, 'POST')).status, 405);
  });

  it('says how to build it when the build is missing', async () => {
    const missing = createDashboardHandler(join(dir, 'nope'));
    const s = createServer((req, res) => {
      missing(req, res, '/dashboard/').catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const a = s.address();
    const saved = port;
    port = typeof a === 'object' && a ? a.port : 0;
    try {
      const r = await get('/dashboard/');
      assert.equal(r.status, 503);
      assert.match(r.body.toString(), /npm run build/);
    } finally {
      port = saved;
      s.close();
    }
  });
});
