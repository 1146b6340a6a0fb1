// Service networking across the nodes of one `tug up --nodes 3` cluster, as kubectl 1.32 and the
// host see it (root only), with the node services users get (Service proxy, node-local DNS,
// ingress on each node's own address :80):
// the seed's example — a Deployment behind a ClusterIP Service, a ConfigMap in its env, an
// Ingress for mywebapp.example.com — answers through the Ingress on every node address, with the
// ConfigMap's values in the page; a pod on each node reaches a Service whose only endpoint is on
// another node; `nslookup` from a pod answers a Service's A record, a headless Service's pod IPs,
// a StatefulSet pod's hostname.subdomain name and SRV records for a named port; NodePort and
// LoadBalancer answer on every node address (the LB status lists the node IPs); scaling the
// Deployment 1 → 3 → 1 changes who answers through the ClusterIP and the Ingress; killing one
// node (by PID: every process naming its data dir — agent, containerd, shims — and all their
// descendants, the ingress data plane's and the containers included) turns its Ready Unknown
// with the unreachable taint, its pods are evicted after their 5 s tolerations and replaced on the other nodes, and traffic
// through the Service and the surviving nodes' Ingress keeps working; `tug down` leaves nothing of
// the cluster in `ip netns`, `ip -o link`, `ip route`, `nft list tables` or libcni's cache.
// Traffic goes only to addresses on the node bridge and inside the namespaces the cluster made.
// TUG_E2E_OUTPUT=FILE keeps `tug up`'s output (all nodes) for diagnosis.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { killRuncContainers, processesMentioning, waitForExit } from '../../src/cmd/host-leftovers.js';
import { runcRootOf } from '../../src/cmd/real-node.js';
import { eventually } from '../support/eventually.js';
import { clusterTraces, hostState, leftovers } from '../support/host-state.js';
import { startTugUp, type TugUp } from '../support/tug-up.js';
import { apply, createNamespace, httpOk, IMAGE, isRoot, podsWithLabel, type HttpReply, type PodJson } from './lib.js';

const NS = 'net-e2e';
const HOST = 'mywebapp.example.com';
const LB_PORT = 8088;
const DOMAIN = `${NS}.svc.cluster.local`;
const TOLERATE_5S = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'].map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }));

// The seed's ConfigMap, Service and Ingress as written there; its Pod becomes a Deployment of the
// test image whose page shows the pod's name and the two values it got from the ConfigMap.
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'webapp-config' }, data: { WEBAPP_ENV: 'production', DATABASE_URL: 'mongodb://database-service:27017/mydb' } };
const PAGE = 'mkdir -p /www && echo "pod=$(hostname) env=$WEBAPP_ENV db=$DATABASE_URL" > /www/index.html && exec httpd -f -p 80 -h /www';
const PAGE_RE = /^pod=(webapp-\S+) env=production db=mongodb:\/\/database-service:27017\/mydb$/;
const webapp = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'webapp' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'my-webapp' } },
    template: {
      metadata: { labels: { app: 'my-webapp' } },
      spec: {
        terminationGracePeriodSeconds: 2,
        tolerations: TOLERATE_5S,
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'my-webapp' } } }],
        containers: [
          {
            name: 'webapp',
            image: IMAGE,
            command: ['sh', '-c', PAGE],
            ports: [{ name: 'http', containerPort: 80 }],
            envFrom: [{ configMapRef: { name: 'webapp-config' } }],
            readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 },
          },
        ],
      },
    },
  },
};
const service = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });
const webappPorts = [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 80 }];
const ingress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'webapp-ingress' },
  spec: { rules: [{ host: HOST, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'webapp-service', port: { number: 80 } } } }] } }] },
};

/** A pod pinned to a node: an httpd naming itself on :8080, or a client that only sleeps. */
function pinned(name: string, nodeName: string, o: { serve: boolean; labels?: Record<string, string> }): Record<string, unknown> {
  const script = o.serve ? 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www' : 'exec sleep 3600';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(o.labels ? { labels: o.labels } : {}) },
    spec: { nodeName, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: IMAGE, command: ['sh', '-c', script], ...(o.serve ? { ports: [{ containerPort: 8080 }] } : {}) }] },
  };
}

// A StatefulSet behind the headless Service that governs it (named port for SRV).
const headless = service('nginx', { clusterIP: 'None', selector: { app: 'nginx' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] });
const statefulSet = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web' },
  spec: {
    serviceName: 'nginx',
    replicas: 2,
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'web', image: IMAGE, command: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www'], ports: [{ name: 'http', containerPort: 80 }] }],
      },
    },
  },
};

interface SvcJson {
  spec: { clusterIP: string; ports: { port: number; nodePort?: number }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
}
interface NodeJson {
  status?: { conditions?: { type: string; status: string }[] };
  spec?: { taints?: { key: string; effect: string }[] };
}

/** GET with a Host header, straight to an address on the node bridge. */
function hostGet(ip: string, port: number, host: string, timeoutMs = 3000): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: ip, port, path: '/', headers: { host }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout fetching http://${ip}:${port}/ for ${host}`)));
    req.on('error', reject);
    req.end();
  });
}

const live = (p: PodJson): boolean => !p.metadata.deletionTimestamp;
const ready = (p: PodJson): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const podOf = (body: string): string => PAGE_RE.exec(body.trim())?.[1] ?? `unexpected page: ${body.trim()}`;

/** The PIDs and all their descendants (read from /proc before anything is killed). */
async function withDescendants(pids: number[]): Promise<number[]> {
  const parent = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …; comm may contain spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isInteger(ppid)) parent.set(pid, ppid);
  }
  const all = new Set(pids);
  let size = 0;
  while (all.size !== size) {
    size = all.size;
    for (const [pid, ppid] of parent) if (all.has(ppid)) all.add(pid);
  }
  return [...all];
}

/** The addresses busybox nslookup printed for the name (not the server's own `ip:53`). */
function nslookupAddresses(out: string): string[] {
  const answers = out.split(/\n\s*\n/).filter((block) => /^Name:/m.test(block));
  return answers.flatMap((b) => [...b.matchAll(/^Address:\s*(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1] ?? '')).sort();
}

describe('Service networking on tug up --nodes 3', { skip: !isRoot && 'needs root' }, () => {
  let cluster: TugUp | undefined;
  let destroyed = false;
  const c = (): TugUp => {
    if (!cluster) throw new Error('cluster not started');
    return cluster;
  };
  const svc = async (name: string): Promise<SvcJson> => JSON.parse(await c().kubectlOk(['get', 'svc', name, '-n', NS, '-o', 'json'])) as SvcJson;
  // busybox's `wget -T` crashes in the test image: time limits come from `timeout`.
  const exec = (pod: string, script: string) => c().kubectl(['exec', '-n', NS, pod, '--', 'sh', '-c', script], { timeoutMs: 60_000 });
  /** `count` GETs of the URL from inside the pod; one line per answer, FAILED for a failure. */
  const fetchFrom = async (pod: string, url: string, count: number): Promise<string[]> => {
    const r = await exec(pod, `for i in $(seq 1 ${count}); do timeout 3 wget -qO- ${url} || echo FAILED; done`);
    if (r.code !== 0) throw new Error(`kubectl exec ${pod}: ${r.code} ${r.stderr}`);
    return r.stdout.trim().split('\n').map((l) => l.trim());
  };
  const webappPods = async (): Promise<PodJson[]> => (await podsWithLabel(c(), NS, 'app=my-webapp')).filter(live);
  /** Waits for exactly `n` live (not terminating), Ready webapp pods, none on `avoid`. */
  const settle = async (n: number, o: { avoid?: string; timeoutMs?: number } = {}): Promise<PodJson[]> => {
    let last = '';
    return eventually(
      async () => {
        const pods = await webappPods();
        last = pods.map((p) => `${p.metadata.name}@${p.spec.nodeName ?? '-'}:${ready(p) ? 'ready' : 'not ready'}`).join(', ');
        const ok = pods.length === n && pods.every((p) => ready(p) && p.spec.nodeName !== o.avoid);
        return ok ? pods : undefined;
      },
      { timeoutMs: o.timeoutMs ?? 180_000, intervalMs: 1000, what: `${n} ready webapp pods${o.avoid ? ` off ${o.avoid}` : ''}` },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)} (last: ${last})`, { cause: err });
    });
  };
  /**
   * Polls the source of answers until every pod in `want` has answered. A batch holding any other
   * answer (a failure, a pod on its way out) counts for nothing and is asked again.
   */
  const seeAll = async (what: string, want: string[], ask: () => Promise<string[]>): Promise<void> => {
    const seen = new Set<string>();
    let stray = '';
    await eventually(
      async () => {
        const batch = await ask();
        const other = batch.find((p) => !want.includes(p));
        if (other !== undefined) stray = other;
        else for (const p of batch) seen.add(p);
        return want.every((p) => seen.has(p));
      },
      { timeoutMs: 60_000, intervalMs: 200, what: `${what}: answers from ${want.join(', ')}` },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)} (seen ${[...seen].join(', ') || 'none'}; last stray answer: ${stray || 'none'})`, { cause: err });
    });
  };
  /** Polls until a whole batch of answers comes only from `only`, without a failure. */
  const onlyFrom = async (what: string, only: string[], ask: () => Promise<string[]>): Promise<void> => {
    let last: string[] = [];
    await eventually(
      async () => {
        last = await ask();
        return last.length > 0 && last.every((p) => only.includes(p));
      },
      { timeoutMs: 90_000, intervalMs: 500, what: `${what}: only ${only.join(', ')} answering` },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)} (last batch: ${last.join(', ')})`, { cause: err });
    });
  };
  const viaClusterIP = (client: string, n = 12) => async (): Promise<string[]> => (await fetchFrom(client, `http://${(await svc('webapp-service')).spec.clusterIP}/`, n)).map(podOf);
  const viaIngress = (ip: string, n = 12) => async (): Promise<string[]> => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await hostGet(ip, 80, HOST).catch((e: unknown) => ({ status: 0, body: String(e) }));
      out.push(r.status === 200 ? podOf(r.body) : `HTTP ${r.status}: ${r.body.slice(0, 200)}`);
    }
    return out;
  };

  let before0: Awaited<ReturnType<typeof hostState>>;
  before(async () => {
    before0 = await hostState();
    cluster = await startTugUp({ nodes: 3, services: 'default', readyTimeoutMs: 300_000 });
    const [n1 = '', n2 = '', n3 = ''] = c().nodes;
    await createNamespace(c(), NS);
    await apply(
      c(),
      NS,
      configMap,
      webapp,
      service('webapp-service', { selector: { app: 'my-webapp' }, ports: webappPorts }),
      ingress,
      service('webapp-np', { type: 'NodePort', selector: { app: 'my-webapp' }, ports: webappPorts }),
      service('webapp-lb', { type: 'LoadBalancer', selector: { app: 'my-webapp' }, ports: [{ name: 'http', port: LB_PORT, targetPort: 80 }] }),
      headless,
      statefulSet,
      ...[n1, n2, n3].flatMap((node, i) => [
        pinned(`srv-${i + 1}`, node, { serve: true, labels: { app: 'srv', at: String(i + 1) } }),
        service(`srv-${i + 1}`, { selector: { app: 'srv', at: String(i + 1) }, ports: [{ port: 80, targetPort: 8080 }] }),
        pinned(`cli-${i + 1}`, node, { serve: false }),
      ]),
    );
    const pods = ['srv-1', 'srv-2', 'srv-3', 'cli-1', 'cli-2', 'cli-3'].map((p) => `pod/${p}`);
    await c().kubectlOk(['wait', '-n', NS, '--for=condition=Ready', ...pods, '--timeout=240s'], { timeoutMs: 250_000 });
    await c().kubectlOk(['rollout', 'status', '-n', NS, 'deployment/webapp', '--timeout=240s'], { timeoutMs: 250_000 });
    await c().kubectlOk(['rollout', 'status', '-n', NS, 'statefulset/web', '--timeout=240s'], { timeoutMs: 250_000 });
  });
  after(async () => {
    if (process.env.TUG_E2E_OUTPUT && cluster) await writeFile(process.env.TUG_E2E_OUTPUT, cluster.output());
    if (!destroyed) await cluster?.destroy();
  });

  it("answers the seed's Ingress for mywebapp.example.com on every node address, with the ConfigMap in the env", async () => {
    const [pod] = await webappPods();
    for (const ip of c().nodeIPs) {
      const r = await eventually(
        async () => {
          const x = await hostGet(ip, 80, HOST);
          return x.status === 200 ? x : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500, what: `200 from the ingress on ${ip} for ${HOST}` },
      );
      assert.equal(podOf(r.body), pod?.metadata.name, `${ip}: ${r.body}`);
      // The rule is for that host only.
      assert.equal((await hostGet(ip, 80, 'other.example.com')).status, 404, `${ip} for another host`);
    }
  });

  it('lets a pod on each node reach a ClusterIP whose endpoint is on another node', async () => {
    for (let k = 1; k <= 3; k++) {
      const j = (k % 3) + 1;
      const { clusterIP } = (await svc(`srv-${j}`)).spec;
      const answer = await eventually(
        async () => {
          const r = await exec(`cli-${k}`, `timeout 3 wget -qO- http://${clusterIP}/`);
          return r.code === 0 ? r.stdout.trim() : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500, what: `cli-${k} on ${c().nodes[k - 1] ?? ''} → srv-${j} (${clusterIP}) on ${c().nodes[j - 1] ?? ''}` },
      );
      assert.equal(answer, `srv-${j}`);
    }
  });

  it('answers nslookup from a pod: Service, headless Service, StatefulSet pod names and SRV', async () => {
    const pods = (await podsWithLabel(c(), NS, 'app=nginx')).filter(live);
    const ipOf = (name: string): string => pods.find((p) => p.metadata.name === name)?.status?.podIP ?? `no ${name}`;
    const lookup = async (args: string): Promise<string> => {
      const r = await exec('cli-3', `nslookup ${args}`);
      return r.stdout + r.stderr;
    };
    // cli-3 is on node 3: the node-local DNS in that node's namespace answers.
    const { clusterIP } = (await svc('webapp-service')).spec;
    let out = '';
    await eventually(async () => nslookupAddresses((out = await lookup(`webapp-service.${DOMAIN}`))).includes(clusterIP), {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: `webapp-service A ${clusterIP}`,
    }).catch((e: unknown) => assert.fail(`${String(e)}\n${out}`));
    assert.deepEqual(nslookupAddresses(out), [clusterIP], out);
    assert.deepEqual(nslookupAddresses(await lookup(`nginx.${DOMAIN}`)), [ipOf('web-0'), ipOf('web-1')].sort(), 'headless Service → the pod IPs');
    for (const name of ['web-0', 'web-1']) assert.deepEqual(nslookupAddresses(await lookup(`${name}.nginx.${DOMAIN}`)), [ipOf(name)], `${name}.nginx`);
    const srv = await lookup(`-type=SRV _http._tcp.nginx.${DOMAIN}`);
    for (const name of ['web-0', 'web-1']) assert.match(srv, new RegExp(`service = \\d+ \\d+ 80 ${name}\\.nginx\\.${NS}\\.svc\\.cluster\\.local`), srv);
    const one = await lookup(`-type=SRV _http._tcp.webapp-service.${DOMAIN}`);
    assert.match(one, new RegExp(`service = \\d+ \\d+ 80 webapp-service\\.${NS}\\.svc\\.cluster\\.local`), one);
  });

  it('serves the NodePort and the LoadBalancer on every node address, and the LB status lists the node IPs', async () => {
    const nodePort = (await svc('webapp-np')).spec.ports[0]?.nodePort ?? 0;
    assert.ok(nodePort >= 30000 && nodePort <= 32767, `node port ${nodePort}`);
    for (const ip of c().nodeIPs) assert.match((await httpOk(`http://${ip}:${nodePort}/`, 30_000)).trim(), PAGE_RE, `NodePort on ${ip}`);
    const lbIPs = await eventually(
      async () => {
        const ips = ((await svc('webapp-lb')).status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').sort();
        return ips.length === c().nodeIPs.length ? ips : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'status.loadBalancer.ingress of webapp-lb' },
    );
    assert.deepEqual(lbIPs, [...c().nodeIPs].sort());
    for (const ip of lbIPs) assert.match((await httpOk(`http://${ip}:${LB_PORT}/`, 30_000)).trim(), PAGE_RE, `LoadBalancer on ${ip}:${LB_PORT}`);
  });

  it('follows the Deployment scaling 1 → 3 → 1 through the ClusterIP and the Ingress', async () => {
    await c().kubectlOk(['scale', '-n', NS, 'deployment/webapp', '--replicas=3']);
    const three = (await settle(3)).map((p) => p.metadata.name).sort();
    await seeAll('ClusterIP from cli-1', three, viaClusterIP('cli-1'));
    for (const ip of c().nodeIPs) await seeAll(`Ingress on ${ip}`, three, viaIngress(ip));
    await c().kubectlOk(['scale', '-n', NS, 'deployment/webapp', '--replicas=1']);
    const one = (await settle(1)).map((p) => p.metadata.name);
    await onlyFrom('ClusterIP from cli-1', one, viaClusterIP('cli-1'));
    for (const ip of c().nodeIPs) await onlyFrom(`Ingress on ${ip}`, one, viaIngress(ip));
  });

  it("moves a failed node's pods elsewhere and keeps the Service and the other nodes' Ingress answering", async () => {
    await c().kubectlOk(['scale', '-n', NS, 'deployment/webapp', '--replicas=3']);
    const spread = await settle(3);
    // Node 1 holds the control plane; the victim is another node that runs a webapp replica.
    const k = [3, 2].find((n) => spread.some((p) => p.spec.nodeName === c().nodes[n - 1]));
    assert.ok(k !== undefined, `no webapp replica on node 2 or 3: ${spread.map((p) => `${p.metadata.name}@${p.spec.nodeName ?? ''}`).join(', ')}`);
    const victim = c().nodes[k - 1] ?? '';
    const victimPods = spread.filter((p) => p.spec.nodeName === victim).map((p) => p.metadata.name);
    const survivors = c().nodeIPs.filter((_, i) => i !== k - 1);

    // The node fails: every process naming its data dir (agent, containerd, shims) and all their
    // descendants (ingress data-plane workers, the containers) die at once.
    const nodeDir = join(c().dir, 'nodes', victim);
    const named = await processesMentioning([nodeDir]);
    assert.ok(named.length >= 2, `the node's agent and containerd: ${named.join(', ')}`);
    const pids = await withDescendants(named);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const pid of pids) assert.ok(await waitForExit(pid, 10_000), `pid ${pid} still running`);
    const killed = await killRuncContainers(runcRootOf(nodeDir));
    assert.ok(killed.length > 0, 'containers of the node killed');

    // Heartbeats stop: Ready turns Unknown and the node is tainted unreachable (NoExecute).
    await eventually(
      async () => {
        const n = JSON.parse(await c().kubectlOk(['get', 'node', victim, '-o', 'json'])) as NodeJson;
        const readyNow = n.status?.conditions?.find((x) => x.type === 'Ready')?.status;
        return readyNow === 'Unknown' && (n.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
      },
      { timeoutMs: 120_000, intervalMs: 1000, what: `${victim} Ready=Unknown with the unreachable NoExecute taint` },
    );
    const moved = (await settle(3, { avoid: victim, timeoutMs: 240_000 })).map((p) => p.metadata.name).sort();
    // The replicas there were evicted (marked for deletion; nobody is left on the node to finish it).
    for (const name of victimPods) {
      const r = await c().kubectl(['get', 'pod', name, '-n', NS, '-o', 'json']);
      if (r.code === 0) assert.ok((JSON.parse(r.stdout) as PodJson).metadata.deletionTimestamp, `${name} on ${victim} marked for deletion`);
      else assert.match(r.stderr, /NotFound/);
    }

    await onlyFrom('ClusterIP from cli-1', moved, viaClusterIP('cli-1'));
    await seeAll('ClusterIP from cli-1', moved, viaClusterIP('cli-1'));
    for (const ip of survivors) {
      await onlyFrom(`Ingress on ${ip}`, moved, viaIngress(ip));
      await seeAll(`Ingress on ${ip}`, moved, viaIngress(ip));
    }
  });

  it('tug down leaves no trace of the cluster', async () => {
    const traces = await clusterTraces(c());
    assert.ok(traces.podNetns.length >= 3, `the pods' network namespaces in the CNI cache: ${traces.podNetns.join(', ')}`);
    assert.equal(traces.veths.length, 2);
    destroyed = true;
    await c().destroy();
    const left = await leftovers(c(), traces, await hostState());
    assert.deepEqual(left, { netns: [], links: [], routes: [], tables: [], cniCache: [] });
    const extra = (await hostState()).netns.filter((n) => !before0.netns.includes(n));
    if (extra.length > 0) console.log(`# namespaces present now that were not before (other runs): ${extra.join(', ')}`);
  });
});
