import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TableState, type TableJson } from './table-state.ts';

const row = (name: string, rv: string, status = 'Running') => ({
  cells: [name, status],
  object: { metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: rv, labels: { app: 'web' } } },
});
const table = (rows: ReturnType<typeof row>[], rv: string, headers = true): TableJson => ({
  kind: 'Table',
  columnDefinitions: headers ? [{ name: 'Name', type: 'string' }, { name: 'Status', type: 'string' }] : [],
  rows,
  metadata: { resourceVersion: rv },
});

describe('TableState', () => {
  it('keeps rows by uid through added, modified and deleted events', () => {
    const s = new TableState();
    s.reset(table([row('a', '5')], '10'));
    assert.equal(s.resourceVersion, '10');
    assert.deepEqual(s.columns.map((c) => c.name), ['Name', 'Status']);
    s.apply('ADDED', table([row('b', '11', 'Pending')], '11', false));
    s.apply('MODIFIED', table([row('b', '12', 'Running')], '12', false));
    assert.deepEqual([...s.rows.values()].map((r) => `${r.meta.name}:${String(r.cells[1])}`), ['a:Running', 'b:Running']);
    assert.deepEqual(s.columns.map((c) => c.name), ['Name', 'Status'], 'header-less events keep the list columns');
    s.apply('DELETED', table([row('a', '13')], '13', false));
    assert.deepEqual([...s.rows.keys()], ['uid-b']);
    assert.equal(s.resourceVersion, '13');
  });

  it('takes the resourceVersion from bookmarks without touching rows, and refuses ERROR events', () => {
    const s = new TableState();
    s.reset(table([row('a', '5')], '10'));
    const v = s.version;
    assert.equal(s.apply('BOOKMARK', { kind: 'Pod', metadata: { resourceVersion: '99' } }), true);
    assert.equal(s.resourceVersion, '99');
    assert.equal(s.version, v);
    assert.equal(s.apply('ERROR', { kind: 'Status', code: 410 }), false);
  });

  it('makes name, cells and labels searchable', () => {
    const s = new TableState();
    s.reset(table([row('Web-1', '1')], '1'));
    const r = [...s.rows.values()][0];
    assert.ok(r?.haystack.includes('web-1'));
    assert.ok(r?.haystack.includes('app=web'));
  });
});
