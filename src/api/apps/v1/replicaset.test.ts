import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { replicaSetKind, type ReplicaSet } from './replicaset.js';
import { controllerRevisionKind } from './controllerrevision.js';
import { appsV1Kinds } from './index.js';
import { formatFieldError } from '../../../lib/field-errors.js';
import type { ApiObject } from '../../kind.js';

function replicaSet(mutate: (rs: ReplicaSet) => void = () => {}): ApiObject {
  const rs: ReplicaSet = {
    metadata: { name: 'web-abc', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
  mutate(rs);
  return rs as unknown as ApiObject;
}

const errors = (o: ApiObject, old?: ApiObject): string[] => {
  replicaSetKind.defaults(o);
  return replicaSetKind.validate(o, old).map(formatFieldError);
};

describe('ReplicaSet', () => {
  it('defaults to one replica and validates cleanly', () => {
    const rs = replicaSet();
    assert.deepEqual(errors(rs), []);
    assert.equal((rs as unknown as ReplicaSet).spec?.replicas, 1);
  });

  it('reports selector mismatch and restart policy like Deployments do', () => {
    assert.deepEqual(errors(replicaSet((rs) => (rs.spec!.selector = { matchLabels: { app: 'db' } }))), [
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
    assert.deepEqual(errors(replicaSet((rs) => (rs.spec!.template!.spec!.restartPolicy = 'OnFailure'))), [
      'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    ]);
  });

  it('keeps the selector fixed and checks status counters', () => {
    const old = replicaSet();
    replicaSetKind.defaults(old);
    assert.deepEqual(errors(replicaSet((rs) => (rs.spec!.selector = { matchExpressions: [{ key: 'app', operator: 'Exists' }] })), old), [
      'spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"Exists"}]}: field is immutable',
    ]);
    assert.deepEqual(errors(replicaSet((rs) => (rs.status = { replicas: 2, readyReplicas: 1, availableReplicas: 2 }))), [
      'status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas',
    ]);
  });
});

describe('ControllerRevision', () => {
  const revision = (data: unknown, rev: number): ApiObject => ({ metadata: { name: 'web-7d9', namespace: 'default' }, data, revision: rev });

  it('requires data and a non-negative revision', () => {
    assert.deepEqual(controllerRevisionKind.validate(revision({ spec: { template: {} } }, 1), undefined), []);
    assert.deepEqual(controllerRevisionKind.validate(revision(undefined, -1), undefined).map(formatFieldError), [
      'data: Required value: data is mandatory',
      'revision: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('keeps data immutable but lets the revision number move', () => {
    const old = revision({ a: 1 }, 1);
    assert.deepEqual(controllerRevisionKind.validate(revision({ a: 1 }, 4), old), []);
    assert.deepEqual(controllerRevisionKind.validate(revision({ a: 2 }, 1), old).map(formatFieldError), ['data: Invalid value: {"a":2}: field is immutable']);
  });
});

describe('appsV1Kinds', () => {
  it('lists the five apps/v1 kinds with their plurals', () => {
    assert.deepEqual(
      appsV1Kinds.map((k) => `${k.apiVersion}/${k.plural}`),
      ['apps/v1/deployments', 'apps/v1/replicasets', 'apps/v1/statefulsets', 'apps/v1/daemonsets', 'apps/v1/controllerrevisions'],
    );
    assert.deepEqual(controllerRevisionKind.shortNames, []);
    assert.equal(controllerRevisionKind.status, false);
  });
});
