// The sockets the cluster DNS serves on: for each listen address one UDP socket and one TCP
// server on the same port (DNS over TCP frames each message with a two-byte length; several
// queries may share a connection and their replies may come back in any order). Port 0 picks a
// free port for UDP and then claims the same one for TCP, retrying if another process took it.
import { createSocket, type Socket } from 'node:dgram';
import type { LookupOneOptions } from 'node:dns';
import { createServer, isIPv6, type Server, type Socket as TcpSocket } from 'node:net';
import type { Reply } from './responder.js';
import type { Upstream } from './forwarder.js';

export type ListenAddress = Upstream;
export type Handler = (raw: Buffer, t: { tcp: boolean }) => Reply;

const TCP_IDLE_MS = 10_000;
const RECV_BUFFER = 4 << 20;

export const formatHostPort = (a: ListenAddress): string => (isIPv6(a.host) ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`);

/**
 * Replies go to the literal address a query came from; answering dgram's per-send lookup at once
 * skips the dns.lookup call and the extra tick it costs on every packet.
 */
const literalLookup =
  (family: 4 | 6) =>
  (address: string, _o: LookupOneOptions, cb: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void =>
    cb(null, address, family);

function bindUdp(a: ListenAddress): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const v6 = isIPv6(a.host);
    const s = createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: v6, lookup: literalLookup(v6 ? 6 : 4) });
    s.once('error', reject);
    s.bind({ address: a.host, port: a.port, exclusive: true }, () => {
      s.off('error', reject);
      try {
        s.setRecvBufferSize(RECV_BUFFER);
      } catch {
        // The kernel caps it at net.core.rmem_max; the default still works, just drops sooner.
      }
      resolve(s);
    });
  });
}

function listenTcp(server: Server, a: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: a.host, port: a.port, ipv6Only: isIPv6(a.host) }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

const closeUdp = (s: Socket): Promise<void> => new Promise((r) => s.close(() => r()));

export class DnsListeners {
  private readonly udp: Socket[] = [];
  private readonly tcp: Server[] = [];
  private readonly conns = new Set<TcpSocket>();
  readonly bound: ListenAddress[] = [];

  constructor(private readonly o: { handler: Handler; log(msg: string): void }) {}

  async listen(addrs: ListenAddress[]): Promise<void> {
    for (const a of addrs) await this.listenOne(a);
  }

  private async listenOne(a: ListenAddress): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const udp = await bindUdp(a);
      const port = udp.address().port;
      const server = createServer((sock) => this.serveTcp(sock));
      try {
        await listenTcp(server, { host: a.host, port });
      } catch (err) {
        await closeUdp(udp);
        if (a.port === 0 && attempt < 5 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
        throw err;
      }
      udp.on('message', (msg, rinfo) => this.serveUdp(udp, msg, rinfo));
      udp.on('error', (err) => this.o.log(`dns: udp ${formatHostPort(a)}: ${err.message}`));
      server.on('error', (err) => this.o.log(`dns: tcp ${formatHostPort(a)}: ${err.message}`));
      this.udp.push(udp);
      this.tcp.push(server);
      this.bound.push({ host: a.host, port });
      return;
    }
  }

  private serveUdp(sock: Socket, msg: Buffer, rinfo: { address: string; port: number }): void {
    let r: Reply;
    try {
      r = this.o.handler(msg, { tcp: false });
    } catch (err) {
      this.o.log(`dns: query failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    // The common case — a reply at hand — sends at once, without a closure per packet.
    if (r instanceof Promise) {
      r.then(
        (out) => (out ? sock.send(out, rinfo.port, rinfo.address) : undefined),
        (err: unknown) => this.o.log(`dns: query failed: ${String(err)}`),
      );
    } else if (r) sock.send(r, rinfo.port, rinfo.address);
  }

  private serveTcp(sock: TcpSocket): void {
    this.conns.add(sock);
    sock.setNoDelay(true);
    sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
    sock.on('close', () => this.conns.delete(sock));
    sock.on('error', () => sock.destroy());
    let buf: Buffer = Buffer.alloc(0);
    const send = (out: Buffer | undefined): void => {
      if (!out || sock.destroyed) return;
      const len = Buffer.allocUnsafe(2);
      len.writeUInt16BE(out.length);
      sock.write(Buffer.concat([len, out]));
    };
    sock.on('data', (d: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        try {
          const r = this.o.handler(msg, { tcp: true });
          if (r instanceof Promise) r.then(send, () => sock.destroy());
          else send(r);
        } catch {
          sock.destroy();
          return;
        }
      }
    });
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.destroy();
    await Promise.all([
      ...this.udp.map(closeUdp),
      ...this.tcp.map((s) => new Promise<void>((r) => s.close(() => r()))),
    ]);
    this.udp.length = 0;
    this.tcp.length = 0;
  }
}
