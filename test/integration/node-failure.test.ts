// A hollow node dies and its pods come back elsewhere: two agent processes (nodes a-0, a-1 and
// b-0), a Deployment whose pods tolerate node.kubernetes.io/unreachable for 2 s, then agent b is
// killed with SIGKILL. Its node stops renewing its Lease, the node lifecycle controller marks it
// Unknown after the grace period (40 s by default) and taints it, taint eviction deletes its pods
// after their toleration, and the ReplicaSet replaces them on the surviving nodes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeKind, podKind, type Node, type Pod } from '../../src/api/core/v1/index.js';
import { eventually } from '../support/eventually.js';
import { startHollowCluster, type HollowCluster } from '../support/hollow-cluster.js';
import { isReady, live, nodeReadyStatus, terminating } from './pods.js';

const NS = 'default';
const REPLICAS = 6;
const UNREACHABLE = 'node.kubernetes.io/unreachable';
let c: HollowCluster;

const pods = async (): Promise<Pod[]> => (await c.client.list<Pod>(podKind, NS, { labelSelector: 'app=survivor' })).items;

describe('a killed hollow node', { timeout: 240_000 }, () => {
  before(async () => {
    c = await startHollowCluster({ agents: [{ nodes: 2, prefix: 'a' }, { nodes: 1, prefix: 'b' }] });
  });
  after(async () => {
    await c?.cleanup();
  });

  it('has its pods recreated on the other nodes after their toleration', async (t) => {
    const toleration = (key: string): unknown => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 });
    await c.kubectlOk(['apply', '-f', '-'], {
      stdin: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'survivor', namespace: NS },
        spec: {
          replicas: REPLICAS,
          selector: { matchLabels: { app: 'survivor' } },
          template: {
            metadata: { labels: { app: 'survivor' } },
            spec: {
              containers: [{ name: 'main', image: 'nginx' }],
              tolerations: [toleration(UNREACHABLE), toleration('node.kubernetes.io/not-ready')],
              // Soft spreading so b-0 surely gets pods, yet the survivors may take them all later.
              topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'survivor' } } }],
            },
          },
        },
      }),
    });
    const initial = await eventually(
      async () => {
        const ready = live(await pods()).filter(isReady);
        return ready.length === REPLICAS && ready;
      },
      { timeoutMs: 60_000, what: `${REPLICAS} ready pods` },
    );
    const doomed = initial.filter((p) => p.spec?.nodeName === 'b-0').map((p) => p.metadata?.name ?? '');
    assert.ok(doomed.length > 0, `no pod landed on b-0: ${initial.map((p) => p.spec?.nodeName).join(',')}`);

    const [agentB] = c.agents.filter((a) => a.prefix === 'b');
    assert.ok(agentB);
    const killedAt = Date.now();
    await agentB.stop({ kill: true });

    const node = await eventually(
      async () => {
        const n = await c.client.get<Node>(nodeKind, undefined, 'b-0');
        return nodeReadyStatus(n) === 'Unknown' && n.spec?.taints?.some((x) => x.key === UNREACHABLE && x.effect === 'NoExecute') && n;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'b-0 Unknown with the unreachable NoExecute taint' },
    );
    assert.ok(node.spec?.taints?.some((x) => x.key === UNREACHABLE && x.effect === 'NoSchedule'), 'new pods are kept off it too');
    const replaced = await eventually(
      async () => {
        const all = await pods();
        const ready = live(all).filter(isReady);
        const evicted = doomed.every((name) => {
          const p = all.find((x) => x.metadata?.name === name);
          return p === undefined || terminating(p);
        });
        return evicted && ready.length === REPLICAS && ready.every((p) => p.spec?.nodeName !== 'b-0') && ready;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: `${REPLICAS} ready pods off b-0` },
    );
    t.diagnostic(`${doomed.length} pod(s) on b-0 replaced ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
    for (const p of replaced) assert.match(p.spec?.nodeName ?? '', /^a-[01]$/);
    for (const name of doomed) {
      const events = await c.kubectlOk(['get', 'events', '--field-selector', `involvedObject.name=${name}`]);
      assert.match(events, new RegExp(`TaintManagerEviction\\s+pod/${name}\\s+Marking for deletion Pod default/${name}`));
    }
    const nodes = await c.kubectlOk(['get', 'nodes']);
    assert.match(nodes, /^b-0\s+NotReady\s/m);
    assert.match(nodes, /^a-0\s+Ready\s/m);
  });
});
