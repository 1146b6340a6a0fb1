// Apply conflicts: a field the applier would change that another manager owns. Reported as the
// 409 Conflict Kubernetes sends — one `FieldManagerConflict` cause per field, and the message
// `Apply failed with N conflict(s): ...` naming each manager the way kubectl users know it
// (`"kubectl-scale" with subresource "scale" using apps/v1`) — so kubectl prints its hint about
// `--force-conflicts`.
import { StatusError } from '../../../lib/errors.js';
import { formatPath, intersection, isEmpty, members, type FieldPath, type FieldSet } from './field-set.js';
import type { ManagerEntry } from './managers.js';

export interface Conflict {
  entry: ManagerEntry;
  paths: FieldPath[];
}

/** For each manager in `others`, the fields of `changed` it owns. */
export function findConflicts(others: readonly ManagerEntry[], changed: FieldSet): Conflict[] {
  const out: Conflict[] = [];
  for (const entry of others) {
    const owned = intersection(entry.fields, changed);
    if (!isEmpty(owned)) out.push({ entry, paths: members(owned) });
  }
  return out;
}

function managerName(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

export function conflictError(conflicts: readonly Conflict[]): StatusError {
  const total = conflicts.reduce((n, c) => n + c.paths.length, 0);
  const causes = conflicts.flatMap((c) =>
    c.paths.map((p) => ({ reason: 'FieldManagerConflict', message: `conflict with ${managerName(c.entry)}`, field: formatPath(p) })),
  );
  let message: string;
  if (total === 1) {
    message = `Apply failed with 1 conflict: conflict with ${managerName(conflicts[0]!.entry)}: ${formatPath(conflicts[0]!.paths[0]!)}`;
  } else {
    const sections = [...conflicts]
      .sort((a, b) => (a.entry.manager < b.entry.manager ? -1 : a.entry.manager > b.entry.manager ? 1 : 0))
      .map((c) => [`conflicts with ${managerName(c.entry)}:`, ...c.paths.map((p) => `- ${formatPath(p)}`)].join('\n'));
    message = `Apply failed with ${total} conflicts: ${sections.join('\n')}`;
  }
  return new StatusError('Conflict', message, { details: { causes } });
}
