// The landing page: each node's requested CPU/memory against allocatable and its conditions,
// workload counts by health, and the newest Warning events, kept current and scoped to
// the selected namespace where that makes sense (nodes are cluster-wide). Nodes, pods and
// warnings are watched; workload kinds are re-read when pods change (see use-refreshed-list.ts).
import { useMemo } from 'react';
import type { KubeObject } from '../../api/objects.ts';
import { EVENTS, NODES, PODS, type ResourceRef } from '../../api/paths.ts';
import { useAppState } from '../../app-context.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { ageOf } from '../../lib/age.ts';
import { detailPath, listPath } from '../../lib/links.ts';
import { formatBytes, formatCpu } from '../../lib/quantity.ts';
import { useNow } from '../../lib/use-now.ts';
import { Link } from '../../router.tsx';
import { useLiveObjects } from '../detail/use-live-objects.ts';
import { countHealth, type HealthCounts } from './health.ts';
import { nodeUsage, percent } from './node-usage.ts';
import { useRefreshedList } from './use-refreshed-list.ts';

const apps = (plural: string): ResourceRef => ({ group: 'apps', version: 'v1', plural, namespaced: true });
const WORKLOADS: [string, string, ResourceRef][] = [
  ['Deployment', 'deployments', apps('deployments')],
  ['StatefulSet', 'statefulsets', apps('statefulsets')],
  ['DaemonSet', 'daemonsets', apps('daemonsets')],
  ['Job', 'jobs', { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true }],
];

export function Overview() {
  const { namespace } = useAppState();
  const ns = namespace || undefined;
  const nodes = useLiveObjects(NODES, undefined);
  const allPods = useLiveObjects(PODS, undefined);
  const usage = useMemo(() => nodeUsage(nodes.items, allPods.items), [nodes.items, allPods.items]);
  const pods = useMemo(() => (ns ? allPods.items.filter((p) => p.metadata?.namespace === ns) : allPods.items), [allPods.items, ns]);
  return (
    <section>
      <h2>Overview</h2>
      <ErrorBanner error={nodes.error ?? allPods.error} />
      <h3>Nodes</h3>
      <table className="grid" data-testid="overview-nodes">
        <thead>
          <tr>
            <th>NAME</th>
            <th>CPU REQUESTED</th>
            <th>MEMORY REQUESTED</th>
            <th>PODS</th>
            <th>CONDITIONS</th>
          </tr>
        </thead>
        <tbody>
          {usage.map((n) => (
            <tr key={n.name} data-testid={`node-${n.name}`}>
              <td>
                <Link to={detailPath('nodes', undefined, n.name)}>{n.name}</Link>
                {n.unschedulable && <span className="chip warn">cordoned</span>}
              </td>
              <td>
                <Meter used={n.requested.cpu} total={n.allocatable.cpu} text={`${formatCpu(n.requested.cpu)} / ${formatCpu(n.allocatable.cpu)}`} />
              </td>
              <td>
                <Meter used={n.requested.memory} total={n.allocatable.memory} text={`${formatBytes(n.requested.memory)} / ${formatBytes(n.allocatable.memory)}`} />
              </td>
              <td>{n.pods}</td>
              <td>
                {n.conditions.map((c) => {
                  const good = c.type === 'Ready' ? c.status === 'True' : c.status === 'False';
                  return (
                    <span key={c.type} className={`chip ${good ? 'ok' : 'bad'}`} title={c.message}>
                      {c.type}={c.status}
                    </span>
                  );
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {nodes.loaded && usage.length === 0 && <p className="muted">No nodes have joined yet.</p>}
      <h3>Workloads {ns ? `in ${ns}` : ''}</h3>
      <div className="cards" data-testid="overview-workloads">
        <HealthCard title="Pods" token="pods" counts={countHealth('Pod', pods)} />
        {WORKLOADS.map(([kind, token, ref]) => (
          <WorkloadCard key={kind} kind={kind} token={token} res={ref} ns={ns} trigger={allPods.items} />
        ))}
      </div>
      <h3>Newest warnings</h3>
      <Warnings ns={ns} />
    </section>
  );
}

function Meter({ used, total, text }: { used: number; total: number; text: string }) {
  const p = percent(used, total);
  return (
    <div className="meter" title={`${p}% of allocatable`}>
      <div className={`fill ${p > 90 ? 'bad' : p > 70 ? 'warn' : ''}`} style={{ width: `${Math.min(100, p)}%` }} />
      <span>
        {text} ({p}%)
      </span>
    </div>
  );
}

// Workload status follows its pods, so a pod change is the cue to re-read the workloads.
function WorkloadCard({ kind, token, res, ns, trigger }: { kind: string; token: string; res: ResourceRef; ns: string | undefined; trigger: unknown }) {
  const live = useRefreshedList(res, ns, trigger);
  return <HealthCard title={`${kind}s`} token={token} counts={countHealth(kind, live.items)} />;
}

function HealthCard({ title, token, counts }: { title: string; token: string; counts: HealthCounts }) {
  return (
    <Link to={listPath(token)} className="card health" testId={`health-${token}`}>
      <strong>{title}</strong>
      <span className="ok" data-testid={`health-${token}-healthy`}>{counts.healthy} healthy</span>
      <span className="warn" data-testid={`health-${token}-progressing`}>{counts.progressing} progressing</span>
      <span className="bad" data-testid={`health-${token}-failing`}>{counts.failing} failing</span>
    </Link>
  );
}

const eventTime = (e: KubeObject): string => String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '');

function Warnings({ ns }: { ns: string | undefined }) {
  const events = useLiveObjects(EVENTS, ns, { fieldSelector: 'type=Warning' });
  const now = useNow();
  const newest = useMemo(() => [...events.items].sort((a, b) => (eventTime(a) < eventTime(b) ? 1 : -1)).slice(0, 10), [events.items]);
  if (events.error) return <ErrorBanner error={events.error} />;
  if (!newest.length) return <p className="muted" data-testid="overview-no-warnings">No warnings.</p>;
  return (
    <table className="grid" data-testid="overview-warnings">
      <thead>
        <tr>
          <th>LAST SEEN</th>
          <th>REASON</th>
          <th>OBJECT</th>
          <th>MESSAGE</th>
        </tr>
      </thead>
      <tbody>
        {newest.map((e) => {
          const io = (e.involvedObject ?? {}) as { kind?: string; name?: string; namespace?: string };
          return (
            <tr key={e.metadata?.uid} className="warn">
              <td>{ageOf(eventTime(e), now)}</td>
              <td>{String(e.reason ?? '')}</td>
              <td>
                {io.namespace ? `${io.namespace}/` : ''}
                {io.kind}/{io.name}
              </td>
              <td>{String(e.message ?? '')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
