// The table for resources without a printer of their own (roles, clusterroles, and anything new):
// NAME and CREATED AT, the creation time as an RFC 3339 date. Kubernetes' default table has the
// same two columns, which is why `kubectl get clusterroles` shows CREATED AT rather than AGE.
import type { ApiObject } from '../../../api/kind.js';
import { parseTime } from '../duration.js';
import { NAME, column, createdOf, nameOf, view, type WithMeta } from '../columns.js';
import type { Cell, Printer } from '../types.js';

/** RFC 3339 in UTC with whole seconds, e.g. `2024-05-01T10:00:00Z`. */
function rfc3339(ts: string | undefined): string {
  const t = parseTime(ts);
  // A missing timestamp is Go's zero time in Kubernetes.
  return t === undefined ? '0001-01-01T00:00:00Z' : new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const defaultPrinter: Printer = {
  columns: [NAME, column('Created At', 'date', 'When the object was created, from metadata.creationTimestamp.')],
  cells(obj: ApiObject): Cell[] {
    const o = view<WithMeta>(obj);
    return [nameOf(o), rfc3339(createdOf(o))];
  },
};
