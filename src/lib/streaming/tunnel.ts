// kubectl 1.31+ sends port-forward as SPDY inside a WebSocket: the sub-protocol is the SPDY
// protocol name prefixed with "SPDY/3.1+", and the SPDY byte stream travels in binary messages
// chunked arbitrarily. Wrapping the WebSocket as a byte stream lets the ordinary SPDY server
// run on it unchanged.
import type { Duplex } from 'node:stream';
import { createWebSocketStream, type WebSocket } from 'ws';

export const TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

export function webSocketByteStream(ws: WebSocket): Duplex {
  return createWebSocketStream(ws, { allowHalfOpen: false });
}
