import { createSocket } from 'node:dgram';
const custom = process.argv[3] === 'lookup';
const s = createSocket(custom ? { type: 'udp4', lookup: (a: string, _o: unknown, cb: (e: null, a: string, f: number) => void) => cb(null, a, 4) } as never : 'udp4');
s.on('message', (m, r) => { m.writeUInt16BE(m.readUInt16BE(2) | 0x8000, 2); s.send(m, r.port, r.address); });
s.bind(Number(process.argv[2]), '127.0.0.1', () => console.log('ready'));
