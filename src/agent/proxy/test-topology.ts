// A miniature node built from network namespaces, for the proxy's integration test and its
// benchmark (needs root): a "node" namespace with a bridge carrying a pod subnet and the
// bridge-netfilter, forwarding and hairpin settings a real node has, "pod" namespaces attached to
// the bridge by veth pairs, each able to run a small HTTP server, and an "outside" client namespace
// linked to the node on a subnet of its own (the node's address there plays the node IP). All
// interfaces live inside the namespaces, so the host's own links are never touched and
// `destroy()` (deleting the namespaces) removes everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { run, runOk } from '../network/index.js';

export interface PodNs {
  name: string;
  netns: string;
  ip: string;
}

export interface Topology {
  /** Namespace of the node, where the proxy's rules go. */
  node: string;
  /** The node's address as the outside client sees it (what NodePorts and LBs are served on). */
  nodeIp: string;
  /** The node's address on the pod bridge (the pods' gateway, and their masquerade source). */
  gatewayIp: string;
  podCIDR: string;
  pods: PodNs[];
  client: { netns: string; ip: string };
  /** Runs `cmd args` inside a namespace and returns stdout; throws on failure. */
  exec(netns: string, cmd: string, args: string[]): Promise<string>;
  /** Sets a sysctl (`net.ipv4.ip_forward`) inside a namespace. */
  sysctl(netns: string, key: string, value: string): Promise<string>;
  /**
   * Starts the HTTP server in a pod: `GET /` answers `{"name","from"}`, `GET /bytes?n=N` N bytes.
   * `cpus` pins it (a `taskset -c` list), as a benchmark may.
   */
  serve(pod: PodNs, o?: { port?: number; cpus?: string }): Promise<void>;
  destroy(): Promise<void>;
}

/** Pod servers answer who they are and whom they saw, so tests can tell backends and masquerading apart. */
export const SERVER_JS = `
const http = require('node:http');
const name = process.argv[1], port = Number(process.argv[2]);
const chunk = Buffer.alloc(65536, 120);
const srv = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  if (u.pathname === '/bytes') {
    let left = Number(u.searchParams.get('n') || 0);
    res.writeHead(200, { 'content-length': left });
    const pump = () => { while (left > 0) { const n = Math.min(left, chunk.length); left -= n; if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return res.once('drain', pump); } res.end(); };
    return pump();
  }
  const body = JSON.stringify({ name, from: req.socket.remoteAddress });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
srv.keepAliveTimeout = 60000;
srv.listen(port, '0.0.0.0', () => process.stdout.write('listening\\n'));
`;

/** One new connection per request; prints a JSON array of outcomes. */
const PROBE_JS = `
const http = require('node:http');
const [host, port, count, timeout] = process.argv.slice(1).map((v, i) => (i === 0 ? v : Number(v)));
const one = () => new Promise((resolve) => {
  const t0 = Date.now();
  const req = http.get({ host, port, path: '/', agent: false, timeout }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => { try { resolve({ ...JSON.parse(body), ms: Date.now() - t0 }); } catch { resolve({ error: 'bad body', ms: Date.now() - t0 }); } });
  });
  req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
  req.on('error', (e) => resolve({ error: e.code || e.message, ms: Date.now() - t0 }));
});
(async () => { const out = []; for (let i = 0; i < count; i++) out.push(await one()); process.stdout.write(JSON.stringify(out)); })();
`;

export interface ProbeResult {
  /** The backend that answered, or undefined on error. */
  name?: string;
  /** The client address the backend saw. */
  from?: string;
  error?: string;
  ms: number;
}

/** Makes `count` fresh HTTP connections from inside `netns`, one after the other. */
export async function probe(netns: string, o: { host: string; port: number; count?: number; timeoutMs?: number }): Promise<ProbeResult[]> {
  const out = await runOk('ip', ['netns', 'exec', netns, process.execPath, '-e', PROBE_JS, o.host, String(o.port), String(o.count ?? 1), String(o.timeoutMs ?? 3000)]);
  return JSON.parse(out) as ProbeResult[];
}

export async function createTopology(o: { pods: number; prefix?: string }): Promise<Topology> {
  const id = o.prefix ?? `tbpx${randomBytes(3).toString('hex')}`;
  const node = `${id}-node`;
  const clientNs = `${id}-out`;
  const podCIDR = '10.244.1.0/24';
  const gatewayIp = '10.244.1.1';
  const nodeIp = '10.250.0.1';
  const pods: PodNs[] = Array.from({ length: o.pods }, (_, i) => ({ name: `pod${i + 1}`, netns: `${id}-p${i + 1}`, ip: `10.244.1.${11 + i}` }));
  const servers: ChildProcess[] = [];
  const all = [node, clientNs, ...pods.map((p) => p.netns)];
  const ip = (netns: string, ...args: string[]): Promise<string> => runOk('ip', ['netns', 'exec', netns, 'ip', ...args]);
  // Written through /proc rather than sysctl(8), which minimal Debian installs lack.
  const sysctl = (netns: string, key: string, value: string): Promise<string> =>
    runOk('ip', ['netns', 'exec', netns, 'sh', '-c', `echo ${value} > /proc/sys/${key.replaceAll('.', '/')}`]);
  const destroy = async (): Promise<void> => {
    for (const s of servers) if (s.exitCode === null && s.signalCode === null) s.kill('SIGKILL');
    for (const ns of all) await run('ip', ['netns', 'delete', ns]);
  };
  try {
    for (const ns of all) {
      await runOk('ip', ['netns', 'add', ns]);
      await ip(ns, 'link', 'set', 'lo', 'up');
    }
    await ip(node, 'link', 'add', 'br0', 'type', 'bridge');
    await ip(node, 'addr', 'add', `${gatewayIp}/24`, 'dev', 'br0');
    await ip(node, 'link', 'set', 'br0', 'up');
    await sysctl(node, 'net.ipv4.ip_forward', '1');
    await sysctl(node, 'net.bridge.bridge-nf-call-iptables', '1');
    for (const [i, p] of pods.entries()) {
      await ip(node, 'link', 'add', `veth${i + 1}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', p.netns);
      await ip(node, 'link', 'set', `veth${i + 1}`, 'master', 'br0', 'up');
      // As the CNI bridge plugin's hairpinMode: a pod's packets may leave by the port they came in
      // on, which a pod reaching itself through its Service needs.
      await ip(node, 'link', 'set', `veth${i + 1}`, 'type', 'bridge_slave', 'hairpin', 'on');
      await ip(p.netns, 'addr', 'add', `${p.ip}/24`, 'dev', 'eth0');
      await ip(p.netns, 'link', 'set', 'eth0', 'up');
      await ip(p.netns, 'route', 'add', 'default', 'via', gatewayIp);
    }
    await ip(node, 'link', 'add', 'out0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', clientNs);
    await ip(node, 'addr', 'add', `${nodeIp}/24`, 'dev', 'out0');
    await ip(node, 'link', 'set', 'out0', 'up');
    await ip(clientNs, 'addr', 'add', '10.250.0.2/24', 'dev', 'eth0');
    await ip(clientNs, 'link', 'set', 'eth0', 'up');
    await ip(clientNs, 'route', 'add', 'default', 'via', nodeIp);
    // A default route (here: towards the outside network), as every real node has: traffic to a
    // cluster IP with no endpoints must be routable to reach the forward hook, where it is rejected.
    await ip(node, 'route', 'add', 'default', 'via', '10.250.0.2');
  } catch (err) {
    await destroy();
    throw err;
  }
  return {
    node,
    nodeIp,
    gatewayIp,
    podCIDR,
    pods,
    client: { netns: clientNs, ip: '10.250.0.2' },
    exec: (netns, cmd, args) => runOk('ip', ['netns', 'exec', netns, cmd, ...args]),
    sysctl,
    async serve(pod, so = {}) {
      const cmd = ['ip', 'netns', 'exec', pod.netns, process.execPath, '-e', SERVER_JS, pod.name, String(so.port ?? 8080)];
      const [bin = '', ...args] = so.cpus ? ['taskset', '-c', so.cpus, ...cmd] : cmd;
      const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      servers.push(child);
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`server in ${pod.netns} exited with ${code}`)));
        child.stdout?.once('data', () => resolve());
      });
    },
    destroy,
  };
}
