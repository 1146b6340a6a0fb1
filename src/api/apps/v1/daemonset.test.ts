import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daemonSetKind, type DaemonSet } from './daemonset.js';
import { formatFieldError } from '../../../lib/field-errors.js';
import type { ApiObject } from '../../kind.js';

type Spec = NonNullable<DaemonSet['spec']>;

function daemonSet(mutate: (s: Spec) => void = () => {}): ApiObject {
  const ds: DaemonSet = {
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }] } },
    },
  };
  mutate(ds.spec as Spec);
  return ds as unknown as ApiObject;
}

function errors(o: ApiObject, old?: ApiObject): string[] {
  daemonSetKind.defaults(o);
  return daemonSetKind.validate(o, old).map(formatFieldError);
}

describe('DaemonSet', () => {
  it('defaults to a rolling update of one node at a time and ten revisions', () => {
    const ds = daemonSet();
    daemonSetKind.defaults(ds);
    const s = (ds as unknown as DaemonSet).spec as Spec;
    assert.deepEqual(s.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(s.revisionHistoryLimit, 10);
    assert.deepEqual(errors(ds), []);
  });

  it('leaves OnDelete without rolling-update parameters', () => {
    const ds = daemonSet((s) => (s.updateStrategy = { type: 'OnDelete' }));
    daemonSetKind.defaults(ds);
    assert.deepEqual((ds as unknown as DaemonSet).spec?.updateStrategy, { type: 'OnDelete' });
  });

  it('wants exactly one of maxSurge and maxUnavailable non-zero', () => {
    assert.deepEqual(errors(daemonSet((s) => (s.updateStrategy = { rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }))), [
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero',
    ]);
    assert.deepEqual(errors(daemonSet((s) => (s.updateStrategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }))), [
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    ]);
    assert.deepEqual(errors(daemonSet((s) => (s.updateStrategy = { rollingUpdate: { maxSurge: '10%', maxUnavailable: 0 } }))), []);
  });

  it('rejects other strategies, restart policies and pod deadlines', () => {
    assert.deepEqual(errors(daemonSet((s) => (s.updateStrategy = { type: 'Surge' as 'OnDelete' }))), [
      'spec.updateStrategy.type: Unsupported value: "Surge": supported values: "RollingUpdate", "OnDelete"',
    ]);
    assert.deepEqual(errors(daemonSet((s) => (s.template.spec!.activeDeadlineSeconds = 10))), [
      'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported',
    ]);
  });

  it('keeps the selector fixed on update', () => {
    const old = daemonSet();
    daemonSetKind.defaults(old);
    const changed = daemonSet((s) => {
      s.selector = { matchLabels: { app: 'agent', v: '2' } };
      s.template.metadata!.labels = { app: 'agent', v: '2' };
    });
    assert.deepEqual(errors(changed, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"agent","v":"2"}}: field is immutable']);
  });

  it('has the ds short name and no scale subresource', () => {
    assert.deepEqual(daemonSetKind.shortNames, ['ds']);
    assert.equal(daemonSetKind.scale, undefined);
    assert.equal(daemonSetKind.status, true);
  });
});
