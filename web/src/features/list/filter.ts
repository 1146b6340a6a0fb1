// Pure list shaping for the resource lists: search over the precomputed row text (every word
// must appear), stable ordering by namespace then name as kubectl prints, and the visible
// columns (kubectl's default view hides priority > 0 columns; NAMESPACE leads when listing
// across namespaces).
import type { Row, TableColumn } from '../../api/table-state.ts';

export function searchRows(rows: Iterable<Row>, query: string): Row[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const out: Row[] = [];
  for (const r of rows) if (words.every((w) => r.haystack.includes(w))) out.push(r);
  return out;
}

export function sortRows(rows: Row[]): Row[] {
  const key = (r: Row): string => `${r.meta.namespace ?? ''}\u0000${r.meta.name ?? ''}`;
  return rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

export interface VisibleColumn {
  title: string;
  /** Index into the row's cells, or 'namespace' for the added column. */
  source: number | 'namespace';
  isAge: boolean;
}

export function visibleColumns(columns: readonly TableColumn[], opts: { wide: boolean; withNamespace: boolean }): VisibleColumn[] {
  const out: VisibleColumn[] = [];
  if (opts.withNamespace) out.push({ title: 'NAMESPACE', source: 'namespace', isAge: false });
  columns.forEach((c, i) => {
    if (!opts.wide && (c.priority ?? 0) > 0) return;
    out.push({ title: c.name.toUpperCase(), source: i, isAge: c.name === 'Age' });
  });
  return out;
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (Array.isArray(v)) return v.join(',');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
