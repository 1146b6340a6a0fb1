// The list page for one resource: the server's Table (kubectl's columns) kept live by a watch,
// filtered by the header's namespace, a label selector (sent to the server) and a text search
// (done here, over every cell). Rows are virtualized so 1,000 pods stay quick.
import { useMemo, useState } from 'react';
import { resolveToken } from '../../api/discovery.ts';
import { pathFor, withQuery } from '../../api/paths.ts';
import { useAppState } from '../../app-context.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { ageOf } from '../../lib/age.ts';
import { detailPath } from '../../lib/links.ts';
import { useNow } from '../../lib/use-now.ts';
import { Link, setQuery, useLocation } from '../../router.tsx';
import { cellText, searchRows, sortRows, visibleColumns } from './filter.ts';
import { useLiveTable } from './use-live-table.ts';
import { ROW_HEIGHT, VirtualRows } from './VirtualRows.tsx';

export function ResourceList({ token }: { token: string }) {
  const { catalog, namespace } = useAppState();
  const info = resolveToken(catalog, token);
  const loc = useLocation();
  const labels = loc.search.get('l') ?? '';
  const search = loc.search.get('q') ?? '';
  const [labelDraft, setLabelDraft] = useState(labels);
  const [wide, setWide] = useState(false);
  const ns = info?.namespaced ? namespace : '';
  const path = info ? withQuery(pathFor(info, ns || undefined), { labelSelector: labels }) : null;
  const live = useLiveTable(path);
  const now = useNow();

  const sorted = useMemo(() => sortRows([...(live.state?.rows.values() ?? [])]), [live.state, live.version]);
  const rows = useMemo(() => searchRows(sorted, search), [sorted, search]);
  const cols = useMemo(() => visibleColumns(live.state?.columns ?? [], { wide, withNamespace: !!info?.namespaced && !ns }), [live.state, live.version, wide, info, ns]);

  const nameCol = cols[0]?.source === 'namespace' ? 1 : 0;
  if (!info) return <ErrorBanner error={new Error(`The server does not serve a resource called "${token}".`)} />;
  const height = Math.max(300, window.innerHeight - 190);
  return (
    <section>
      <h2>
        {info.kind} <span className="muted small">{info.group ? `${info.group}/${info.version}` : info.version}</span>
      </h2>
      <div className="filters">
        <input
          placeholder="Search"
          value={search}
          onChange={(e) => setQuery({ q: e.target.value })}
          data-testid="list-search"
          aria-label="Search"
        />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setQuery({ l: labelDraft.trim() });
          }}
        >
          <input
            placeholder="Label selector, e.g. app=web,tier!=db"
            value={labelDraft}
            onChange={(e) => setLabelDraft(e.target.value)}
            onBlur={() => setQuery({ l: labelDraft.trim() })}
            data-testid="list-labels"
            aria-label="Label selector"
          />
        </form>
        <label className="check">
          <input type="checkbox" checked={wide} onChange={(e) => setWide(e.target.checked)} data-testid="list-wide" /> Wide
        </label>
        <span className="muted small" data-testid="list-count">
          {live.state ? `${rows.length} of ${live.state.rows.size}` : 'Loading…'}
        </span>
      </div>
      <ErrorBanner error={live.error} />
      <VirtualRows
        items={rows}
        colSpan={cols.length}
        height={height}
        testId="list-table"
        header={
          <tr>
            {cols.map((c) => (
              <th key={c.title}>{c.title}</th>
            ))}
          </tr>
        }
        renderRow={(r) => (
          <tr key={r.key} data-testid={`row-${r.meta.name ?? ''}`} data-namespace={r.meta.namespace} style={{ height: ROW_HEIGHT }}>
            {cols.map((c, i) => {
              const text = c.source === 'namespace' ? (r.meta.namespace ?? '') : c.isAge ? ageOf(r.meta.creationTimestamp, now) : cellText(r.cells[c.source]);
              return (
                <td key={c.title}>
                  {i === nameCol ? (
                    <Link to={detailPath(info.token, r.meta.namespace, r.meta.name ?? '')}>{text}</Link>
                  ) : (
                    text
                  )}
                </td>
              );
            })}
          </tr>
        )}
      />
      {live.state && rows.length === 0 && <p className="muted">No {info.plural} {ns ? `in ${ns}` : ''} match.</p>}
    </section>
  );
}
