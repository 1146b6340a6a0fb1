// The benchmark's backend "pods": one child process listening on several loopback addresses on
// one port, answering every GET with the same small response. It speaks just enough HTTP/1.1
// (keep-alive, requests without bodies) to be far cheaper than any proxy in front of it, so the
// proxies, not the backend, are what the numbers compare. Prints `ready` once listening.
// Usage: node --import tsx bench/ingress/backend.ts PORT IP [IP...]
import { createServer } from 'node:net';

const BODY = 'hello from the ingress benchmark backend\n';
const RESPONSE = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\nKeep-Alive: timeout=120\r\n\r\n${BODY}`);
const END = Buffer.from('\r\n\r\n');

const [portArg, ...ips] = process.argv.slice(2);
const port = Number(portArg);

function serve(ip: string): Promise<void> {
  const server = createServer((sock) => {
    sock.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let from = 0;
      let count = 0;
      for (;;) {
        const i = pending.indexOf(END, from);
        if (i < 0) break;
        count++;
        from = i + END.length;
      }
      pending = pending.subarray(from);
      if (count === 1) sock.write(RESPONSE);
      else if (count > 1) sock.write(Buffer.concat(Array.from({ length: count }, () => RESPONSE)));
    });
    sock.on('error', () => sock.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => resolve());
  });
}

await Promise.all(ips.map(serve));
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
