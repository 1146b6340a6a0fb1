import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentKind, DeploymentStrategy, type Deployment } from './deployment.js';
import { formatFieldError } from '../../../lib/field-errors.js';
import type { ApiObject } from '../../kind.js';

function deployment(mutate: (d: Deployment) => void = () => {}): ApiObject {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
  mutate(d);
  return d as unknown as ApiObject;
}

const spec = (o: ApiObject): NonNullable<Deployment['spec']> => (o as unknown as Deployment).spec as NonNullable<Deployment['spec']>;

/** Defaults then validates, as the apiserver does, and returns kubectl-style error lines. */
function errors(o: ApiObject, old?: ApiObject): string[] {
  deploymentKind.defaults(o);
  return deploymentKind.validate(o, old).map(formatFieldError);
}

describe('Deployment defaults', () => {
  it('fills in replicas, a 25%/25% rolling update, history and progress deadline, and pod defaults', () => {
    const d = deployment();
    deploymentKind.defaults(d);
    const s = spec(d);
    assert.equal(s.replicas, 1);
    assert.deepEqual(s.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(s.revisionHistoryLimit, 10);
    assert.equal(s.progressDeadlineSeconds, 600);
    assert.equal(s.template.spec?.restartPolicy, 'Always');
  });

  it('keeps what the user set and adds no rollingUpdate to Recreate', () => {
    const d = deployment((x) => {
      x.spec!.replicas = 0;
      x.spec!.strategy = { type: 'Recreate' };
      x.spec!.revisionHistoryLimit = 2;
    });
    deploymentKind.defaults(d);
    assert.equal(spec(d).replicas, 0);
    assert.deepEqual(spec(d).strategy, { type: 'Recreate' });
    assert.equal(spec(d).revisionHistoryLimit, 2);
  });

  it('completes a partial rollingUpdate', () => {
    const d = deployment((x) => {
      x.spec!.strategy = { rollingUpdate: { maxSurge: 2 } };
    });
    deploymentKind.defaults(d);
    assert.deepEqual(spec(d).strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: '25%' } });
  });
});

describe('Deployment validation', () => {
  it('accepts a plain deployment', () => {
    assert.deepEqual(errors(deployment()), []);
  });

  it('requires a non-empty selector that matches the template labels', () => {
    assert.deepEqual(errors(deployment((x) => delete (x.spec as Partial<typeof x.spec>)!.selector)), ['spec.selector: Required value']);
    assert.deepEqual(errors(deployment((x) => (x.spec!.selector = {}))), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
    assert.deepEqual(errors(deployment((x) => (x.spec!.selector = { matchLabels: { app: 'api' } }))), [
      'spec.template.metadata.labels: Invalid value: {"app":"web","tier":"front"}: `selector` does not match template `labels`',
    ]);
    const expr = deployment((x) => (x.spec!.selector = { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }));
    assert.deepEqual(errors(expr), []);
  });

  it('rejects negative replicas and bad counters', () => {
    assert.deepEqual(errors(deployment((x) => (x.spec!.replicas = -1))), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
    assert.deepEqual(
      errors(
        deployment((x) => {
          x.spec!.minReadySeconds = 30;
          x.spec!.progressDeadlineSeconds = 30;
        }),
      ),
      ['spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds'],
    );
  });

  it('only allows restartPolicy Always in the template', () => {
    const d = deployment((x) => (x.spec!.template.spec!.restartPolicy = 'OnFailure'));
    assert.deepEqual(errors(d), ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"']);
  });

  it('checks the strategy', () => {
    assert.deepEqual(errors(deployment((x) => (x.spec!.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }))), [
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
    assert.deepEqual(errors(deployment((x) => (x.spec!.strategy = { type: 'Blue' as 'Recreate' }))), [
      'spec.strategy.type: Unsupported value: "Blue": supported values: "Recreate", "RollingUpdate"',
    ]);
    assert.deepEqual(errors(deployment((x) => (x.spec!.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }))), [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
    ]);
    assert.deepEqual(errors(deployment((x) => (x.spec!.strategy = { rollingUpdate: { maxSurge: '150%', maxUnavailable: '101%' } }))), [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%',
    ]);
    const bad = errors(deployment((x) => (x.spec!.strategy = { rollingUpdate: { maxSurge: 'half' } })));
    assert.equal(bad.length, 1);
    assert.match(bad[0] ?? '', /^spec\.strategy\.rollingUpdate\.maxSurge: Invalid value: "half": a valid percent string/);
  });

  it('keeps the selector fixed on update but lets replicas and label order change', () => {
    const old = deployment((x) => (x.spec!.selector = { matchLabels: { app: 'web', tier: 'front' } }));
    deploymentKind.defaults(old);
    const moved = deployment((x) => {
      x.spec!.replicas = 5;
      x.spec!.selector = { matchLabels: { tier: 'front', app: 'web' } };
    });
    assert.deepEqual(errors(moved, old), []);
    const changed = deployment();
    assert.deepEqual(errors(changed, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"web"}}: field is immutable']);
  });

  it('checks status counters', () => {
    const d = deployment((x) => (x.status = { replicas: 1, readyReplicas: 2, availableReplicas: -1 }));
    assert.deepEqual(errors(d), [
      'status.availableReplicas: Invalid value: -1: must be greater than or equal to 0',
      'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
    ]);
  });
});

describe('Deployment kind', () => {
  it('publishes names, subresources and the retainKeys strategy', () => {
    assert.equal(deploymentKind.apiVersion, 'apps/v1');
    assert.deepEqual(deploymentKind.shortNames, ['deploy']);
    assert.deepEqual(deploymentKind.categories, ['all']);
    assert.equal(deploymentKind.status, true);
    assert.deepEqual(deploymentKind.scale, { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'status.selector' });
    const ext = DeploymentStrategy as unknown as Record<string, unknown>;
    assert.equal(ext['x-kubernetes-patch-strategy'], 'retainKeys');
    assert.equal(ext.$id, 'io.k8s.api.apps.v1.DeploymentStrategy');
    assert.match(String(ext.description), /RollingUpdate.*Recreate/s);
  });
});
