import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TableState } from '../../api/table-state.ts';
import { humanDuration } from '../../lib/age.ts';
import { formatBytes, formatCpu, parseQuantity } from '../../lib/quantity.ts';
import { firstMatch } from '../../lib/route-match.ts';
import { searchRows, sortRows, visibleColumns } from './filter.ts';

function rows(n: number) {
  const s = new TableState();
  s.reset({
    kind: 'Table',
    columnDefinitions: [
      { name: 'Name', type: 'string' },
      { name: 'Status', type: 'string' },
      { name: 'IP', type: 'string', priority: 1 },
      { name: 'Age', type: 'string' },
    ],
    rows: Array.from({ length: n }, (_, i) => ({
      cells: [`pod-${i}`, i % 10 ? 'Running' : 'CrashLoopBackOff', `10.0.${i >> 8}.${i & 255}`, '1m'],
      object: { metadata: { name: `pod-${i}`, namespace: i % 2 ? 'b' : 'a', uid: `u${i}`, labels: { app: i % 3 ? 'web' : 'db' } } },
    })),
  });
  return s;
}

describe('list shaping', () => {
  it('searches every word across cells, names and labels', () => {
    const all = [...rows(100).rows.values()];
    assert.equal(searchRows(all, 'crashloop').length, 10);
    assert.equal(searchRows(all, 'crashloop app=db').length, 4);
    assert.equal(searchRows(all, '').length, 100);
  });

  it('orders by namespace, then name', () => {
    const sorted = sortRows([...rows(4).rows.values()]);
    assert.deepEqual(sorted.map((r) => `${r.meta.namespace}/${r.meta.name}`), ['a/pod-0', 'a/pod-2', 'b/pod-1', 'b/pod-3']);
  });

  it("shows kubectl's default columns, NAMESPACE first across namespaces, priority columns when wide", () => {
    const cols = rows(1).columns;
    assert.deepEqual(visibleColumns(cols, { wide: false, withNamespace: true }).map((c) => c.title), ['NAMESPACE', 'NAME', 'STATUS', 'AGE']);
    assert.deepEqual(visibleColumns(cols, { wide: true, withNamespace: false }).map((c) => c.title), ['NAME', 'STATUS', 'IP', 'AGE']);
  });

  it('filters and sorts 1,000 rows quickly enough to run on every keystroke', () => {
    const s = rows(1000);
    const sorted = sortRows([...s.rows.values()]);
    const ops = 50;
    const t = performance.now();
    for (let i = 0; i < ops; i++) searchRows(sorted, `pod-${i} running`);
    const perOp = (performance.now() - t) / ops;
    // Loose bound: the 200 ms budget is for the whole render; filtering must be a small part of it.
    assert.ok(perOp < 50, `${perOp.toFixed(2)} ms per search`);
  });
});

describe('small formatters', () => {
  it('prints ages like kubectl', () => {
    assert.deepEqual([45e3, 150e3, 20 * 60e3, 5 * 3600e3 + 60e3, 30 * 3600e3, 3 * 86400e3, 400 * 86400e3].map(humanDuration), ['45s', '2m30s', '20m', '5h1m', '30h', '3d', '400d']);
  });
  it('parses quantities', () => {
    assert.deepEqual(['250m', '2', '1.5', '128Mi', '1G', '1e3', 'junk'].map((q) => parseQuantity(q)), [0.25, 2, 1.5, 134217728, 1e9, 1000, 0]);
    assert.equal(formatCpu(0.25), '250m');
    assert.equal(formatBytes(1536 * 2 ** 20), '1.5Gi');
  });
  it('matches routes in order with decoded params', () => {
    const routes = [{ pattern: '/dashboard/ns/:ns/pods/:name/logs' }, { pattern: '/dashboard/ns/:ns/:resource/:name' }];
    assert.deepEqual(firstMatch(routes, '/dashboard/ns/a/pods/p%201/logs')?.params, { ns: 'a', name: 'p 1' });
    assert.equal(firstMatch(routes, '/dashboard/ns/a/pods/p')?.route, routes[1]);
    assert.equal(firstMatch(routes, '/dashboard/ns/a'), null);
  });
});
