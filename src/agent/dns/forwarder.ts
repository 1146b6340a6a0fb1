// Sends queries for names outside the cluster to the host's resolvers and relays their replies
// unchanged but for the message ID. UDP queries share one socket per address family, each in
// flight under an ID of its own so replies can be matched (and spoofed ones from other addresses
// ignored); an upstream that does not answer in time is skipped for the next one. TCP queries go
// over TCP, so a client that retried after a truncated UDP reply gets the whole answer.
import { createSocket, type Socket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import * as dnsPacket from 'dns-packet';

export interface Upstream {
  host: string;
  port: number;
}

export interface ForwarderOptions {
  upstreams: Upstream[];
  /** How long to wait for one upstream before trying the next; default 2 s. */
  timeoutMs?: number;
}

export interface UpstreamAnswer {
  rcode: number;
  answers: dnsPacket.Answer[];
  authorities: dnsPacket.Answer[];
}

interface Pending {
  upstream: Upstream;
  resolve(reply: Buffer | undefined): void;
  timer: NodeJS.Timeout;
}

const MAX_IN_FLIGHT = 60_000;

/** Parses `1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]:5353` (port 53 unless given). */
export function parseHostPort(s: string, defaultPort = 53): Upstream {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) return { host: bracket[1] ?? '', port: bracket[2] ? Number(bracket[2]) : defaultPort };
  if (isIPv6(s)) return { host: s, port: defaultPort };
  const i = s.lastIndexOf(':');
  if (i > 0) return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
  return { host: s, port: defaultPort };
}

export class Forwarder {
  private readonly sockets = new Map<4 | 6, Socket>();
  private readonly pending = new Map<number, Pending>();
  private nextId = Math.floor(Math.random() * 0x10000);
  private closed = false;

  constructor(private readonly o: ForwarderOptions) {}

  get upstreams(): Upstream[] {
    return this.o.upstreams;
  }

  private socket(family: 4 | 6): Socket {
    let s = this.sockets.get(family);
    if (s) return s;
    s = createSocket(family === 6 ? 'udp6' : 'udp4');
    s.on('message', (msg, rinfo) => this.onReply(msg, rinfo));
    // A send to an unreachable upstream surfaces here; its query simply times out.
    s.on('error', () => undefined);
    s.unref();
    this.sockets.set(family, s);
    return s;
  }

  private onReply(msg: Buffer, rinfo: { address: string; port: number }): void {
    if (msg.length < 12) return;
    const id = msg.readUInt16BE(0);
    const p = this.pending.get(id);
    if (!p || p.upstream.port !== rinfo.port || p.upstream.host !== rinfo.address) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(msg);
  }

  private allocateId(): number | undefined {
    if (this.pending.size >= MAX_IN_FLIGHT) return undefined;
    do this.nextId = (this.nextId + 1) & 0xffff;
    while (this.pending.has(this.nextId));
    return this.nextId;
  }

  private udpOnce(query: Buffer, upstream: Upstream): Promise<Buffer | undefined> {
    const id = this.allocateId();
    if (id === undefined || this.closed) return Promise.resolve(undefined);
    const out = Buffer.from(query);
    out.writeUInt16BE(id, 0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, this.o.timeoutMs ?? 2000);
      this.pending.set(id, { upstream, resolve, timer });
      this.socket(isIPv6(upstream.host) ? 6 : 4).send(out, upstream.port, upstream.host);
    });
  }

  private tcpOnce(query: Buffer, upstream: Upstream): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const sock = connect({ host: upstream.host, port: upstream.port });
      let buf = Buffer.alloc(0);
      const done = (reply: Buffer | undefined): void => {
        clearTimeout(timer);
        sock.destroy();
        resolve(reply);
      };
      const timer = setTimeout(() => done(undefined), this.o.timeoutMs ?? 2000);
      sock.on('error', () => done(undefined));
      sock.on('connect', () => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(query.length);
        sock.write(Buffer.concat([len, query]));
      });
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      });
      sock.on('end', () => done(undefined));
    });
  }

  /** Relays a query to the upstreams in turn; the reply carries the query's own ID, or undefined if none answered. */
  async forward(query: Buffer, o: { tcp: boolean }): Promise<Buffer | undefined> {
    for (const upstream of this.o.upstreams) {
      const reply = o.tcp ? await this.tcpOnce(query, upstream) : await this.udpOnce(query, upstream);
      if (!reply) continue;
      const out = Buffer.from(reply);
      out.writeUInt16BE(query.readUInt16BE(0), 0);
      return out;
    }
    return undefined;
  }

  /** Resolves one name upstream (UDP, then TCP when truncated), for chasing a CNAME out of the zone. */
  async lookup(name: string, type: dnsPacket.RecordType): Promise<UpstreamAnswer | undefined> {
    const query = dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
    let reply = await this.forward(query, { tcp: false });
    if (reply && reply.length >= 4 && reply.readUInt16BE(2) & dnsPacket.TRUNCATED_RESPONSE) reply = await this.forward(query, { tcp: true });
    if (!reply) return undefined;
    try {
      const p = dnsPacket.decode(reply);
      return { rcode: reply.readUInt16BE(2) & 0xf, answers: p.answers ?? [], authorities: p.authorities ?? [] };
    } catch {
      return undefined;
    }
  }

  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.resolve(undefined);
    }
    this.pending.clear();
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
  }
}
