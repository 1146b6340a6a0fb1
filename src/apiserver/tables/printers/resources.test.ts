// Tests for the storage, networking and default tables: volumes and claims, storage classes with
// the (default) marker, ingresses, ingress classes, endpoint slices, and NAME / CREATED AT.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../../api/kind.js';
import { defaultPrinter } from './default.js';
import { endpointslices, ingressclasses, ingresses } from './networking.js';
import { persistentvolumeclaims, persistentvolumes, storageclasses } from './storage.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: '2024-04-01T12:00:00Z', ...extra });

describe('storage', () => {
  it('a bound persistent volume', () => {
    const pv: ApiObject = {
      metadata: meta('pvc-1f2e'),
      spec: {
        capacity: { storage: '1.5Gi' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        claimRef: { namespace: 'default', name: 'data' },
        storageClassName: 'local-path',
        volumeMode: 'Filesystem',
        hostPath: { path: '/var/lib/tugboat/pv' },
      },
      status: { phase: 'Bound' },
    };
    assert.deepEqual(persistentvolumes.cells(pv, NOW), [
      'pvc-1f2e',
      '1536Mi',
      'RWO,RWX',
      'Delete',
      'Bound',
      'default/data',
      'local-path',
      '<unset>',
      '',
      '30d',
      'Filesystem',
    ]);
  });

  it('a released volume being deleted, class from the beta annotation', () => {
    const pv: ApiObject = {
      metadata: meta('old', { deletionTimestamp: '2024-05-01T11:00:00Z', annotations: { 'volume.beta.kubernetes.io/storage-class': 'slow' } }),
      spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadOnlyMany'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'fast' },
      status: { phase: 'Released' },
    };
    assert.deepEqual(persistentvolumes.cells(pv, NOW).slice(1, 7), ['10Gi', 'ROX', 'Retain', 'Terminating', '', 'slow']);
  });

  it('claims show capacity and access modes only once bound', () => {
    const pending: ApiObject = {
      metadata: meta('data'),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path', volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    };
    assert.deepEqual(persistentvolumeclaims.cells(pending, NOW), ['data', 'Pending', '', '', '', 'local-path', '<unset>', '30d', 'Filesystem']);
    const bound: ApiObject = {
      ...pending,
      spec: { ...(pending.spec as object), volumeName: 'pvc-1f2e' },
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } },
    };
    assert.deepEqual(persistentvolumeclaims.cells(bound, NOW).slice(1, 6), ['Bound', 'pvc-1f2e', '1Gi', 'RWO', 'local-path']);
  });

  it('storage classes: defaults and the (default) marker', () => {
    const sc: ApiObject = {
      metadata: meta('local-path', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
      provisioner: 'tugboat.io/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
    };
    assert.deepEqual(storageclasses.cells(sc, NOW), ['local-path (default)', 'tugboat.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '30d']);
    const other: ApiObject = { metadata: meta('fast'), provisioner: 'x', reclaimPolicy: 'Retain', allowVolumeExpansion: true };
    assert.deepEqual(storageclasses.cells(other, NOW).slice(0, 5), ['fast', 'x', 'Retain', 'Immediate', true]);
  });
});

describe('networking', () => {
  it('ingress with class, hosts, address and TLS', () => {
    const ing: ApiObject = {
      metadata: meta('web'),
      spec: {
        ingressClassName: 'tugboat',
        rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }],
        tls: [{ hosts: ['a.example.com'], secretName: 'tls' }],
      },
      status: { loadBalancer: { ingress: [{ ip: '192.168.1.10' }] } },
    };
    assert.deepEqual(ingresses.cells(ing, NOW), ['web', 'tugboat', 'a.example.com,b.example.com', '192.168.1.10', '80, 443', '30d']);
  });

  it('ingress defaults: no class, any host, no address', () => {
    const ing: ApiObject = { metadata: meta('catch-all'), spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } };
    assert.deepEqual(ingresses.cells(ing, NOW), ['catch-all', '<none>', '*', '', '80', '30d']);
  });

  it('ingress with many hosts', () => {
    const rules = ['a', 'b', 'c', 'd', 'e'].map((h) => ({ host: `${h}.example.com` }));
    const ing: ApiObject = { metadata: meta('many'), spec: { rules } };
    assert.equal(ingresses.cells(ing, NOW)[2], 'a.example.com,b.example.com,c.example.com + 2 more...');
  });

  it('ingress classes', () => {
    const ic: ApiObject = {
      metadata: meta('tugboat'),
      spec: { controller: 'tugboat.io/ingress', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external' } },
    };
    assert.deepEqual(ingressclasses.cells(ic, NOW), ['tugboat', 'tugboat.io/ingress', 'IngressParameters.k8s.example.com/external', '30d']);
    assert.equal(ingressclasses.cells({ metadata: meta('x'), spec: { controller: 'c' } }, NOW)[2], '<none>');
  });

  it('endpoint slices', () => {
    const es: ApiObject = {
      metadata: meta('web-abcde'),
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'named' }, {}],
      endpoints: [{ addresses: ['10.42.0.5'] }, { addresses: ['10.42.0.6'] }, { addresses: ['10.42.1.2'] }, { addresses: ['10.42.1.3'] }],
    };
    assert.deepEqual(endpointslices.cells(es, NOW), ['web-abcde', 'IPv4', '8080,named,*', '10.42.0.5,10.42.0.6,10.42.1.2 + 1 more...', '30d']);
    assert.deepEqual(endpointslices.cells({ metadata: meta('empty'), addressType: 'IPv4', ports: null, endpoints: [] }, NOW).slice(2, 4), ['<unset>', '<unset>']);
  });
});

describe('default table', () => {
  it('NAME and CREATED AT as an RFC 3339 date', () => {
    assert.deepEqual(
      defaultPrinter.columns.map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Created At', 'date'],
      ],
    );
    const role: ApiObject = { metadata: { name: 'admin', creationTimestamp: '2024-04-01T12:00:00Z' }, rules: [] };
    assert.deepEqual(defaultPrinter.cells(role, NOW), ['admin', '2024-04-01T12:00:00Z']);
  });
});
