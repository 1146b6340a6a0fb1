import * as dnsPacket from 'dns-packet';
import { ClusterZone } from '../src/agent/dns/zone.js';
import { ZoneResolver } from '../src/agent/dns/lookup.js';
import { Forwarder } from '../src/agent/dns/forwarder.js';
import { Responder } from '../src/agent/dns/responder.js';
const zone = new ClusterZone({ domain: 'cluster.local' });
for (let i = 0; i < 200; i++) zone.upsertService({ metadata: { namespace: 'bench', name: `svc-${i}` }, spec: { clusterIP: `10.43.0.${i}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
const r = new Responder({ zone, resolver: new ZoneResolver(zone, { ttl: 5 }), forwarder: new Forwarder({ upstreams: [] }), ready: () => true });
const qs = Array.from({ length: 200 }, (_, i) => dnsPacket.encode({ type: 'query', id: i, flags: 256, questions: [{ name: `svc-${i}.bench.svc.cluster.local`, type: 'A', class: 'IN' }] }));
for (const warm of [1, 2]) {
  const t0 = process.hrtime.bigint();
  const N = 500000;
  for (let i = 0; i < N; i++) r.handle(qs[i % 200]!, { tcp: false });
  console.log('handle ns/op', Number(process.hrtime.bigint() - t0) / N);
}
