// The namespace picker in the header; '' is all namespaces. The names are read when the page
// loads and again whenever the picker is opened, rather than watched, to keep the browser's few
// connections to the API server for the page's own watches.
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../api/context.tsx';
import type { KubeList } from '../api/objects.ts';
import { NAMESPACES, pathFor } from '../api/paths.ts';
import { useAppState } from '../app-context.tsx';

export function NamespaceSelect() {
  const api = useApi();
  const { namespace, setNamespace } = useAppState();
  const [names, setNames] = useState<string[]>([]);
  const refresh = useCallback(() => {
    void api
      .get<KubeList>(pathFor(NAMESPACES))
      .then((l) => setNames(l.items.map((n) => n.metadata?.name ?? '').filter(Boolean).sort()))
      .catch(() => undefined); // the list pages report API trouble; the picker keeps its old names
  }, [api]);
  useEffect(refresh, [refresh]);
  const shown = namespace && !names.includes(namespace) ? [...names, namespace].sort() : names;
  return (
    <label className="ns-select">
      Namespace
      <select value={namespace} onChange={(e) => setNamespace(e.target.value)} onFocus={refresh} onMouseDown={refresh} data-testid="namespace-select">
        <option value="">All namespaces</option>
        {shown.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}
