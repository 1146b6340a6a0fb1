// The Tugboat ingress controller in a process of its own for the benchmark, as it runs inside an
// agent: informers on a real API server and the chosen data plane (nginx, the default, as the
// controller's child process; or Node's own http in this process) on one loopback HTTP port
// (HTTPS off). Its own process so the controller's CPU can be measured with its nginx and it does
// not share an event loop with the load generator. Prints `ready` when serving; SIGTERM stops it
// (and its nginx).
// Usage: node --import tsx bench/ingress/proxy-proc.ts SERVER_URL TOKEN CA_FILE LISTEN PLANE STATE_DIR
import { readFileSync } from 'node:fs';
import { IngressController, type DataPlaneName } from '../../src/agent/ingress/index.js';
import { HttpClient, InformerFactory } from '../../src/client/index.js';

const [server, token, caFile, listen, plane, stateDir] = process.argv.slice(2) as [string, string, string, string, DataPlaneName, string];
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
  dataPlane: plane,
  stateDir,
});
informers.start(stop.signal);
const running = controller.run(stop.signal);
process.on('SIGTERM', () => stop.abort());
await controller.ready;
process.stdout.write('ready\n');
await running;
client.close();
