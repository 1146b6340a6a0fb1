// Header rewriting at the proxy hop. Hop-by-hop headers (RFC 9110 §7.6.1: Connection and the
// headers it lists, Keep-Alive, TE, Transfer-Encoding, Upgrade, Proxy-*) describe one connection
// and are not passed on, except that an Upgrade request keeps `Upgrade` and says
// `Connection: Upgrade`. The backend learns about the client from X-Forwarded-For/-Host/-Proto/
// -Port and X-Real-IP, which the proxy sets itself; values a client sent are dropped rather than
// trusted, as ingress-nginx does by default (use-forwarded-headers: false), so a client cannot
// pretend to come from elsewhere. Headers travel as flat raw arrays (name, value, name, value…),
// which keeps repeated headers and their order and saves building objects per request.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'http2-settings']);
const SET_BY_PROXY = new Set(['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip']);

export interface ForwardInfo {
  clientIp: string;
  proto: 'http' | 'https';
  /** The port the client connected to. */
  port: number;
  /** The Host header as the client sent it. */
  host: string;
}

/** Header names a Connection header declares hop-by-hop, lower-cased; undefined when there are none. */
function connectionTokens(raw: readonly string[]): Set<string> | undefined {
  let out: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length !== 10 || name.toLowerCase() !== 'connection') continue;
    for (const t of (raw[i + 1] as string).split(',')) {
      const tok = t.trim().toLowerCase();
      if (tok) (out ??= new Set()).add(tok);
    }
  }
  return out;
}

/** Drops hop-by-hop headers (and, with `drop`, more names) from a raw header array. */
function filtered(raw: readonly string[], drop?: ReadonlySet<string>): string[] {
  const listed = connectionTokens(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed?.has(lower) || drop?.has(lower)) continue;
    out.push(name, raw[i + 1] as string);
  }
  return out;
}

/** The value of the first header called `name` (lower case) in a raw array. */
export function rawHeader(raw: readonly string[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === name) return raw[i + 1];
  return undefined;
}

/** Headers for the request to the backend. */
export function backendRequestHeaders(raw: readonly string[], fwd: ForwardInfo, o: { upgrade?: string } = {}): string[] {
  const out = filtered(raw, SET_BY_PROXY);
  out.push('X-Real-IP', fwd.clientIp, 'X-Forwarded-For', fwd.clientIp, 'X-Forwarded-Host', fwd.host, 'X-Forwarded-Port', String(fwd.port), 'X-Forwarded-Proto', fwd.proto);
  if (o.upgrade) out.push('Connection', 'Upgrade', 'Upgrade', o.upgrade);
  return out;
}

/** Headers of the backend's response for the client. */
export function clientResponseHeaders(raw: readonly string[]): string[] {
  return filtered(raw);
}

/** The 101 response head for the client of an upgraded connection, keeping Upgrade/Connection. */
export function switchingProtocolsHead(statusMessage: string | undefined, raw: readonly string[], upgrade: string): string {
  const lines = [`HTTP/1.1 101 ${statusMessage || 'Switching Protocols'}`, 'Connection: Upgrade', `Upgrade: ${upgrade}`];
  const rest = filtered(raw);
  for (let i = 0; i < rest.length; i += 2) lines.push(`${rest[i] as string}: ${rest[i + 1] as string}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`: IPv4 clients of a dual-stack socket, written as IPv4. */
export function clientAddress(remote: string | undefined): string {
  if (!remote) return '';
  return remote.startsWith('::ffff:') && remote.includes('.') ? remote.slice(7) : remote;
}
