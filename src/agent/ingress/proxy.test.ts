// The HTTP data plane on its own, with a fixed route table and backends on loopback: streaming
// bodies both ways, the read timeout (504), a backend vanishing mid-response (the client's
// response is cut, not left hanging), and a connection refused by every endpoint (502).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import type { Service } from '../../api/core/v1/index.js';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';
import type { Ingress } from '../../api/networking/v1/index.js';
import { HttpProxy } from './proxy.js';
import { RouteTable } from './route-table.js';

const listenOn = async (s: Server | NetServer): Promise<number> => {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  return (s.address() as AddressInfo).port;
};

/** Routes `/<svc>` to the one endpoint 127.0.0.1:<ports[svc]>. */
function table(ports: Record<string, number>): RouteTable {
  const ing: Ingress = {
    metadata: { name: 'i', namespace: 'default' },
    spec: { rules: [{ http: { paths: Object.keys(ports).map((svc) => ({ path: `/${svc}`, pathType: 'Prefix', backend: { service: { name: svc, port: { number: 80 } } } })) } }] },
  };
  return RouteTable.build({
    ingresses: [ing],
    service: (ns, name) => ({ metadata: { namespace: ns, name }, spec: { ports: [{ name: 'http', port: 80 }] } }) as Service,
    slices: (_ns, name): EndpointSlice[] => [{ addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'] }], ports: [{ name: 'http', port: ports[name] }] } as EndpointSlice],
    tlsContext: () => undefined,
  });
}

function send(port: number, path: string, o: { method?: string; body?: Buffer } = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: o.method ?? 'GET', agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

describe('HttpProxy', () => {
  const servers: (Server | NetServer)[] = [];
  let proxy: HttpProxy;
  let port = 0;

  before(async () => {
    // Echoes the size of what it was sent, streaming a large answer back.
    const echo = createServer((req, res) => {
      let n = 0;
      req.on('data', (d: Buffer) => (n += d.length));
      req.on('end', () => {
        res.writeHead(200, { 'X-Received': String(n) });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        for (let i = 0; i < 32; i++) res.write(chunk);
        res.end();
      });
    });
    // Raw servers read (and drop) what they get, so they notice when the proxy hangs up.
    const silent = createNetServer((sock) => sock.resume());
    const cut = createNetServer((sock) => sock.resume().end('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial'));
    const refused = createNetServer();
    servers.push(echo, silent, cut);
    const ports = { echo: await listenOn(echo), silent: await listenOn(silent), cut: await listenOn(cut), refused: await listenOn(refused) };
    await new Promise<void>((resolve) => refused.close(() => resolve()));
    const t = table(ports);
    proxy = new HttpProxy({ table: () => t, log: () => undefined, readTimeoutMs: 300 });
    const front = createServer((req, res) => proxy.handle(req, res, { scheme: 'http', port: 80 }));
    servers.push(front);
    port = await listenOn(front);
  });

  after(async () => {
    proxy.close();
    for (const s of servers) {
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      if ('closeAllConnections' in s) s.closeAllConnections();
      await closed;
    }
  });

  it('streams a large request body to the backend and a large response back', async () => {
    const r = await send(port, '/echo/up', { method: 'POST', body: Buffer.alloc(3 * 1024 * 1024, 'y') });
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 32 * 64 * 1024);
  });

  it('answers 504 when a connected backend stays silent past the read timeout', async () => {
    const started = Date.now();
    const r = await send(port, '/silent');
    assert.equal(r.status, 504);
    assert.ok(Date.now() - started >= 250, 'waited for the timeout');
  });

  it('cuts the client response when the backend closes mid-body', async () => {
    await assert.rejects(send(port, '/cut'));
  });

  it('answers 502 when no endpoint accepts the connection', async () => {
    assert.equal((await send(port, '/refused')).status, 502);
  });

  it('answers 404 for paths no rule covers', async () => {
    assert.equal((await send(port, '/nothing')).status, 404);
  });
});
