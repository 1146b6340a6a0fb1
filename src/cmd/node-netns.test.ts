// Planning a `tug up` cluster's node addresses (pure; no root needed): names, addresses on the
// node CIDR, namespaces and veth names that fit Linux's limits, the child agents' flags, the
// addresses each node's services bind, and the host masquerade rule for the node addresses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeMasqueradeScript } from './node-masquerade.js';
import { planNodeNetwork } from './node-netns.js';
import { childAgentArgs, nodeServicesOn } from './up-nodes.js';

describe('node network plan', () => {
  it('puts node 1 on the bridge address and nodes 2..N in namespaces of their own', () => {
    const p = planNodeNetwork({ bridge: 'tugnodes0', cidr: '10.41.0.9/24', baseName: 'box', nodes: 3 });
    assert.equal(p.cidr, '10.41.0.0/24');
    assert.deepEqual(
      p.nodes.map((n) => [n.name, n.ip, n.netns]),
      [
        ['box', '10.41.0.1', undefined],
        ['box-2', '10.41.0.2', 'tug-box-2'],
        ['box-3', '10.41.0.3', 'tug-box-3'],
      ],
    );
    const veths = p.nodes.flatMap((n) => (n.veth ? [n.veth] : []));
    assert.equal(new Set(veths).size, 2);
    for (const v of veths) assert.ok(v.length <= 15, v);
  });

  it('refuses a node CIDR too small for the nodes and bad bridge names', () => {
    assert.throws(() => planNodeNetwork({ bridge: 'b', cidr: '10.41.0.0/30', baseName: 'x', nodes: 3 }), /no room/);
    assert.throws(() => planNodeNetwork({ bridge: 'a-very-long-bridge-name', cidr: '10.41.0.0/24', baseName: 'x', nodes: 1 }), /node-bridge-name/);
    assert.throws(() => planNodeNetwork({ bridge: 'b', cidr: 'nope', baseName: 'x', nodes: 1 }), /--node-cidr/);
  });

  it("binds each node's ingress to its own address unless the user named one", () => {
    const s = { kubeletPort: 0, dns: false as const, ingress: { http: ':80', https: ':443' } };
    assert.deepEqual(nodeServicesOn(s, {}, '10.41.0.2').ingress, { http: '10.41.0.2:80', https: '10.41.0.2:443' });
    assert.deepEqual(nodeServicesOn(s, { ingressHttp: ':8080' }, '10.41.0.2').ingress, { http: ':8080', https: '10.41.0.2:443' });
    assert.equal(nodeServicesOn({ ...s, ingress: false }, {}, '10.41.0.2').ingress, false);
  });

  it("binds each node's agent endpoint to its own address unless --kubelet-address names one", () => {
    const s = { kubeletPort: 10250, dns: false as const, ingress: false as const };
    assert.equal(nodeServicesOn(s, {}, '10.41.0.2').kubeletAddress, '10.41.0.2');
    assert.equal(nodeServicesOn({ ...s, kubeletAddress: '0.0.0.0' }, {}, '10.41.0.2').kubeletAddress, '0.0.0.0');
  });

  it("gives a child agent the node's name, address, own CNI network and the cluster's settings", () => {
    const [, node] = planNodeNetwork({ bridge: 'tugnodes0', cidr: '10.41.0.0/24', baseName: 'box', nodes: 2 }).nodes;
    assert.ok(node);
    const args = childAgentArgs({
      up: {
        bridgeName: 'tug0',
        clusterCIDR: '10.42.0.0/16',
        clusterDNS: '169.254.20.10',
        services: { kubeletPort: 0, dns: false, ingress: false },
        listenOverrides: {},
        serviceFlags: { clusterDomain: 'cluster.local', proxy: true },
      },
      node,
      serverUrl: 'https://10.41.0.1:6443',
      tokenFile: '/d/server/node-token',
      dataDir: '/d/nodes/box-2',
    });
    const flag = (name: string): string | undefined => args[args.indexOf(name) + 1];
    assert.equal(flag('--node-name'), 'box-2');
    assert.equal(flag('--node-ip'), '10.41.0.2');
    assert.equal(flag('--cni-network'), 'tugboat-box-2');
    assert.equal(flag('--kubelet-address'), '10.41.0.2');
    assert.equal(flag('--server'), 'https://10.41.0.1:6443');
    assert.ok(args.includes('--no-ingress') && args.includes('--no-node-local-dns'));
    assert.ok(!args.includes('--no-proxy'));
  });

  it('masquerades only node traffic that leaves for beyond the nodes and the pods, in a table named by the bridge', () => {
    const script = nodeMasqueradeScript({ bridge: 'tugn1', nodeCIDR: '10.41.0.5/24', clusterCIDR: '10.42.0.0/16' });
    assert.match(script, /^table inet tugboat-nodes-tugn1 \{\}\ndelete table inet tugboat-nodes-tugn1\n/);
    assert.match(script, /type nat hook postrouting priority srcnat;/);
    assert.match(script, /ip saddr 10\.41\.0\.0\/24 ip daddr != 10\.41\.0\.0\/24 ip daddr != 10\.42\.0\.0\/16 oifname != "tugn1" masquerade/);
    assert.throws(() => nodeMasqueradeScript({ bridge: 'bad"name', nodeCIDR: '10.41.0.0/24', clusterCIDR: '10.42.0.0/16' }), /bridge/);
  });
});
