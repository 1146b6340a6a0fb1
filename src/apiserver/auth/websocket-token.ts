// Bearer tokens carried in a WebSocket sub-protocol. A browser's WebSocket cannot send an
// Authorization header, so Kubernetes clients (its dashboard, client libraries in browsers) offer
// `base64url.bearer.authorization.k8s.io.<unpadded base64url token>` next to the real protocol
// (`v5.channel.k8s.io`...). The API server takes the token from there and strips that entry, so
// the protocol the handshake agrees on — the one echoed back — is always the channel protocol and
// the token never travels further (to the node agent) or back to the client.
import type { IncomingMessage } from 'node:http';

export const BEARER_PROTOCOL_PREFIX = 'base64url.bearer.authorization.k8s.io.';

export type ProtocolToken =
  /** No bearer entry among the offered protocols. */
  | { kind: 'none' }
  | { kind: 'token'; token: string; rest: string[] }
  /** An entry that cannot be a token: empty, not base64url, offered twice. Authenticates nobody. */
  | { kind: 'invalid'; why: string; rest: string[] };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Splits a `Sec-WebSocket-Protocol` value into the bearer token and the other protocols. */
export function parseProtocolToken(header: string | string[] | undefined): ProtocolToken {
  if (header === undefined) return { kind: 'none' };
  const offered = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const carriers = offered.filter((p) => p.startsWith(BEARER_PROTOCOL_PREFIX));
  if (carriers.length === 0) return { kind: 'none' };
  const rest = offered.filter((p) => !p.startsWith(BEARER_PROTOCOL_PREFIX));
  if (carriers.length > 1) return { kind: 'invalid', why: 'more than one bearer token sub-protocol', rest };
  const encoded = (carriers[0] ?? '').slice(BEARER_PROTOCOL_PREFIX.length);
  if (!BASE64URL.test(encoded)) return { kind: 'invalid', why: 'the bearer token sub-protocol is not unpadded base64url', rest };
  const token = Buffer.from(encoded, 'base64url').toString('utf8');
  if (!token.trim()) return { kind: 'invalid', why: 'empty bearer token sub-protocol', rest };
  return { kind: 'token', token, rest };
}

/**
 * Moves a sub-protocol token into the request's Authorization header (an explicit header wins,
 * as the header authenticator comes first in Kubernetes' chain) and removes every bearer entry
 * from the protocols the upstream handshake sees. A malformed entry adds no credentials, so
 * without a header the request is unauthenticated (401).
 */
export function adoptProtocolToken(req: IncomingMessage): ProtocolToken {
  const p = parseProtocolToken(req.headers['sec-websocket-protocol']);
  if (p.kind === 'none') return p;
  if (p.kind === 'token' && !req.headers.authorization) req.headers.authorization = `Bearer ${p.token}`;
  if (p.rest.length) req.headers['sec-websocket-protocol'] = p.rest.join(', ');
  else delete req.headers['sec-websocket-protocol'];
  return p;
}
