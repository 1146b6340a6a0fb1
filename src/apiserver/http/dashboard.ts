// Serves the built dashboard (web/dist, made by `npm run build`) under /dashboard/ without
// authentication: the files are public, every API call the app makes carries the user's token.
// Hashed assets are cached for a year, index.html is revalidated each time, and any other path
// under /dashboard/ gets index.html so client-side routes survive a reload. Responses are
// gzipped when the browser accepts it (compressed once per file version and kept in memory).
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const DASHBOARD_PREFIX = '/dashboard';

/** web/dist from both src/apiserver/http (tsx) and dist/apiserver/http (the build). */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

// Same-origin only: scripts and API calls (including exec/attach WebSockets) go to this server.
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
};

interface Cached {
  mtimeMs: number;
  body: Buffer;
  gzip: Buffer | undefined;
  etag: string;
}

export function isDashboardPath(pathname: string): boolean {
  return pathname === DASHBOARD_PREFIX || pathname.startsWith(`${DASHBOARD_PREFIX}/`);
}

export function createDashboardHandler(dir: string = DEFAULT_DASHBOARD_DIR): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> {
  const root = resolve(dir);
  const cache = new Map<string, Cached>();

  const load = async (file: string): Promise<Cached | undefined> => {
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs) return hit;
    const body = await readFile(file);
    const gzip = COMPRESSIBLE.has(extname(file)) && body.length > 1024 ? gzipSync(body) : undefined;
    const entry = { mtimeMs: st.mtimeMs, body, gzip, etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"` };
    cache.set(file, entry);
    return entry;
  };

  return async (req, res, pathname) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendPlain(res, 405, 'the dashboard serves GET and HEAD only', { Allow: 'GET, HEAD' });
    if (pathname === DASHBOARD_PREFIX) {
      res.writeHead(301, { Location: `${DASHBOARD_PREFIX}/`, 'Content-Length': '0' });
      res.end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(pathname.slice(DASHBOARD_PREFIX.length + 1));
    } catch {
      return sendPlain(res, 400, 'malformed path');
    }
    const file = resolve(root, rel);
    if (file !== root && !file.startsWith(root + sep)) return sendPlain(res, 404, 'not found');
    let served = rel ? await load(file) : undefined;
    let name = file;
    if (!served) {
      // An asset that is not there is a real 404; anything else is a client-side route.
      if (rel.startsWith('assets/') || extname(rel) !== '') return sendPlain(res, 404, 'not found');
      name = join(root, 'index.html');
      served = await load(name);
      if (!served) return sendPlain(res, 503, 'The dashboard is not built. Run `npm run build` (it builds web/ into web/dist).');
    }
    const immutable = rel.startsWith('assets/') && name === file;
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'Content-Type': TYPES[extname(name)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: served.etag,
      Vary: 'Accept-Encoding',
    };
    if (req.headers['if-none-match'] === served.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = served.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip && served.gzip ? served.gzip : served.body;
    if (gzip) headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

function sendPlain(res: ServerResponse, code: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...extra });
  res.end(text);
}
