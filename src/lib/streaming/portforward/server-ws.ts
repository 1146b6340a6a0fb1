// Serving port-forward over a WebSocket with channel framing (v4.channel.k8s.io, what
// @kubernetes/client-node and other older clients use): the ports come from the `ports` query;
// port i owns channel 2i for data and 2i+1 for errors, and the first message on each of them is
// the port number as two little-endian bytes. One WebSocket is one connection per port; it
// closes when every forward is done.
import { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { decodeChannelMessage, encodeChannelMessage, framing, type ChannelFraming } from '../channels.js';
import type { ForwardHandler } from './request.js';

export const WS_PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io', 'v4.base64.channel.k8s.io', 'portforward.k8s.io'];

class ChannelStream extends Duplex {
  constructor(private readonly sendData: (data: Buffer) => Promise<void>) {
    super({ allowHalfOpen: true });
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.sendData(chunk).then(() => cb(), () => cb());
  }
}

export function servePortForwardWebSocket(ws: WebSocket, o: { ports: number[]; onForward: ForwardHandler }): void {
  const f: ChannelFraming = framing(ws.protocol === 'portforward.k8s.io' || !ws.protocol ? 'channel.k8s.io' : ws.protocol);
  const send = (channel: number, data: Buffer): Promise<void> =>
    new Promise((resolve) => {
      if (ws.readyState !== ws.OPEN) return resolve();
      ws.send(encodeChannelMessage(f, channel, data), () => resolve());
    });
  const streams: ChannelStream[] = [];
  let open = o.ports.length;
  const finishOne = (): void => {
    open -= 1;
    if (open === 0 && ws.readyState === ws.OPEN) ws.close(1000);
  };
  o.ports.forEach((port, i) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    void send(2 * i, portBytes);
    void send(2 * i + 1, portBytes);
    const data = new ChannelStream((d) => send(2 * i, d));
    streams.push(data);
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      data.push(null);
      finishOne();
    };
    o.onForward({
      port,
      data,
      fail: (message) => {
        void send(2 * i + 1, Buffer.from(message)).then(finish);
      },
      done: finish,
    });
  });
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const m = decodeChannelMessage(f, raw, isBinary);
    if (!m || m.channel % 2 !== 0) return;
    streams[m.channel / 2]?.push(m.data);
  });
  ws.on('close', () => {
    for (const s of streams) if (!s.readableEnded) s.push(null);
  });
}
