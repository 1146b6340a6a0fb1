// Update managers on the ConfigMap and Deployment schemas: untracked objects stay untracked,
// an updater takes the fields it changed from an applier, status writes are recorded under
// the status subresource, a client's own managedFields are checked (422) and `[{}]` strips them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigMap } from '../../../api/core/v1/configmap.js';
import { Deployment } from '../../../api/apps/v1/deployment.js';
import { StatusError } from '../../../lib/errors.js';
import type { JsonObject } from '../json-value.js';
import { serverSideApply } from './apply.js';
import { recordUpdate, type TrackOptions } from './track.js';
import { fromFieldsV1, toFieldsV1, formatPath, members } from './field-set.js';

const now = new Date('2026-03-04T05:06:07Z');
const opts = (o: Partial<TrackOptions> = {}): TrackOptions => ({
  schema: ConfigMap,
  apiVersion: 'v1',
  target: { kind: 'ConfigMap', group: '', name: 'c' },
  manager: 'kubectl-edit',
  now,
  hasStatus: false,
  subresource: undefined,
  ...o,
});
const cm = (data: JsonObject, meta: JsonObject = {}): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...meta }, data });
type Entry = { manager: string; operation: string; subresource?: string; fieldsV1: JsonObject };
const managed = (o: JsonObject): Entry[] | undefined => (o.metadata as { managedFields?: Entry[] }).managedFields;

describe('recordUpdate', () => {
  it('leaves objects without managedFields untracked', () => {
    const next = cm({ a: '2' });
    recordUpdate(cm({ a: '1' }), next, opts());
    assert.equal(managed(next), undefined);
  });

  it('gives the updater the fields it changed, taken from the applier', () => {
    const applied = serverSideApply(undefined, cm({ a: '1', b: '1' }), { ...opts(), kind: 'ConfigMap', name: 'c', manager: 'ci', force: false });
    const next = structuredClone(applied);
    (next.data as JsonObject).a = '2';
    (next.data as JsonObject).n = 'new';
    recordUpdate(applied, next, opts());
    const [apply, update] = managed(next)!;
    assert.deepEqual([apply!.manager, apply!.operation, update!.manager, update!.operation], ['ci', 'Apply', 'kubectl-edit', 'Update']);
    assert.deepEqual(apply!.fieldsV1, { 'f:data': { 'f:b': {} } });
    assert.deepEqual(update!.fieldsV1, { 'f:data': { 'f:a': {}, 'f:n': {} } });
  });

  it('records status writes under the status subresource and only status', () => {
    const old = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', managedFields: [] as unknown[] }, spec: { replicas: 1 } };
    const live = serverSideApply(old, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1 } }, {
      schema: Deployment, apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', manager: 'me', force: false, now, hasStatus: true, subresource: undefined,
    });
    const next = { ...structuredClone(live), status: { replicas: 1, conditions: [{ type: 'Available', status: 'True' }] } };
    recordUpdate(live, next, opts({ schema: Deployment, apiVersion: 'apps/v1', manager: 'kube-controller-manager', hasStatus: true, subresource: 'status' }));
    const e = managed(next)!.find((x) => x.manager === 'kube-controller-manager')!;
    assert.equal(e.subresource, 'status');
    assert.deepEqual(e.fieldsV1, { 'f:status': { 'f:conditions': { 'k:{"type":"Available"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:replicas': {} } });
  });

  it('refuses malformed managedFields from a client with 422, and strips them on [{}]', () => {
    const old = cm({ a: '1' }, { managedFields: [{ manager: 'x', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }] });
    const bad = cm({ a: '1' }, { managedFields: [{ manager: 'x', operation: 'Replace', fieldsType: 'FieldsV2' }] });
    assert.throws(() => recordUpdate(old, bad, opts()), (e: unknown) => e instanceof StatusError && e.code === 422 && /managedFields\[0\]\.operation: Unsupported value: "Replace"/.test(e.message) && /fieldsType/.test(e.message));
    const reset = cm({ a: '1' }, { managedFields: [{}] });
    recordUpdate(old, reset, opts());
    assert.equal(managed(reset), undefined);
  });
});

describe('FieldsV1', () => {
  it('round-trips and prints paths as Kubernetes does', () => {
    const json = { 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } }, 'f:finalizers': { 'v:"a"': {} } } };
    const set = fromFieldsV1(json)!;
    assert.deepEqual(toFieldsV1(set), json);
    assert.deepEqual(members(set).map(formatPath), ['.spec.finalizers[="a"]', '.spec.ports[port=80,protocol="TCP"]', '.spec.ports[port=80,protocol="TCP"].port']);
    assert.equal(fromFieldsV1({ 'x:bad': {} }), undefined);
    assert.equal(fromFieldsV1({ 'k:notjson': {} }), undefined);
  });
});
