// Rollout undo to a chosen revision: lists the Deployment's ReplicaSets as revisions (live) and
// sends kubectl's client-side rollback (the chosen template copied into the Deployment).
import { useState } from 'react';
import { useApi } from '../../api/context.tsx';
import type { ResourceInfo } from '../../api/discovery.ts';
import type { KubeObject } from '../../api/objects.ts';
import { REPLICASETS } from '../../api/paths.ts';
import { matchLabelsSelector } from '../detail/related.ts';
import { useLiveObjects } from '../detail/use-live-objects.ts';
import { rolloutUndo } from './actions.ts';
import { REVISION, revisionsOf } from './rollout.ts';

export function UndoControl(props: { info: ResourceInfo; deployment: KubeObject; onError(e: unknown): void; onDone(msg: string): void }) {
  const api = useApi();
  const d = props.deployment;
  const rs = useLiveObjects(REPLICASETS, d.metadata?.namespace, { labelSelector: matchLabelsSelector(d.spec?.selector) });
  const revisions = revisionsOf(d, rs.items);
  const current = d.metadata?.annotations?.[REVISION];
  const older = revisions.filter((r) => String(r.revision) !== current);
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  if (!older.length) return null;
  const pick = chosen || String(older[0]?.revision ?? '');
  const undo = (): void => {
    const target = older.find((r) => String(r.revision) === pick);
    if (!target) return;
    setBusy(true);
    props.onError(null);
    void rolloutUndo(api, props.info, d, target.rs)
      .then((skipped) => props.onDone(skipped ?? `rolled back to revision ${pick}`))
      .catch((err: unknown) => props.onError(err))
      .finally(() => setBusy(false));
  };
  return (
    <div className="row">
      <label>
        Roll back to revision{' '}
        <select value={pick} onChange={(e) => setChosen(e.target.value)} data-testid="undo-revision">
          {older.map((r) => (
            <option key={r.revision} value={String(r.revision)}>
              {r.revision} ({r.rs.metadata?.name})
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={busy} onClick={undo} data-testid="undo-button">
        Rollout undo
      </button>
    </div>
  );
}
