// The events about one object (fieldSelector involvedObject.uid), live, in kubectl's columns.
import { useMemo } from 'react';
import { EVENTS, pathFor, withQuery } from '../../api/paths.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { cellText, visibleColumns } from '../list/filter.ts';
import { useLiveTable } from '../list/use-live-table.ts';

export function ObjectEvents({ ns, uid }: { ns: string | undefined; uid: string }) {
  const live = useLiveTable(withQuery(pathFor(EVENTS, ns), { fieldSelector: `involvedObject.uid=${uid}` }));
  const cols = useMemo(() => visibleColumns(live.state?.columns ?? [], { wide: false, withNamespace: false }), [live.state, live.version]);
  const rows = useMemo(
    () => [...(live.state?.rows.values() ?? [])].sort((a, b) => ((a.meta.creationTimestamp ?? '') < (b.meta.creationTimestamp ?? '') ? 1 : -1)),
    [live.state, live.version],
  );
  if (live.error) return <ErrorBanner error={live.error} />;
  if (!live.state) return <p className="muted">Loading events…</p>;
  if (!rows.length) return <p className="muted" data-testid="events-empty">No events.</p>;
  return (
    <table className="grid" data-testid="object-events">
      <thead>
        <tr>
          {cols.map((c) => (
            <th key={c.title}>{c.title}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} className={r.haystack.includes('warning') ? 'warn' : ''}>
            {cols.map((c) => (
              <td key={c.title}>{c.source === 'namespace' ? r.meta.namespace : cellText(r.cells[c.source])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
