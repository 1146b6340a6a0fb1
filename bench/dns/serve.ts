// Runs the cluster DNS server on its own, as a separate process, for the benchmark (so the load
// generator does not share its event loop) and for trying it by hand:
//   node --import tsx bench/dns/serve.ts --server URL --token TOKEN --ca-file CA --listen 127.0.0.1:5353
// Prints `ready <address>` on stdout once the informers have listed; stops on SIGTERM/SIGINT.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HttpClient, InformerFactory } from '../../src/client/index.js';
import { ClusterDns } from '../../src/agent/dns/index.js';

const { values } = parseArgs({
  options: {
    server: { type: 'string' },
    token: { type: 'string' },
    'ca-file': { type: 'string' },
    listen: { type: 'string', default: '127.0.0.1:5353' },
    upstream: { type: 'string', multiple: true },
    'cluster-domain': { type: 'string', default: 'cluster.local' },
  },
});
if (!values.server || !values.token || !values['ca-file']) {
  process.stderr.write('usage: serve.ts --server URL --token TOKEN --ca-file FILE [--listen HOST:PORT] [--upstream IP[:PORT]]...\n');
  process.exit(2);
}

const client = new HttpClient({ server: values.server, token: values.token, caCertPem: readFileSync(values['ca-file'], 'utf8') });
const informers = new InformerFactory(client);
const dns = new ClusterDns({
  client,
  informers,
  nodeName: 'bench',
  log: (m) => process.stderr.write(`${m}\n`),
  listenAddresses: [values.listen],
  clusterDomain: values['cluster-domain'],
  ...(values.upstream ? { upstreams: values.upstream } : {}),
});
const ac = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => ac.abort());
informers.start(ac.signal);
const running = dns.run(ac.signal);
dns.ready.then(
  () => process.stdout.write(`ready ${dns.addresses().join(',')}\n`),
  () => undefined,
);
running.then(
  () => client.close(),
  (err: unknown) => {
    process.stderr.write(`dns: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    client.close();
  },
);
