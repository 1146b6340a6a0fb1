// Server-side apply on the real Deployment and ConfigMap schemas: creating, owning, sharing,
// conflicting, forcing, pruning what an applier stops applying, keyed lists merged by their keys,
// `before-first-apply` for objects that never had managers, and kubectl's client-side-apply
// allowance.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Deployment } from '../../../api/apps/v1/deployment.js';
import { ConfigMap } from '../../../api/core/v1/configmap.js';
import { StatusError } from '../../../lib/errors.js';
import type { JsonObject } from '../json-value.js';
import { serverSideApply, BEFORE_FIRST_APPLY, LAST_APPLIED, type ApplyOptions } from './apply.js';

const now = new Date('2026-01-02T03:04:05.678Z');
const dep = (o: Partial<ApplyOptions> = {}): ApplyOptions => ({
  schema: Deployment,
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'web',
  manager: 'kubectl',
  force: false,
  now,
  hasStatus: true,
  subresource: undefined,
  ...o,
});
const cm = (o: Partial<ApplyOptions> = {}): ApplyOptions => ({ ...dep(o), schema: ConfigMap, apiVersion: 'v1', kind: 'ConfigMap', hasStatus: false, ...o });

const config = (spec: JsonObject, meta: JsonObject = {}): JsonObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...meta }, spec });
const container = (extra: JsonObject = {}): JsonObject => ({ name: 'web', image: 'nginx:1', ...extra });
const podSpec = (containers: JsonObject[]): JsonObject => ({ selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers } } });

type Entry = { manager: string; operation: string; time?: string; fieldsV1: JsonObject; subresource?: string };
const entries = (o: JsonObject): Entry[] => (o.metadata as { managedFields: Entry[] }).managedFields;
const spec = (o: JsonObject): JsonObject => o.spec as JsonObject;
const conflictOf = (fn: () => unknown): StatusError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a conflict');
};

describe('serverSideApply', () => {
  it('creates an object owned by the applier in FieldsV1 form', () => {
    const out = serverSideApply(undefined, config({ replicas: 2, ...podSpec([container({ ports: [{ containerPort: 80 }] })]) }), dep());
    const [e] = entries(out);
    assert.equal(e!.manager, 'kubectl');
    assert.equal(e!.operation, 'Apply');
    assert.equal(e!.time, '2026-01-02T03:04:05Z');
    const s = (e!.fieldsV1['f:spec'] as JsonObject);
    assert.deepEqual(s['f:replicas'], {});
    assert.deepEqual(s['f:selector'], {}, 'a label selector is atomic: owned whole');
    const c = ((((s['f:template'] as JsonObject)['f:spec'] as JsonObject)['f:containers'] as JsonObject)['k:{"name":"web"}']) as JsonObject;
    assert.deepEqual(Object.keys(c), ['.', 'f:image', 'f:name', 'f:ports']);
    assert.deepEqual(c['f:ports'], { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } });
    assert.equal(e!.fieldsV1['f:metadata'], undefined, 'name is identity, never owned');
  });

  it('refuses a configuration of another kind, another name, or carrying managedFields', () => {
    const good = config({ replicas: 1 });
    assert.match(conflictOf(() => serverSideApply(undefined, { ...good, kind: 'StatefulSet' }, dep())).message, /kind in the data \(StatefulSet\)/);
    assert.match(conflictOf(() => serverSideApply(undefined, { ...good, apiVersion: 'apps/v1beta1' }, dep())).message, /API version in the data/);
    assert.match(conflictOf(() => serverSideApply(undefined, { ...good, metadata: { name: 'other' } }, dep())).message, /does not match the name on the URL \(web\)/);
    assert.equal(conflictOf(() => serverSideApply(undefined, { ...good, metadata: { name: 'web', managedFields: [] } }, dep())).code, 400);
  });

  it('reports a conflict with another manager, and takes the field over when forced', () => {
    const live = serverSideApply(undefined, config({ replicas: 2 }), dep({ manager: 'alice' }));
    const err = conflictOf(() => serverSideApply(live, config({ replicas: 5 }), dep({ manager: 'bob' })));
    assert.equal(err.code, 409);
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    assert.deepEqual(err.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }]);
    const forced = serverSideApply(live, config({ replicas: 5 }), dep({ manager: 'bob', force: true }));
    assert.equal(spec(forced).replicas, 5);
    assert.deepEqual(entries(forced).map((e) => e.manager), ['bob'], 'alice owned nothing else and is gone');
  });

  it('shares a field applied with the same value, and keeps it while any owner applies it', () => {
    const live = serverSideApply(undefined, config({ replicas: 2, minReadySeconds: 5 }), dep({ manager: 'alice' }));
    const shared = serverSideApply(live, config({ replicas: 2 }), dep({ manager: 'bob' }));
    assert.deepEqual(entries(shared).map((e) => e.manager).sort(), ['alice', 'bob']);
    const aliceLeaves = serverSideApply(shared, config({}), dep({ manager: 'alice' }));
    assert.equal(spec(aliceLeaves).replicas, 2, 'bob still applies replicas');
    assert.equal(spec(aliceLeaves).minReadySeconds, undefined, 'only alice applied minReadySeconds: removed');
  });

  it('names several conflicts per manager the way kubectl shows them', () => {
    const live = serverSideApply(undefined, config({ replicas: 2, ...podSpec([container()]) }), dep({ manager: 'alice' }));
    const err = conflictOf(() => serverSideApply(live, config({ replicas: 3, ...podSpec([container({ image: 'nginx:2' })]) }), dep({ manager: 'bob' })));
    assert.equal(err.message, 'Apply failed with 2 conflicts: conflicts with "alice":\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image');
  });

  it('merges keyed lists by key: another manager\'s container and env entries survive', () => {
    const live = serverSideApply(undefined, config(podSpec([container({ env: [{ name: 'A', value: '1' }] })])), dep({ manager: 'alice' }));
    const sidecar = { name: 'log', image: 'busybox' };
    const both = serverSideApply(live, config(podSpec([{ name: 'web', env: [{ name: 'B', value: '2' }] }, sidecar])), dep({ manager: 'bob' }));
    const containers = ((spec(both).template as JsonObject).spec as JsonObject).containers as JsonObject[];
    assert.deepEqual(containers.map((c) => c.name), ['web', 'log']);
    assert.deepEqual(containers[0]!.env, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    assert.equal(containers[0]!.image, 'nginx:1');
    // bob stops applying his container: it goes; alice's stays with her env entry.
    const after = serverSideApply(both, config(podSpec([])), dep({ manager: 'bob' }));
    const left = ((spec(after).template as JsonObject).spec as JsonObject).containers as JsonObject[];
    assert.deepEqual(left, [{ name: 'web', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }]);
  });

  it('replaces atomic lists and maps whole', () => {
    const live = serverSideApply(undefined, config(podSpec([container({ args: ['a', 'b'] })])), dep({ manager: 'alice' }));
    const next = serverSideApply(live, config(podSpec([container({ args: ['c'] })])), dep({ manager: 'alice' }));
    assert.deepEqual((((spec(next).template as JsonObject).spec as JsonObject).containers as JsonObject[])[0]!.args, ['c']);
  });

  it('removes a map entry the applier dropped but keeps the map for entries still applied', () => {
    const cfg = (data: JsonObject, labels: JsonObject): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', labels }, data });
    const live = serverSideApply(undefined, cfg({ a: '1', b: '2' }, { x: '1', z: '2' }), cm());
    const next = serverSideApply(live, cfg({ b: '2' }, { z: '2' }), cm());
    assert.deepEqual(next.data, { b: '2' });
    assert.deepEqual((next.metadata as JsonObject).labels, { z: '2' });
  });

  it('keeps the time of an unchanged apply so a repeat apply writes nothing new', () => {
    const first = serverSideApply(undefined, config({ replicas: 2 }), dep());
    const again = serverSideApply(first, config({ replicas: 2 }), dep({ now: new Date('2026-06-01T00:00:00Z') }));
    assert.deepEqual(again, first);
  });

  it('treats an object without managers as owned by before-first-apply', () => {
    const live = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', uid: 'u' }, spec: { replicas: 1, paused: false } };
    const same = serverSideApply(live, config({ replicas: 1 }), dep({ manager: 'ci' }));
    assert.deepEqual(entries(same).map((e) => e.manager), ['ci', BEFORE_FIRST_APPLY]);
    const err = conflictOf(() => serverSideApply(live, config({ replicas: 3 }), dep({ manager: 'ci' })));
    assert.equal(err.message, `Apply failed with 1 conflict: conflict with "${BEFORE_FIRST_APPLY}" using apps/v1: .spec.replicas`);
  });

  it('lets kubectl take over fields it set with client-side apply, and keeps the annotation current', () => {
    const last = JSON.stringify(config({ replicas: 1 }));
    const live = { ...config({ replicas: 1 }, { annotations: { [LAST_APPLIED]: last } }) };
    const out = serverSideApply(live, config({ replicas: 4 }), dep());
    assert.equal(spec(out).replicas, 4);
    const ann = JSON.parse(((out.metadata as JsonObject).annotations as JsonObject)[LAST_APPLIED] as string) as JsonObject;
    assert.equal(spec(ann).replicas, 4);
    assert.equal(conflictOf(() => serverSideApply(live, config({ replicas: 4 }), dep({ manager: 'other' }))).code, 409);
  });

  it('owns only status through /status and never status through the main resource', () => {
    const withStatus = { ...config({ replicas: 1 }), status: { replicas: 1 } };
    const main = serverSideApply(undefined, withStatus, dep());
    assert.equal(entries(main)[0]!.fieldsV1['f:status'], undefined);
    const status = serverSideApply(main, withStatus, dep({ manager: 'ctl', subresource: 'status' }));
    const e = entries(status).find((x) => x.manager === 'ctl')!;
    assert.equal(e.subresource, 'status');
    assert.deepEqual(e.fieldsV1, { 'f:status': { 'f:replicas': {} } });
  });
});
