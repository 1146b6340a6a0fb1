import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statefulSetKind, type StatefulSet } from './statefulset.js';
import { formatFieldError } from '../../../lib/field-errors.js';
import type { ApiObject } from '../../kind.js';

type Spec = NonNullable<StatefulSet['spec']>;

function statefulSet(mutate: (s: Spec) => void = () => {}): ApiObject {
  const sts: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres' }] } },
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      ],
    },
  };
  mutate(sts.spec as Spec);
  return sts as unknown as ApiObject;
}

const spec = (o: ApiObject): Spec => (o as unknown as StatefulSet).spec as Spec;

function errors(o: ApiObject, old?: ApiObject): string[] {
  statefulSetKind.defaults(o);
  return statefulSetKind.validate(o, old).map(formatFieldError);
}

describe('StatefulSet defaults', () => {
  it('fills in the Kubernetes defaults', () => {
    const sts = statefulSet();
    statefulSetKind.defaults(sts);
    const s = spec(sts);
    assert.equal(s.replicas, 1);
    assert.equal(s.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(s.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.equal(s.revisionHistoryLimit, 10);
    assert.deepEqual(s.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.equal(s.template.spec?.restartPolicy, 'Always');
    const claim = s.volumeClaimTemplates?.[0];
    assert.equal(claim?.apiVersion, 'v1');
    assert.equal(claim?.kind, 'PersistentVolumeClaim');
    assert.equal(claim?.spec?.volumeMode, 'Filesystem');
    assert.equal(claim?.status?.phase, 'Pending');
  });

  it('leaves an explicit RollingUpdate without parameters alone, and OnDelete without rollingUpdate', () => {
    const explicit = statefulSet((s) => (s.updateStrategy = { type: 'RollingUpdate' }));
    statefulSetKind.defaults(explicit);
    assert.deepEqual(spec(explicit).updateStrategy, { type: 'RollingUpdate' });
    const onDelete = statefulSet((s) => (s.updateStrategy = { type: 'OnDelete' }));
    statefulSetKind.defaults(onDelete);
    assert.deepEqual(spec(onDelete).updateStrategy, { type: 'OnDelete' });
  });
});

describe('StatefulSet validation', () => {
  it('accepts a plain statefulset, with or without serviceName', () => {
    assert.deepEqual(errors(statefulSet()), []);
    assert.deepEqual(errors(statefulSet((s) => delete s.serviceName)), []);
  });

  it('reports selector, policy and template problems at their field paths', () => {
    assert.deepEqual(errors(statefulSet((s) => (s.selector = {}))), ['spec.selector: Invalid value: {}: empty selector is invalid for statefulset']);
    assert.deepEqual(errors(statefulSet((s) => (s.podManagementPolicy = 'Random' as 'Parallel'))), [
      "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
    ]);
    assert.deepEqual(errors(statefulSet((s) => (s.template.spec!.restartPolicy = 'Never'))), [
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
    assert.deepEqual(errors(statefulSet((s) => (s.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } }))), [
      'spec.updateStrategy.rollingUpdate: Invalid value: {"partition":1}: only allowed for updateStrategy \'RollingUpdate\'',
    ]);
    assert.deepEqual(errors(statefulSet((s) => (s.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } }))), [
      'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
    ]);
    assert.deepEqual(errors(statefulSet((s) => (s.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep' as 'Retain' }))), [
      'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
    ]);
  });

  it('lets containers mount claim templates the pod template does not declare', () => {
    const mounted = statefulSet((s) => (s.template!.spec!.containers[0]!.volumeMounts = [{ name: 'data', mountPath: '/var/lib/db' }]));
    assert.deepEqual(errors(mounted), []);
    const unknown = statefulSet((s) => (s.template!.spec!.containers[0]!.volumeMounts = [{ name: 'nope', mountPath: '/x' }]));
    assert.match(errors(unknown)[0] ?? '', /^spec\.template\.spec\.containers\[0\]\.volumeMounts\[0\]\.name/);
  });

  it('checks volume claim template names', () => {
    const dup = statefulSet((s) => s.volumeClaimTemplates!.push({ metadata: { name: 'data' }, spec: {} }));
    assert.deepEqual(errors(dup), ['spec.volumeClaimTemplates[1].metadata.name: Duplicate value: "data"']);
    const bad = statefulSet((s) => (s.volumeClaimTemplates![0]!.metadata = { name: 'Data_1' }));
    assert.match(errors(bad)[0] ?? '', /^spec\.volumeClaimTemplates\[0\]\.metadata\.name: Invalid value: "Data_1": /);
    const unnamed = statefulSet((s) => (s.volumeClaimTemplates![0]!.metadata = {}));
    assert.deepEqual(errors(unnamed), ['spec.volumeClaimTemplates[0].metadata.name: Required value: name is required']);
  });

  it('allows updates only to the mutable spec fields', () => {
    const old = statefulSet();
    statefulSetKind.defaults(old);
    const scaled = statefulSet((s) => {
      s.replicas = 3;
      s.minReadySeconds = 5;
      s.template.spec!.containers[0]!.image = 'postgres:17';
      s.updateStrategy = { type: 'OnDelete' };
      s.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
      s.ordinals = { start: 1 };
      s.revisionHistoryLimit = 3;
    });
    assert.deepEqual(errors(scaled, old), []);
    const forbiddenMsg =
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
      "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
    assert.deepEqual(errors(statefulSet((s) => (s.serviceName = 'other')), old), [forbiddenMsg]);
    assert.deepEqual(errors(statefulSet((s) => (s.podManagementPolicy = 'Parallel')), old), [forbiddenMsg]);
  });
});

describe('StatefulSet kind', () => {
  it('has the Kubernetes names and the scale subresource', () => {
    assert.deepEqual(statefulSetKind.shortNames, ['sts']);
    assert.deepEqual(statefulSetKind.categories, ['all']);
    assert.equal(statefulSetKind.scale?.specReplicasPath, 'spec.replicas');
  });
});
