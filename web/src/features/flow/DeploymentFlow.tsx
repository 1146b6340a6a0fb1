// A Deployment's rollout page: its revisions (one ReplicaSet each) and the deployment
// controller's scaling steps, each with bars showing every ReplicaSet's size right after it, so
// a rolling update reads as the hand-over it is. Live: a rollout started elsewhere (kubectl set
// image, the dashboard's restart) appears step by step. Links lead to the pods' own flows; the
// pods are read again when the ReplicaSets change rather than watched, to keep to three watches.
import { useMemo } from 'react';
import { DEPLOYMENTS, EVENTS, PODS, REPLICASETS, pathFor } from '../../api/paths.ts';
import type { KubeList, KubeObject } from '../../api/objects.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { detailPath, podToolPath } from '../../lib/links.ts';
import { Link } from '../../router.tsx';
import { useLiveObject } from '../detail/use-live-object.ts';
import { useLiveObjects } from '../detail/use-live-objects.ts';
import { buildRolloutTimeline, type RevisionInfo, type RolloutStep } from './rollout-timeline.ts';
import type { KubeEvent } from './steps.ts';
import { ActorLegend, Timeline } from './Timeline.tsx';
import { useFetched } from './use-fetched.ts';

function ScaleBars({ step, revisions }: { step: RolloutStep; revisions: readonly RevisionInfo[] }) {
  if (!step.after) return null;
  const max = Math.max(1, ...Object.values(step.after));
  return (
    <div className="scale-bars" data-testid="scale-bars">
      {revisions.map((r) => {
        const n = step.after?.[r.name] ?? 0;
        return (
          <div key={r.name}>
            <span>
              rev {r.revision} {r.name}: {n}
            </span>
            <span className={`bar${r.current ? ' current' : ''}${n === 0 ? ' zero' : ''}`} style={n ? { width: `${(n / max) * 100}%` } : undefined} />
          </div>
        );
      })}
    </div>
  );
}

function Revisions({ ns, revisions, pods }: { ns: string; revisions: readonly RevisionInfo[]; pods: readonly KubeObject[] }) {
  return (
    <table className="grid" data-testid="rollout-revisions">
      <thead>
        <tr>
          <th>REVISION</th>
          <th>REPLICASET</th>
          <th>IMAGES</th>
          <th>DESIRED</th>
          <th>READY</th>
          <th>PODS (their flow)</th>
        </tr>
      </thead>
      <tbody>
        {[...revisions].reverse().map((r) => (
          <tr key={r.name}>
            <td>
              {r.revision}
              {r.current ? ' (current)' : ''}
            </td>
            <td>
              <Link to={detailPath('replicasets', ns, r.name)}>{r.name}</Link>
            </td>
            <td>{r.images.join(', ')}</td>
            <td>{r.desired}</td>
            <td>{r.ready}</td>
            <td>
              {pods
                .filter((p) => p.metadata?.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name === r.name))
                .map((p) => (
                  <Link key={p.metadata?.uid} to={podToolPath(ns, p.metadata?.name ?? '', 'flow')} className="chip" testId="pod-flow-link">
                    {p.metadata?.name ?? ''}
                  </Link>
                ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DeploymentFlow({ ns, name }: { ns: string; name: string }) {
  const dep = useLiveObject(DEPLOYMENTS, ns, name);
  const uid = dep.obj?.metadata?.uid;
  const rsList = useLiveObjects(REPLICASETS, ns);
  const rsVersions = rsList.items.map((r) => r.metadata?.resourceVersion ?? '').join();
  const podList = useFetched<KubeList>(pathFor(PODS, ns), rsVersions).data?.items;
  const pods = { items: podList ?? [] };
  const events = useLiveObjects(EVENTS, ns, { fieldSelector: `involvedObject.uid=${uid ?? ''}`, enabled: !!uid });
  const rollout = useMemo(
    () => (dep.obj ? buildRolloutTimeline({ deployment: dep.obj, replicaSets: rsList.items, events: events.items as KubeEvent[] }) : { steps: [], revisions: [] }),
    [dep.obj, rsList.items, events.items],
  );
  const names = new Set(rollout.revisions.map((r) => r.name));
  if (dep.error) return <ErrorBanner error={dep.error} />;
  if (!dep.obj) return <p className="muted">Loading Deployment {name}…</p>;
  return (
    <section data-testid="deployment-flow">
      <p className="crumbs">
        <Link to={detailPath('deployments', ns, name)}>Deployment {ns}/{name}</Link>
      </p>
      <h2>Rollout of {name}</h2>
      <p className="flow-intro muted">
        Every change to the pod template makes a new ReplicaSet (a revision). The deployment controller then scales the new one up and the old ones down
        within maxSurge and maxUnavailable; each step below is one of its ScalingReplicaSet events, with every ReplicaSet's size right after it.
      </p>
      {dep.deleted ? <div className="banner warn">The Deployment has been deleted; this is its last known state.</div> : null}
      <ErrorBanner error={rsList.error ?? events.error} />
      <Revisions ns={ns} revisions={rollout.revisions} pods={pods.items.filter((p) => p.metadata?.ownerReferences?.some((o) => names.has(o.name)))} />
      <h3>Steps</h3>
      <ActorLegend actors={['you', 'deployment-controller']} />
      <Timeline steps={rollout.steps} extra={(s) => <ScaleBars step={s as RolloutStep} revisions={rollout.revisions} />} />
    </section>
  );
}
