import { DnsListeners } from '../src/agent/dns/listeners.js';
const big = Buffer.alloc(63, 1);
const l = new DnsListeners({ handler: (raw) => { const out = Buffer.allocUnsafe(big.length); big.copy(out); out.writeUInt16BE(raw.readUInt16BE(0), 0); out.writeUInt16BE(0x8180, 2); return out; }, log: console.error });
await l.listen([{ host: '127.0.0.1', port: Number(process.argv[2]) }]);
console.log('ready');
