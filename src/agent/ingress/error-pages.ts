// The small HTML pages the proxy answers with itself: 404 when no rule matches, 503 when the
// backend has no ready endpoints, 502 when every try to reach one failed, 504 when a backend
// accepted the request but did not answer in time. Also written raw on sockets of failed upgrades.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

const TITLES: Record<number, string> = {
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function page(code: number): { title: string; body: string } {
  const title = `${code} ${TITLES[code] ?? 'Error'}`;
  return { title, body: `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<hr><p>tugboat ingress</p>\n</body>\n</html>\n` };
}

export function sendError(res: ServerResponse, code: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { body } = page(code);
  res.writeHead(code, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** Answers on a raw socket (an Upgrade request that could not be proxied), then closes it. */
export function sendSocketError(socket: Duplex, code: number): void {
  if (socket.destroyed) return;
  const { title, body } = page(code);
  socket.end(`HTTP/1.1 ${title}\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
