// Serving port-forward over SPDY (portforward.k8s.io), as the kubelet does. For each local
// connection the client opens two streams carrying the same `requestid` and `port` headers: an
// error stream (which the client half-closes at once) and a data stream. Once both are in we
// hand the pair over; the handler splices the data stream onto a connection to the pod port.
// Clients too old to send request ids put the error stream two ids before its data stream.
// The same code serves kubectl 1.31+'s WebSocket tunnel, which carries this SPDY session inside
// WebSocket binary messages.
import type { Duplex } from 'node:stream';
import { SpdyConnection, type SpdyStream } from '../spdy/index.js';
import type { ForwardHandler } from './request.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
}

/** Runs a port-forward session on an upgraded socket until the client closes it. */
export function servePortForwardSpdy(socket: Duplex, o: { onForward: ForwardHandler; onError?(err: unknown): void }): SpdyConnection {
  const pairs = new Map<string, Pair>();
  const conn = new SpdyConnection(socket, {
    role: 'server',
    onError: o.onError,
    onStream: (s) => {
      const type = s.headers.streamtype;
      const port = Number(s.headers.port);
      if ((type !== 'error' && type !== 'data') || !Number.isInteger(port) || port < 1 || port > 65535) {
        s.reset();
        return;
      }
      void s.reply();
      const key = s.headers.requestid ?? String(type === 'data' ? s.id - 2 : s.id);
      const pair = pairs.get(key) ?? {};
      pair[type] = s;
      pairs.set(key, pair);
      if (type === 'error') s.resume();
      const { error, data } = pair;
      if (!error || !data) return;
      pairs.delete(key);
      o.onForward({
        port,
        data,
        fail: (message) => {
          error.end(message);
          data.end();
        },
        done: () => {
          error.end();
          data.end();
        },
      });
    },
  });
  return conn;
}
