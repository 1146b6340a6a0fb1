// Client-side state of a live server-rendered Table: the first list gives the columns and rows,
// then watch events (each a one-row Table, or a BOOKMARK) add, replace or remove rows by uid.
// Mutates in place and counts versions so a page with 1,000 rows does not copy them per event.

export interface TableColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface RowMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  deletionTimestamp?: string;
}

export interface TableRowJson {
  cells: unknown[];
  object?: { metadata?: RowMeta } | null;
}

export interface TableJson {
  kind: 'Table';
  columnDefinitions: TableColumn[];
  rows: TableRowJson[] | null;
  metadata?: { resourceVersion?: string };
}

export interface Row {
  key: string;
  meta: RowMeta;
  /** The row's object: metadata only by default, the whole object with includeObject=Object. */
  object: unknown;
  cells: unknown[];
  /** Lower-cased text of the name, namespace, cells and labels, for search. */
  haystack: string;
}

const rowKey = (m: RowMeta): string => m.uid || `${m.namespace ?? ''}/${m.name ?? ''}`;

function toRow(r: TableRowJson): Row {
  const meta = r.object?.metadata ?? {};
  const labels = Object.entries(meta.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  const haystack = [meta.namespace ?? '', meta.name ?? '', ...r.cells.map((c) => String(c ?? '')), ...labels].join('\u0000').toLowerCase();
  return { key: rowKey(meta), meta, object: r.object ?? null, cells: r.cells, haystack };
}

export class TableState {
  columns: TableColumn[] = [];
  readonly rows = new Map<string, Row>();
  resourceVersion = '';
  version = 0;

  reset(t: TableJson): void {
    this.columns = t.columnDefinitions;
    this.rows.clear();
    for (const r of t.rows ?? []) {
      const row = toRow(r);
      this.rows.set(row.key, row);
    }
    this.resourceVersion = t.metadata?.resourceVersion ?? '';
    this.version++;
  }

  /** Applies one watch event; returns false for an ERROR event (the caller decides what next). */
  apply(type: string, obj: unknown): boolean {
    if (type === 'ERROR') return false;
    const o = obj as Partial<TableJson> & { metadata?: { resourceVersion?: string } };
    if (o.metadata?.resourceVersion) this.resourceVersion = o.metadata.resourceVersion;
    if (type === 'BOOKMARK' || o.kind !== 'Table') return true;
    if (!this.columns.length && o.columnDefinitions?.length) this.columns = o.columnDefinitions;
    for (const r of o.rows ?? []) {
      const row = toRow(r);
      if (type === 'DELETED') this.rows.delete(row.key);
      else this.rows.set(row.key, row);
    }
    this.version++;
    return true;
  }
}
