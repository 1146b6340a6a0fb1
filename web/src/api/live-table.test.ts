// runLiveTable against a real HTTP server on loopback that plays the API's part: list, watch,
// end the stream, expire the resourceVersion (410), drop the connection, refuse (403).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApiClient } from './client.ts';
import type { ConnStatus } from './connection.ts';
import { runLiveTable } from './live-table.ts';
import type { TableState } from './table-state.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

const tableOf = (names: string[], rv: string) => ({
  kind: 'Table',
  columnDefinitions: [{ name: 'Name', type: 'string' }],
  rows: names.map((n) => ({ cells: [n], object: { metadata: { name: n, uid: n } } })),
  metadata: { resourceVersion: rv },
});
const event = (type: string, name: string, rv: string): string =>
  `${JSON.stringify({ type, object: { kind: 'Table', columnDefinitions: [], rows: [{ cells: [name], object: { metadata: { name, uid: name, resourceVersion: rv } } }], metadata: { resourceVersion: rv } } })}\n`;

let server: Server;
let base = '';
let handler: Handler = (_q, res) => res.end();
const seen: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${url.searchParams.has('watch') ? 'watch' : 'list'}${url.searchParams.get('resourceVersion') ? `@${url.searchParams.get('resourceVersion')}` : ''}`);
    handler(req, res, url);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const noSleep = async (): Promise<void> => undefined;

function run(until: (s: TableState) => boolean) {
  const ctl = new AbortController();
  const states: ConnStatus[] = [];
  let fatal: unknown;
  let last: TableState | undefined;
  const done = runLiveTable(new ApiClient('t', { baseUrl: base }), '/api/v1/pods', ctl.signal, {
    onChange: (s) => {
      last = s;
      if (until(s)) ctl.abort();
    },
    onFatal: (e) => (fatal = e),
    report: (s) => states.push(s),
    sleep: noSleep,
  });
  return { done, states, fatal: () => fatal, last: () => last, ctl };
}

describe('runLiveTable', () => {
  it('lists, watches from the list revision, resumes after the server ends a stream, re-lists after 410', async () => {
    seen.length = 0;
    let watches = 0;
    handler = (req, res, url) => {
      assert.match(String(req.headers.accept), /as=Table/);
      assert.equal(req.headers.authorization, 'Bearer t');
      if (!url.searchParams.has('watch')) return res.end(JSON.stringify(tableOf(watches === 0 ? ['a'] : ['a', 'b', 'c'], watches === 0 ? '10' : '30')));
      watches++;
      if (watches === 1) return res.end(event('ADDED', 'b', '11')); // stream ends cleanly
      if (watches === 2) return res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' } })}\n`);
      res.write(event('ADDED', 'd', '31'));
    };
    const r = run((s) => s.rows.has('d'));
    await r.done;
    assert.deepEqual([...(r.last()?.rows.keys() ?? [])], ['a', 'b', 'c', 'd']);
    assert.deepEqual(seen, ['list', 'watch@10', 'watch@11', 'list', 'watch@30']);
    assert.equal(r.fatal(), undefined);
  });

  it('reports a dropped connection as reconnecting, then recovers by re-listing', async () => {
    seen.length = 0;
    let n = 0;
    handler = (_req, res, url) => {
      n++;
      if (!url.searchParams.has('watch')) return res.end(JSON.stringify(tableOf(n < 3 ? ['a'] : ['a', 'z'], '5')));
      if (n === 2) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(event('ADDED', 'half', '6').slice(0, 10)); // a partial line, then the socket dies
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      res.write(event('MODIFIED', 'z', '7'));
    };
    const r = run((s) => s.rows.has('z') && s.resourceVersion === '7');
    await r.done;
    assert.ok(r.states.some((s) => s.state === 'reconnecting' && /connection/i.test(s.message ?? '')), JSON.stringify(r.states));
    assert.equal(r.states.at(-1)?.state, 'live');
    assert.deepEqual(seen, ['list', 'watch@5', 'list', 'watch@5']);
  });

  it('gives up on 403 and hands the Status to the page', async () => {
    handler = (_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', message: 'pods is forbidden: User "x" cannot list resource "pods"' }));
    };
    const r = run(() => false);
    await r.done;
    const err = r.fatal() as { status?: number; reason?: string; message?: string };
    assert.equal(err.status, 403);
    assert.equal(err.reason, 'Forbidden');
    assert.match(err.message ?? '', /cannot list/);
  });
});
