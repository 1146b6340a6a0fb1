// Tests for VolumeBinding (lite): missing claims, bound local volumes' node affinity, unbound
// immediate vs WaitForFirstConsumer claims, and the selected-node annotation written at PreBind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/core/v1/index.js';
import type { StorageClass } from '../../../api/storage/v1/index.js';
import type { Client } from '../../../client/index.js';
import { CycleState } from '../../framework/cycle-state.js';
import { podInfo } from '../../framework/pod-info.js';
import type { PreBindPlugin, PreFilterPlugin } from '../../framework/types.js';
import { clusterOf, filterOn, handleFor, makeNode, makePod } from '../../testing/fixtures.js';
import { create, SELECTED_NODE_ANNOTATION } from './index.js';

const claim = (name: string, o: { volumeName?: string; storageClassName?: string } = {}): PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...o },
  status: { phase: o.volumeName ? 'Bound' : 'Pending' },
});
const localPv: PersistentVolume = {
  metadata: { name: 'pv-local' },
  spec: {
    capacity: { storage: '1Gi' },
    local: { path: '/data' },
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } },
  },
};
const classes: StorageClass[] = [
  { metadata: { name: 'local-path' }, provisioner: 'tugboat.dev/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
  { metadata: { name: 'fast' }, provisioner: 'x', volumeBindingMode: 'Immediate' },
];
const usingClaim = (name: string) => makePod('p', { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: name } }] } });

describe('VolumeBinding', () => {
  const cache = clusterOf([makeNode('n1'), makeNode('n2')]);
  const h = handleFor(cache, {
    volumes: { claims: [claim('bound', { volumeName: 'pv-local' }), claim('later', { storageClassName: 'local-path' }), claim('now', { storageClassName: 'fast' })], volumes: [localPv], classes },
  });

  it('rejects a pod whose claim does not exist, for every node', () => {
    assert.deepEqual(filterOn(create, h, usingClaim('nope'), 'n1')?.reasons, ['persistentvolumeclaim "nope" not found']);
  });

  it('restricts a pod with a bound local volume to the nodes the volume allows', () => {
    assert.equal(filterOn(create, h, usingClaim('bound'), 'n1'), undefined);
    assert.deepEqual(filterOn(create, h, usingClaim('bound'), 'n2')?.reasons, ['node(s) had volume node affinity conflict']);
  });

  it('allows unbound WaitForFirstConsumer claims anywhere but not unbound immediate ones', () => {
    assert.equal(filterOn(create, h, usingClaim('later'), 'n2'), undefined);
    assert.deepEqual(filterOn(create, h, usingClaim('now'), 'n2')?.reasons, ['pod has unbound immediate PersistentVolumeClaims']);
  });

  it('annotates a delayed claim with the chosen node before binding', async () => {
    const patches: unknown[] = [];
    const client = { patch: async (_k: unknown, ns: unknown, name: unknown, p: unknown) => void patches.push([ns, name, p]) } as unknown as Client;
    const withClient = handleFor(cache, { client, volumes: { claims: [claim('later', { storageClassName: 'local-path' })], classes } });
    const plugin = create(withClient) as PreFilterPlugin & PreBindPlugin;
    const state = new CycleState();
    const pod = podInfo(usingClaim('later'));
    assert.equal(plugin.preFilter(state, pod), undefined);
    await plugin.preBind(state, pod, { nodeName: 'n2', signal: new AbortController().signal, timeoutMs: 1000 });
    assert.deepEqual(patches, [['default', 'later', { type: 'merge', body: { metadata: { annotations: { [SELECTED_NODE_ANNOTATION]: 'n2' } } } }]]);
  });
});
