// The buttons on an object's page, offered by kind: scale (kinds with a scale subresource),
// rollout restart and undo, cordon/uncordon for nodes, and delete (with a confirmation) for all.
// Each reports its own error (403s included) in a banner next to the buttons.
import { useState } from 'react';
import { useApi } from '../../api/context.tsx';
import type { ResourceInfo } from '../../api/discovery.ts';
import type { KubeObject } from '../../api/objects.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { listPath } from '../../lib/links.ts';
import { navigate } from '../../router.tsx';
import { deleteObject, rolloutRestart, scale, setUnschedulable } from './actions.ts';
import { UndoControl } from './UndoControl.tsx';

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);
const RESTARTABLE = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export function ActionBar({ info, obj }: { info: ResourceInfo; obj: KubeObject }) {
  const api = useApi();
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const name = obj.metadata?.name ?? '';
  const ns = obj.metadata?.namespace;
  const kind = obj.kind ?? info.kind;
  const [replicas, setReplicas] = useState(String(obj.spec?.replicas ?? 1));

  const run = (what: string, op: () => Promise<unknown>, after?: () => void): void => {
    setBusy(true);
    setError(null);
    setNotice('');
    void op()
      .then((msg) => {
        setNotice(typeof msg === 'string' ? msg : what);
        after?.();
      })
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };

  return (
    <div className="actions">
      <div className="row">
        {SCALABLE.has(kind) && (
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              const n = Number(replicas);
              if (!Number.isInteger(n) || n < 0) return setError(new Error('Replicas must be a whole number ≥ 0.'));
              run(`scaled to ${n}`, () => scale(api, info, ns, name, n));
            }}
          >
            <label>
              Replicas <input type="number" min={0} value={replicas} onChange={(e) => setReplicas(e.target.value)} data-testid="scale-input" />
            </label>
            <button type="submit" disabled={busy} data-testid="scale-submit">
              Scale
            </button>
          </form>
        )}
        {RESTARTABLE.has(kind) && (
          <button type="button" disabled={busy} onClick={() => run('restart requested', () => rolloutRestart(api, info, ns, name))} data-testid="restart-button">
            Rollout restart
          </button>
        )}
        {kind === 'Node' && (
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              const cordon = obj.spec?.unschedulable !== true;
              run(cordon ? 'cordoned' : 'uncordoned', () => setUnschedulable(api, info, name, cordon));
            }}
            data-testid="cordon-button"
          >
            {obj.spec?.unschedulable === true ? 'Uncordon' : 'Cordon'}
          </button>
        )}
        {info.verbs.includes('delete') &&
          (confirming ? (
            <span className="confirm">
              Delete {kind} {name}?{' '}
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() => run('deleted', () => deleteObject(api, info, ns, name), () => navigate(listPath(info.token)))}
                data-testid="delete-confirm"
              >
                Yes, delete
              </button>
              <button type="button" onClick={() => setConfirming(false)} data-testid="delete-cancel">
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirming(true)} data-testid="delete-button">
              Delete
            </button>
          ))}
      </div>
      {kind === 'Deployment' && <UndoControl info={info} deployment={obj} onError={setError} onDone={setNotice} />}
      <ErrorBanner error={error} testId="action-error" />
      {notice && (
        <div className="banner ok" data-testid="action-notice">
          {notice}
        </div>
      )}
    </div>
  );
}
