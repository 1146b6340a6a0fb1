import { startHollowCluster } from '../../test/support/hollow-cluster.js';
import { HttpsClient } from '../api/http-client.js';
import { floor, schedule } from './workload.js';
const c = await startHollowCluster({ agents: [{ nodes: 20, prefix: 'h', extraArgs: ['--no-events'], capacity: { cpu: '8', memory: '32Gi', pods: '110' } }] });
const api = new HttpsClient(c.server, { maxSockets: 64 });
const pids = { server: c.server.pid, agent: c.agents[0]!.pid };
try {
  if (process.argv[2] === 'floor') console.log(await floor(api, { namespace: 'f', count: 300, concurrency: 64, nodes: c.agents[0]!.nodeNames, pids }));
  const r = await schedule(api, { namespace: 's', count: 300, concurrency: 64, pids, timeoutMs: 60000 });
  console.log(JSON.stringify(r));
  console.log(c.server.logs().split('\n').filter((l) => /sched/i.test(l)).slice(-20).join('\n'));
} finally { api.close(); await c.cleanup(); }
