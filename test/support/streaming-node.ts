// Test support for the streaming verbs: a real `tug server` process plus, in this process, one
// node agent (127.0.0.1 as its address; the fake runtime unless the test brings another, e.g. a
// containerd of its own) and the agent's HTTPS endpoint on a free port. Until
// the kubelet publishes that port itself, the harness writes it into the Node's
// status.daemonEndpoints and keeps the kubelet from overwriting it (long status period).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeKind, podKind, type Node, type Pod } from '../../src/api/core/v1/index.js';
import { HttpClient } from '../../src/client/index.js';
import { Agent, parseNodeToken } from '../../src/agent/index.js';
import { FakeRuntime, type Runtime } from '../../src/agent/cri/index.js';
import { KubeletServer } from '../../src/agent/server/index.js';
import { startTugServer, type TugServer } from './tug-server.js';

export interface StreamingNode {
  srv: TugServer;
  client: HttpClient;
  nodeName: string;
  runtime: Runtime;
  kubeletPort: number;
  logs: string[];
  stop(): Promise<void>;
}

export async function startStreamingNode(o: { nodeName?: string; runtime?: Runtime } = {}): Promise<StreamingNode> {
  const nodeName = o.nodeName ?? 'stream-node';
  const srv = await startTugServer({ extraArgs: ['--controllers=', '--disable-scheduler'] });
  const token = parseNodeToken(await readFile(join(srv.dataDir, 'node-token'), 'utf8'));
  const client = new HttpClient({ server: srv.url, caCertPem: srv.caCertPem, token: srv.token });
  const logs: string[] = [];
  let runtime: Runtime | undefined = o.runtime;
  const agent = new Agent({
    server: srv.url,
    token: token.secret,
    caCertPem: srv.caCertPem,
    runtime: o.runtime ? 'containerd' : 'fake',
    nodeName,
    nodeIP: '127.0.0.1',
    events: false,
    makeRuntime: (ro) => (runtime = o.runtime ?? new FakeRuntime({ ...ro, writeLogs: true })),
    timing: { nodeStatusUpdateMs: 3_600_000, nodeStatusReportMs: 3_600_000, crashLoopBackoff: { initialMs: 300, maxMs: 1_000 } },
    log: (m) => logs.push(m),
  });
  const ac = new AbortController();
  const server = new KubeletServer({
    port: 0,
    host: '127.0.0.1',
    clientCaPem: srv.caCertPem,
    getPod: (ns, name) => client.get<Pod>(podKind, ns, name).catch(() => undefined),
    runtimeFor: (n) => (n === nodeName ? runtime : undefined),
    log: (m) => logs.push(m),
  });
  const serving = server.start(ac.signal);
  const running = agent.start(ac.signal);
  const { port } = await server.ready;
  await agent.ready;
  await client.patch<Node>(nodeKind, undefined, nodeName, { type: 'merge', body: { status: { daemonEndpoints: { kubeletEndpoint: { Port: port } } } } }, { subresource: 'status' });
  if (!runtime) throw new Error('the agent built no runtime');
  const rt = runtime;
  return {
    srv,
    client,
    nodeName,
    runtime: rt,
    kubeletPort: port,
    logs,
    stop: async () => {
      ac.abort();
      await Promise.allSettled([serving, running]);
      client.close();
      await srv.cleanup();
    },
  };
}
