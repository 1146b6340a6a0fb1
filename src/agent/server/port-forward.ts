// port-forward on the agent: the client speaks SPDY (portforward.k8s.io), SPDY tunnelled in a
// WebSocket (kubectl 1.31+), or channel-framed WebSocket (other clients); the runtime's stream
// server speaks SPDY. Each forwarded connection the client opens becomes one on the runtime's
// session, bytes copied both ways, and the runtime's failure text (connection refused...) goes
// back on the client's error stream for kubectl to print.
import { WebSocketServer } from 'ws';
import {
  acceptSpdyUpgrade,
  acceptTunnel,
  dialPortForward,
  headerList,
  negotiate,
  offeredStreamProtocols,
  portsFromQuery,
  PORT_FORWARD_PROTOCOL,
  rejectUpgrade,
  servePortForwardSpdy,
  servePortForwardWebSocket,
  TUNNEL_PROTOCOL,
  UpgradeError,
  wantsWebSocket,
  WS_PORT_FORWARD_PROTOCOLS,
  type ForwardRequest,
  type PortForwardClient,
} from '../../lib/streaming/index.js';
import type { Upgrade } from './remote-command.js';
import { HttpError } from './targets.js';

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

export async function openPortForward(url: string): Promise<PortForwardClient> {
  try {
    return await dialPortForward(url);
  } catch (err) {
    if (err instanceof UpgradeError) throw new HttpError(err.statusCode || 500, err.message);
    throw err;
  }
}

function forwardOne(remote: PortForwardClient, r: ForwardRequest): void {
  remote.forward(r.port).then(
    ({ data, error }) => {
      r.data.pipe(data);
      data.pipe(r.data, { end: false });
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        void error.then((text) => (text ? r.fail(text) : r.done()));
      };
      data.once('end', finish);
      data.once('close', finish);
      r.data.once('close', () => data.destroy());
    },
    (err: unknown) => r.fail(`error forwarding port ${r.port}: ${err instanceof Error ? err.message : String(err)}`),
  );
}

/** Accepts the client's port-forward upgrade and relays its connections through `remote`. */
export function servePortForward(u: Upgrade, remote: PortForwardClient, q: URLSearchParams): void {
  const onForward = (r: ForwardRequest): void => forwardOne(remote, r);
  const closeRemote = (): void => void remote.close();
  if (wantsWebSocket(u.req)) {
    const offered = headerList(u.req.headers['sec-websocket-protocol']);
    if (offered.includes(TUNNEL_PROTOCOL)) {
      void acceptTunnel(u.req, u.socket, u.head).then((bytes) => {
        const conn = servePortForwardSpdy(bytes, { onForward });
        void conn.closed.then(closeRemote);
        void remote.closed.then(() => void conn.close());
      });
      return;
    }
    const protocol = offered.length === 0 ? '' : negotiate(offered, WS_PORT_FORWARD_PROTOCOLS);
    let ports: number[];
    try {
      ports = portsFromQuery(q);
    } catch (err) {
      closeRemote();
      return rejectUpgrade(u.socket, 400, `${err instanceof Error ? err.message : String(err)}\n`);
    }
    if (protocol === undefined || ports.length === 0) {
      closeRemote();
      return rejectUpgrade(u.socket, 400, protocol === undefined ? `unable to upgrade: server supports ${[TUNNEL_PROTOCOL, ...WS_PORT_FORWARD_PROTOCOLS].join(', ')}\n` : 'query parameter "ports" is required\n');
    }
    wss.handleUpgrade(u.req, u.socket, u.head, (ws) => {
      servePortForwardWebSocket(ws, { ports, onForward });
      ws.once('close', closeRemote);
    });
    return;
  }
  if (!offeredStreamProtocols(u.req).includes(PORT_FORWARD_PROTOCOL)) {
    closeRemote();
    return rejectUpgrade(u.socket, 403, `unable to upgrade: unable to negotiate protocol: server supports ${PORT_FORWARD_PROTOCOL}\n`);
  }
  acceptSpdyUpgrade(u.socket, u.head, PORT_FORWARD_PROTOCOL);
  const conn = servePortForwardSpdy(u.socket, { onForward });
  void conn.closed.then(closeRemote);
  void remote.closed.then(() => void conn.close());
}
