// Listen addresses of the HTTP and HTTPS listeners, written as the agent's flags take them:
// `:80` (every address of the node), `8080`, `127.0.0.1:8080` or `[::1]:8443`; an empty string
// turns the listener off. Also the shared server settings: long-lived streams are allowed (no
// whole-request deadline) and idle client connections are kept like ingress-nginx keeps them.
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ListenAddress {
  /** Undefined means every address. */
  host: string | undefined;
  port: number;
}

export function parseListen(spec: string): ListenAddress | undefined {
  const s = spec.trim();
  if (!s) return undefined;
  let host: string | undefined;
  let portText: string;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0 || s[end + 1] !== ':') throw new Error(`invalid listen address ${JSON.stringify(spec)}`);
    host = s.slice(1, end);
    portText = s.slice(end + 2);
  } else if (s.includes(':')) {
    const colon = s.lastIndexOf(':');
    host = s.slice(0, colon) || undefined;
    portText = s.slice(colon + 1);
  } else portText = s;
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`invalid port in listen address ${JSON.stringify(spec)}`);
  return { host, port };
}

export function tuneServer(server: HttpServer | HttpsServer): void {
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 75_000;
}

/** Binds a server and returns the port it got (useful with port 0). */
export async function listen(server: HttpServer | HttpsServer, addr: ListenAddress): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ port: addr.port, ...(addr.host ? { host: addr.host } : {}) }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
