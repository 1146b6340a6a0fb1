import { createSocket } from 'node:dgram';
const s = createSocket({ type: 'udp4', lookup: (a: string, _o: unknown, cb: (e: null, a: string, f: number) => void) => cb(null, a, 4) } as never);
const big = Buffer.alloc(80, 1);
s.on('message', (m, r) => { const out = Buffer.allocUnsafe(big.length); big.copy(out); out.writeUInt16BE(m.readUInt16BE(0), 0); out.writeUInt16BE(0x8180, 2); s.send(out, r.port, r.address); });
s.bind(Number(process.argv[2]), '127.0.0.1', () => console.log('ready'));
