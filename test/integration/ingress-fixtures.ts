// Fixtures for the ingress integration test: backend HTTP servers on loopback addresses (each
// answers with its name, the request and its headers, echoes WebSocket messages, and can be
// slow on /slow), self-signed certificates for TLS Secrets, plain HTTP(S) requests with a chosen
// Host header or SNI name, and builders for the Services, EndpointSlices and Ingresses the test
// creates through the API.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { Agent as HttpAgent, createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import * as x509 from '@peculiar/x509';
import { WebSocketServer } from 'ws';
import type { Secret, Service } from '../../src/api/core/v1/index.js';
import type { EndpointSlice } from '../../src/api/discovery/v1/index.js';
import type { Ingress } from '../../src/api/networking/v1/index.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface Backend {
  name: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface Echo {
  name: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export async function startBackend(name: string, host: string, port: number): Promise<Backend> {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const echo: Echo = { name, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      const send = (): void => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Backend': name });
        res.end(JSON.stringify(echo));
      };
      // `/slow` answers after 600 ms, or after `?delay=MS`.
      const delay = /[?&]delay=(\d+)/.exec(req.url ?? '');
      if (req.url?.includes('/slow')) setTimeout(send, delay ? Number(delay[1]) : 600);
      else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.on('message', (m: Buffer) => ws.send(`${name}:${m.toString()}`)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    name,
    host,
    port,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  echo?: Echo;
}

export interface CallOptions {
  port: number;
  host: string;
  path?: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  agent?: HttpAgent;
  /** Use HTTPS with this SNI name and trust these certificates. */
  tls?: { servername: string; ca: string[] };
}

export function call(o: CallOptions): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const opts = {
      host: '127.0.0.1',
      port: o.port,
      path: o.path ?? '/',
      method: o.method ?? 'GET',
      headers: { Host: o.host, ...(o.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(o.body)) } : {}), ...o.headers },
      // A fresh connection per call unless the test brings an agent: an nginx reload closes idle
      // keep-alive connections, and Node's client, unlike browsers and curl, does not resend a
      // request that meets a connection closed that way.
      agent: o.agent ?? false,
      timeout: 10_000,
    };
    const onRes = (res: import('node:http').IncomingMessage): void => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('error', reject);
      res.on('end', () => {
        let echo: Echo | undefined;
        if (res.headers['content-type'] === 'application/json') echo = JSON.parse(body) as Echo;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ...(echo ? { echo } : {}) });
      });
    };
    const req = o.tls ? httpsRequest({ ...opts, servername: o.tls.servername, ca: o.tls.ca }, onRes) : httpRequest(opts, onRes);
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.end(o.body);
  });
}

/** A self-signed certificate and key for one host name, in PEM. */
export async function certFor(host: string): Promise<{ certPem: string; keyPem: string }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(8).toString('hex')}`,
    name: `CN=${host}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 24 * 3600_000),
    signingAlgorithm: alg,
    keys,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: host }])],
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return { certPem: cert.toString('pem'), keyPem: `-----BEGIN PRIVATE KEY-----\n${der.replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END PRIVATE KEY-----\n` };
}

export const NS = 'default';

export function tlsSecret(name: string, pair: { certPem: string; keyPem: string }): Secret {
  return {
    metadata: { name, namespace: NS },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(pair.certPem).toString('base64'), 'tls.key': Buffer.from(pair.keyPem).toString('base64') },
  } as Secret;
}

/** A Service without a selector (so no controller manages its endpoints) with ports http:80 and admin:81. */
export function service(name: string): Service {
  return {
    metadata: { name, namespace: NS },
    spec: {
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'admin', port: 81, targetPort: 8081, protocol: 'TCP' },
      ],
    },
  } as Service;
}

export interface EndpointSpec {
  ip: string;
  ready?: boolean;
}

export function slice(svc: string, port: number, endpoints: EndpointSpec[]): EndpointSlice {
  return {
    metadata: { name: `${svc}-test`, namespace: NS, labels: { 'kubernetes.io/service-name': svc, 'endpointslice.kubernetes.io/managed-by': 'ingress-test' } },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready ?? true } })),
    ports: [{ name: 'http', port, protocol: 'TCP' }],
  } as EndpointSlice;
}

type PathSpec = { path: string; type?: string; svc: string; port?: string | number };

export function ingressObj(name: string, o: { cls?: string; rules?: { host?: string; paths: PathSpec[] }[]; def?: string; tls?: { hosts: string[]; secretName: string }[] }): Ingress {
  const backend = (svc: string, port: string | number = 'http') => ({ service: { name: svc, port: typeof port === 'number' ? { number: port } : { name: port } } });
  return {
    metadata: { name, namespace: NS },
    spec: {
      ...(o.cls ? { ingressClassName: o.cls } : {}),
      ...(o.def ? { defaultBackend: backend(o.def) } : {}),
      ...(o.tls ? { tls: o.tls } : {}),
      ...(o.rules
        ? {
            rules: o.rules.map((r) => ({
              ...(r.host ? { host: r.host } : {}),
              http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.type ?? 'Prefix', backend: backend(p.svc, p.port) })) },
            })),
          }
        : {}),
    },
  } as Ingress;
}
