// Test support: a fake upstream resolver on a loopback port (UDP and TCP on the same port) that
// answers from a fixed table, so forwarding is tested without the machine's real resolvers; and a
// small dns-packet client that queries a server over UDP or TCP.
import { createSocket, type Socket } from 'node:dgram';
import { connect, createServer, type Server } from 'node:net';
import * as dnsPacket from 'dns-packet';

export interface FakeUpstream {
  port: number;
  /** Questions received, as `name/TYPE/udp|tcp`. */
  seen: string[];
  close(): Promise<void>;
}

/** Records by lower-case name: A addresses; names with `big` get 60 A records (for truncation). */
export async function startFakeUpstream(records: Record<string, string[]>): Promise<FakeUpstream> {
  const seen: string[] = [];
  const answer = (msg: Buffer, proto: 'udp' | 'tcp'): Buffer => {
    const q = dnsPacket.decode(msg);
    const question = q.questions?.[0];
    const name = (question?.name ?? '').toLowerCase();
    seen.push(`${name}/${question?.type ?? ''}/${proto}`);
    const ips = name.includes('big') ? Array.from({ length: 60 }, (_, i) => `192.0.2.${i + 1}`) : records[name];
    const answers: dnsPacket.Answer[] = question?.type === 'A' ? (ips ?? []).map((data) => ({ type: 'A', name: question.name, ttl: 30, class: 'IN', data })) : [];
    let out = dnsPacket.encode({
      type: 'response',
      id: q.id ?? 0,
      flags: dnsPacket.RECURSION_AVAILABLE | (ips ? 0 : 3),
      questions: q.questions ?? [],
      answers,
    });
    if (proto === 'udp' && out.length > 512) {
      out = dnsPacket.encode({ type: 'response', id: q.id ?? 0, flags: dnsPacket.RECURSION_AVAILABLE | dnsPacket.TRUNCATED_RESPONSE, questions: q.questions ?? [] });
    }
    return out;
  };
  const udp: Socket = createSocket('udp4');
  udp.on('message', (msg, rinfo) => udp.send(answer(msg, 'udp'), rinfo.port, rinfo.address));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  const port = udp.address().port;
  const tcp: Server = createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('error', () => sock.destroy());
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        const out = answer(msg, 'tcp');
        const len = Buffer.alloc(2);
        len.writeUInt16BE(out.length);
        sock.write(Buffer.concat([len, out]));
      }
    });
  });
  await new Promise<void>((r) => tcp.listen(port, '127.0.0.1', () => r()));
  return {
    port,
    seen,
    close: async () => {
      await new Promise<void>((r) => udp.close(() => r()));
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}

export interface QueryOptions {
  port: number;
  host?: string;
  tcp?: boolean;
  id?: number;
  /** Advertise this EDNS UDP size (adds an OPT record). */
  edns?: number;
  timeoutMs?: number;
}

/** The raw reply to a query message sent to a DNS server. */
export function exchange(msg: Buffer, o: QueryOptions): Promise<Buffer> {
  const host = o.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no DNS reply from ${host}:${o.port} within ${o.timeoutMs ?? 3000} ms`));
    }, o.timeoutMs ?? 3000);
    let cleanup = (): void => clearTimeout(timer);
    if (o.tcp) {
      const sock = connect({ host, port: o.port });
      let buf = Buffer.alloc(0);
      cleanup = () => {
        clearTimeout(timer);
        sock.destroy();
      };
      sock.on('error', (err) => {
        cleanup();
        reject(err);
      });
      sock.on('connect', () => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(msg.length);
        sock.write(Buffer.concat([len, msg]));
      });
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          cleanup();
          resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        }
      });
      return;
    }
    const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    cleanup = () => {
      clearTimeout(timer);
      sock.close();
    };
    sock.on('message', (reply) => {
      cleanup();
      resolve(reply);
    });
    sock.send(msg, o.port, host);
  });
}

/** Sends one question and decodes the reply with dns-packet. */
export async function query(name: string, type: dnsPacket.RecordType, o: QueryOptions): Promise<dnsPacket.DecodedPacket & { rcode: number; raw: Buffer }> {
  const additionals: dnsPacket.Answer[] =
    o.edns !== undefined ? [{ type: 'OPT', name: '.', udpPayloadSize: o.edns, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [];
  const msg = dnsPacket.encode({ type: 'query', id: o.id ?? 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type, class: 'IN' }], additionals });
  const raw = await exchange(msg, o);
  return { ...dnsPacket.decode(raw), rcode: raw.readUInt16BE(2) & 0xf, raw };
}
