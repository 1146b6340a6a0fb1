// Streams a watch to one client: newline-delimited JSON watch events over a chunked response,
// with periodic BOOKMARK events when asked for, the `k8s.io/initial-events-end` bookmark for
// sendInitialEvents, Table-rendered events for `kubectl get -w`, and a server-side timeout. An
// expired resourceVersion becomes an ERROR event carrying a 410 Status, which is how clients learn
// to re-list. Slow clients whose backlog grows too large are cut off rather than buffered forever.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KindDef } from '../../api/kind.js';
import { toStatusError } from '../../lib/errors.js';
import type { CachedObject, WatchEventType } from '../cache/resource-cache.js';
import type { Reader, WatchQuery } from '../registry/reads.js';
import { renderObject, type Form } from './negotiate.js';
import type { IncludeObject } from '../tables/index.js';

export interface WatchStreamOptions {
  form: Form;
  includeObject: IncludeObject;
  timeoutSeconds: number | undefined;
  bookmarkIntervalMs: number;
  /** Current revision, for bookmarks. */
  revision(): number;
  /** Registers a callback for when the watch cache is rebuilt; returns its remover. */
  onCacheReset(fn: () => void): () => void;
  signal: AbortSignal;
}

const MAX_BACKLOG_BYTES = 32 * 1024 * 1024;
const MIN_REQUEST_TIMEOUT_S = 1800;

export async function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  w: { reader: Reader; kind: KindDef; namespace: string | undefined; query: WatchQuery },
  o: WatchStreamOptions,
): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let closed = false;
  let headersSent = false;
  const cleanups: (() => void)[] = [];
  const finish = (): void => {
    if (closed) return;
    closed = true;
    for (const c of cleanups) c();
    res.end();
  };
  const write = (line: string): void => {
    if (closed) return;
    res.write(line);
    if (res.writableLength > MAX_BACKLOG_BYTES) finish();
  };
  const eventLine = (type: WatchEventType, obj: CachedObject): string => {
    if (o.form === 'object') return obj.line(type);
    const rendered = renderObject(o.form, w.kind, obj.object, { includeObject: o.includeObject, now: new Date(), noHeaders: headersSent });
    headersSent = true;
    return `${JSON.stringify({ type, object: rendered })}\n`;
  };
  const bookmark = (rv: number, initialEnd: boolean): void => {
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: w.kind.kind, apiVersion: w.kind.apiVersion, metadata } })}\n`);
  };

  req.on('close', finish);
  res.on('close', finish);
  const onAbort = (): void => finish();
  o.signal.addEventListener('abort', onAbort);
  cleanups.push(() => o.signal.removeEventListener('abort', onAbort));
  cleanups.push(o.onCacheReset(finish));

  const timeout = (o.timeoutSeconds ?? MIN_REQUEST_TIMEOUT_S * (1 + Math.random())) * 1000;
  const timer = setTimeout(finish, timeout);
  cleanups.push(() => clearTimeout(timer));
  const bookmarks = w.query.allowWatchBookmarks === true;
  if (bookmarks) {
    const tick = setInterval(() => bookmark(o.revision(), false), o.bookmarkIntervalMs);
    cleanups.push(() => clearInterval(tick));
  }
  try {
    const stop = await w.reader.watch(w.namespace, w.query, {
      event: (type, obj) => write(eventLine(type, obj)),
      initialEventsEnd: (rv) => {
        if (bookmarks) bookmark(rv, true);
      },
    });
    if (closed) stop();
    else cleanups.push(stop);
  } catch (err) {
    write(`${JSON.stringify({ type: 'ERROR', object: toStatusError(err).toStatus() })}\n`);
    finish();
  }
}
