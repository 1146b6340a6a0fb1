// kubectl 1.31+ sends port-forward as SPDY inside a WebSocket: the sub-protocol is the SPDY
// protocol name prefixed with "SPDY/3.1+", and the SPDY byte stream travels in binary messages
// chunked arbitrarily. Wrapping the WebSocket as a byte stream lets the ordinary SPDY server run
// on it unchanged. The `ws` library refuses that sub-protocol name (a "/" is not allowed in an
// HTTP token), so the tunnel's handshake hides the request header from it and adds the answer
// itself.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';

export const TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

const tunnelServer = new WebSocketServer({ noServer: true, perMessageDeflate: false });
tunnelServer.on('headers', (headers: string[]) => headers.push(`Sec-WebSocket-Protocol: ${TUNNEL_PROTOCOL}`));

/** Completes a tunnelled port-forward handshake; resolves with the SPDY byte stream inside it. */
export function acceptTunnel(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<Duplex> {
  delete req.headers['sec-websocket-protocol'];
  return new Promise((resolve) => tunnelServer.handleUpgrade(req, socket, head, (ws) => resolve(createWebSocketStream(ws, { allowHalfOpen: false }))));
}
