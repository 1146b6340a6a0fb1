// Tests for pod update validation: a pod's spec is immutable except for container images, a
// shrinking active deadline, added tolerations and removed scheduling gates; every other change
// is one Forbidden error on `spec`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldError, type FieldError } from '../../../lib/field-errors.js';
import { podKind, type Pod } from './pod.js';
import type { PodSpec } from './pod-spec.js';
import type { ApiObject } from '../../kind.js';

function podWith(edit: (spec: PodSpec) => void): Pod {
  const spec: PodSpec = { containers: [{ name: 'app', image: 'nginx:1.27' }] };
  edit(spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
}

/** Defaults both versions, as the API server does before validating an update. */
function errorsOf(now: Pod, old: Pod): FieldError[] {
  podKind.defaults(now as ApiObject);
  podKind.defaults(old as ApiObject);
  return podKind.validate(now as ApiObject, old as ApiObject);
}
const messages = (now: Pod, old: Pod): string[] => errorsOf(now, old).map(formatFieldError);

describe('pod updates', () => {
  const base = (): Pod =>
    podWith((s) => {
      s.containers[0]!.image = 'nginx:1.26';
      s.tolerations = [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }];
      s.activeDeadlineSeconds = 600;
    });

  it('allows image, deadline and toleration-addition changes', () => {
    const now = base();
    now.spec!.containers[0]!.image = 'nginx:1.27';
    now.spec!.activeDeadlineSeconds = 300;
    now.spec!.tolerations!.push({ key: 'b', operator: 'Exists' });
    now.spec!.tolerations![0]!.tolerationSeconds = 100;
    assert.deepEqual(messages(now, base()), []);
  });

  it('rejects any other spec change on the spec path', () => {
    const now = base();
    now.spec!.restartPolicy = 'Never';
    now.spec!.containers[0]!.args = ['--debug'];
    const errs = errorsOf(now, base());
    assert.equal(errs.length, 1);
    assert.equal(errs[0]!.field, 'spec');
    assert.equal(errs[0]!.type, 'FieldValueForbidden');
    assert.match(errs[0]!.detail ?? '', /pod updates may not change fields other than/);
    assert.match(errs[0]!.detail ?? '', /spec\.containers, spec\.restartPolicy/);
  });

  it('rejects removing or loosening tolerations and raising the deadline', () => {
    const now = base();
    now.spec!.tolerations = [];
    now.spec!.activeDeadlineSeconds = 1200;
    assert.deepEqual(
      errorsOf(now, base()).map((e) => e.field),
      ['spec.activeDeadlineSeconds', 'spec.tolerations'],
    );
  });

  it('only lets scheduling gates be removed', () => {
    const old = podWith((s) => (s.schedulingGates = [{ name: 'example.com/wait' }]));
    const removed = podWith(() => {});
    assert.deepEqual(messages(removed, old), []);
    const added = podWith((s) => (s.schedulingGates = [{ name: 'example.com/wait' }, { name: 'example.com/more' }]));
    assert.deepEqual(
      errorsOf(added, old).map((e) => e.field),
      ['spec.schedulingGates'],
    );
  });

  it('allows status-only updates of a fully defaulted pod', () => {
    const old = base();
    const now = structuredClone(old);
    podKind.defaults(old as ApiObject);
    podKind.defaults(now as ApiObject);
    now.status = { phase: 'Running', podIP: '10.42.0.7' };
    assert.deepEqual(podKind.validate(now as ApiObject, old as ApiObject), []);
  });
});
