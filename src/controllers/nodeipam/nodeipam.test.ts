// Integration tests of the node IPAM controller against a real `tug server` running no
// controllers: nodes get distinct pod CIDRs from a small cluster CIDR (four /24s), subnets of
// nodes that existed before the controller started are never handed out again, an exhausted
// range is reported with an event, and a deleted node's subnet goes to a node still waiting.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeKind, type Node } from '../../api/core/v1/index.js';
import { eventsFor, eventually, startCluster, type Cluster } from '../testing/index.test.js';
import { nodeIpamControllerWith } from './index.js';

let c: Cluster;

const addNode = (name: string, podCIDR?: string): Promise<Node> =>
  c.client.create<Node>(nodeKind, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: podCIDR ? { podCIDR } : {} });
const cidrOf = async (name: string): Promise<string | undefined> => {
  const n = await c.client.get<Node>(nodeKind, undefined, name);
  assert.equal(n.spec?.podCIDR, n.spec?.podCIDRs?.[0]);
  return n.spec?.podCIDR;
};

before(async () => {
  c = await startCluster();
  await addNode('old', '10.42.0.0/24');
  await addNode('foreign', '10.99.0.0/24');
  c.run(nodeIpamControllerWith({ clusterCIDRs: ['10.42.0.0/22'] }));
});

after(() => c.stop());

describe('node IPAM', () => {
  it('gives new nodes distinct CIDRs, never one an existing node holds', async () => {
    for (const n of ['a', 'b', 'c']) await addNode(n);
    const got = await Promise.all(['a', 'b', 'c'].map((n) => eventually(() => cidrOf(n), { what: `CIDR of ${n}` })));
    assert.deepEqual([...got].sort(), ['10.42.1.0/24', '10.42.2.0/24', '10.42.3.0/24']);
    assert.equal(await cidrOf('old'), '10.42.0.0/24', 'an assigned CIDR is never changed');
    assert.equal(await cidrOf('foreign'), '10.99.0.0/24');
  });

  it('reports an exhausted range, and hands a deleted node\'s subnet to the waiting node', async () => {
    await addNode('late');
    await eventually(async () => (await eventsFor(c.client, 'default', 'late')).some((e) => e.reason === 'CIDRNotAvailable'), { what: 'CIDRNotAvailable event' });
    assert.equal(await cidrOf('late'), undefined);
    const freed = await cidrOf('b');
    await c.client.delete(nodeKind, undefined, 'b');
    assert.equal(await eventually(() => cidrOf('late'), { what: 'CIDR of late' }), freed);
  });
});
