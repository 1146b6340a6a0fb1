// The client side of SPDY port-forward, which the agent speaks to the runtime's stream server:
// one session per kubectl session, and per forwarded connection an error stream (half-closed at
// once, read for failure text) and a data stream sharing a request id, as kubectl opens them.
import { SpdyConnection, type SpdyStream } from '../spdy/index.js';
import { dialSpdy } from '../upgrade.js';
import { PORT_FORWARD_PROTOCOL } from './server-spdy.js';

export interface PortForwardClient {
  /** Opens one forwarded connection to a pod port. */
  forward(port: number): Promise<{ data: SpdyStream; error: Promise<string> }>;
  close(): Promise<void>;
  readonly closed: Promise<void>;
}

export async function dialPortForward(url: string, o: { ca?: string; rejectUnauthorized?: boolean } = {}): Promise<PortForwardClient> {
  const { socket } = await dialSpdy(url, { protocols: [PORT_FORWARD_PROTOCOL], ...(o.ca ? { ca: o.ca } : {}), rejectUnauthorized: o.rejectUnauthorized ?? true });
  const conn = new SpdyConnection(socket, { role: 'client' });
  let nextRequest = 0;
  return {
    async forward(port) {
      const requestid = String(nextRequest++);
      const error = await conn.openStream({ streamtype: 'error', port: String(port), requestid });
      error.end();
      const text = new Promise<string>((resolve) => {
        let s = '';
        error.on('data', (d: Buffer) => (s += d.toString()));
        error.on('end', () => resolve(s));
        error.on('close', () => resolve(s));
      });
      const data = await conn.openStream({ streamtype: 'data', port: String(port), requestid });
      return { data, error: text };
    },
    close: () => conn.close(),
    closed: conn.closed,
  };
}
