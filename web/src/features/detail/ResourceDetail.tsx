// One object's page: what it is (labels, owners, age), actions, its conditions, related objects,
// events and YAML (with an editor), all kept live by a watch on the object.
import { useState } from 'react';
import { resolveToken } from '../../api/discovery.ts';
import { useAppState } from '../../app-context.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { ageOf } from '../../lib/age.ts';
import { deploymentFlowPath, listPath, podToolPath } from '../../lib/links.ts';
import { useNow } from '../../lib/use-now.ts';
import { Link } from '../../router.tsx';
import { ActionBar } from '../actions/ActionBar.tsx';
import { EditYaml } from '../actions/EditYaml.tsx';
import { ConditionsTable } from './ConditionsTable.tsx';
import { ObjectEvents } from './ObjectEvents.tsx';
import { RelatedObjects } from './RelatedObjects.tsx';
import { useLiveObject } from './use-live-object.ts';
import { objectYaml } from './yaml-text.ts';

export function ResourceDetail({ token, ns, name }: { token: string; ns?: string; name: string }) {
  const { catalog } = useAppState();
  const info = resolveToken(catalog, token);
  const live = useLiveObject(info, ns, name);
  const [editing, setEditing] = useState(false);
  const now = useNow();
  if (!info) return <ErrorBanner error={new Error(`The server does not serve a resource called "${token}".`)} />;
  const obj = live.obj;
  const crumbs = (
    <p className="crumbs">
      <Link to={listPath(info.token)}>{info.kind}s</Link> / {ns ? `${ns} / ` : ''}
      <strong>{name}</strong>
    </p>
  );
  if (live.error) return (<>{crumbs}<ErrorBanner error={live.error} /></>);
  if (!obj) return (<>{crumbs}<p className="muted">Loading…</p></>);
  const meta = obj.metadata ?? {};
  const kind = obj.kind ?? info.kind;
  return (
    <section data-testid="detail" data-kind={kind} data-name={name}>
      {crumbs}
      <h2>
        {kind} {name}
      </h2>
      {live.deleted && (
        <div className="banner warn" data-testid="detail-deleted">
          This object has been deleted.
        </div>
      )}
      {meta.deletionTimestamp && !live.deleted && <div className="banner warn">Being deleted (waiting for finalizers or graceful termination).</div>}
      <dl className="meta">
        <dt>Created</dt>
        <dd>{meta.creationTimestamp ? `${ageOf(meta.creationTimestamp, now)} ago (${meta.creationTimestamp})` : ''}</dd>
        <dt>Labels</dt>
        <dd>
          {Object.keys(meta.labels ?? {}).length === 0 && <span className="muted">&lt;none&gt;</span>}
          {Object.entries(meta.labels ?? {}).map(([k, v]) => (
            <code key={k} className="chip">{`${k}=${v}`}</code>
          ))}
        </dd>
        <dt>UID</dt>
        <dd className="muted small">{meta.uid}</dd>
      </dl>
      {kind === 'Pod' && ns && (
        <p className="row">
          <Link to={podToolPath(ns, name, 'logs')} className="button" testId="pod-logs-link">Logs</Link>
          <Link to={podToolPath(ns, name, 'exec')} className="button" testId="pod-exec-link">Exec</Link>
          <Link to={podToolPath(ns, name, 'flow')} className="button" testId="pod-flow-link">Flow</Link>
        </p>
      )}
      {kind === 'Deployment' && ns && (
        <p className="row">
          <Link to={deploymentFlowPath(ns, name)} className="button" testId="deployment-flow-link">Rollout flow</Link>
        </p>
      )}
      {!live.deleted && <ActionBar info={info} obj={obj} />}
      <h3>Conditions</h3>
      <ConditionsTable conditions={obj.status?.conditions ?? []} />
      <h3>Related</h3>
      <RelatedObjects obj={obj} />
      <h3>Events</h3>
      {meta.uid && <ObjectEvents ns={ns} uid={meta.uid} />}
      <h3>
        YAML{' '}
        {!editing && info.verbs.includes('update') && !live.deleted && (
          <button type="button" className="link" onClick={() => setEditing(true)} data-testid="edit-button">
            Edit
          </button>
        )}
      </h3>
      {editing ? <EditYaml info={info} obj={obj} onClose={() => setEditing(false)} /> : <pre className="yaml" data-testid="yaml-view">{objectYaml(obj)}</pre>}
    </section>
  );
}
