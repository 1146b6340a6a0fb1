// Tests for Table assembly: the meta.k8s.io/v1 envelope, includeObject, headers for watch events,
// the default table, and that every printer yields one cell per column.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../api/kind.js';
import { printedResources, printerFor, tableFor, tableRowsFor } from './index.js';

const NOW = new Date('2024-05-01T12:00:00Z');

const deployment: ApiObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '42', creationTimestamp: '2024-05-01T11:58:30Z', labels: { app: 'web' } },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
  status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
};

describe('tableFor', () => {
  it('builds a meta.k8s.io/v1 Table with metadata-only row objects by default', () => {
    const t = tableFor('deployments', [deployment], { now: NOW, includeObject: 'Metadata', resourceVersion: '99', continue: 'tok' });
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(t.metadata, { resourceVersion: '99', continue: 'tok' });
    assert.deepEqual(t.columnDefinitions[0], {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: t.columnDefinitions[0]?.description,
      priority: 0,
    });
    assert.deepEqual(t.rows[0]?.cells, ['web', '2/3', 3, 2, '90s', 'nginx', 'nginx', 'app=web']);
    assert.deepEqual(t.rows[0]?.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: deployment.metadata });
    assert.equal('conditions' in (t.rows[0] ?? {}), false);
  });

  it('includeObject=Object carries the object, None carries null', () => {
    assert.equal(tableFor('deployments', [deployment], { now: NOW, includeObject: 'Object', resourceVersion: '1' }).rows[0]?.object, deployment);
    assert.equal(tableFor('deployments', [deployment], { now: NOW, includeObject: 'None', resourceVersion: '1' }).rows[0]?.object, null);
  });

  it('serialises with the field names kubectl reads', () => {
    const json = JSON.parse(JSON.stringify(tableFor('deployments', [deployment], { now: NOW, includeObject: 'None', resourceVersion: '7' }))) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows']);
    assert.deepEqual(Object.keys((json.rows as Record<string, unknown>[])[0] ?? {}), ['cells', 'object']);
  });

  it('noHeaders leaves the columns out', () => {
    const t = tableFor('pods', [], { now: NOW, includeObject: 'Metadata', resourceVersion: '', noHeaders: true });
    assert.deepEqual(t.columnDefinitions, []);
    assert.deepEqual(t.metadata, {});
    assert.deepEqual(t.rows, []);
  });

  it('falls back to NAME / CREATED AT for other resources', () => {
    const t = tableFor('clusterroles', [{ metadata: { name: 'admin', creationTimestamp: '2024-01-02T03:04:05Z' } }], {
      now: NOW,
      includeObject: 'None',
      resourceVersion: '5',
    });
    assert.deepEqual(t.columnDefinitions.map((c) => c.name), ['Name', 'Created At']);
    assert.deepEqual(t.rows[0]?.cells, ['admin', '2024-01-02T03:04:05Z']);
  });

  it('carries row conditions for finished pods', () => {
    const rows = tableRowsFor('pods', [{ metadata: { name: 'p' }, spec: { containers: [] }, status: { phase: 'Succeeded' } }], {
      now: NOW,
      includeObject: 'None',
    });
    assert.equal(rows[0]?.conditions?.[0]?.type, 'Completed');
  });
});

describe('every printer', () => {
  // Kubernetes rejects a row whose cell count differs from the column count; so do we, here.
  for (const resource of [...printedResources(), 'roles']) {
    it(`${resource}: one cell per column, even for a bare object`, () => {
      const bare: ApiObject = { metadata: { name: 'x' } };
      const printer = printerFor(resource);
      assert.equal(printer.cells(bare, NOW).length, printer.columns.length);
      assert.ok(printer.columns.every((c) => c.description.length > 0 && (c.priority === 0 || c.priority === 1)));
      assert.equal(printer.columns.filter((c) => c.format === 'name').length, 1);
    });
  }

  it('covers the resources Tugboat serves', () => {
    for (const r of ['pods', 'services', 'nodes', 'events', 'deployments', 'cronjobs', 'storageclasses', 'endpointslices', 'leases'])
      assert.ok(printedResources().includes(r), r);
  });
});
