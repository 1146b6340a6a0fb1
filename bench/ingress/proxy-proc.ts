// The Tugboat ingress controller in a process of its own for the benchmark, as it runs inside an
// agent: informers on a real API server and the Node data plane on one loopback HTTP port
// (HTTPS off). Its own process so its CPU can be measured and it does not share an event loop
// with the load generator. Prints `ready` when serving; SIGTERM stops it.
// Usage: node --import tsx bench/ingress/proxy-proc.ts SERVER_URL TOKEN CA_FILE LISTEN
import { readFileSync } from 'node:fs';
import { IngressController } from '../../src/agent/ingress/index.js';
import { HttpClient, InformerFactory } from '../../src/client/index.js';

const [server, token, caFile, listen] = process.argv.slice(2) as [string, string, string, string];
const client = new HttpClient({ server, token, caCertPem: readFileSync(caFile, 'utf8') });
const informers = new InformerFactory(client);
const stop = new AbortController();
const controller = new IngressController({
  client,
  informers,
  nodeName: 'bench-node',
  log: (m) => process.stderr.write(`${m}\n`),
  httpListen: listen,
  httpsListen: '',
  writeStatus: false,
});
informers.start(stop.signal);
const running = controller.run(stop.signal);
process.on('SIGTERM', () => stop.abort());
await controller.ready;
process.stdout.write('ready\n');
await running;
client.close();
