// The objects around the one on screen: its owners, and what it owns or routes to —
// Deployment → ReplicaSets → Pods, Service → EndpointSlices → Pods, Ingress → Services, and the
// Pods (or Jobs) of the other controllers. All live.
import type { ResourceInfo } from '../../api/discovery.ts';
import type { KubeObject } from '../../api/objects.ts';
import { ENDPOINTSLICES, PODS, REPLICASETS, SERVICES, type ResourceRef } from '../../api/paths.ts';
import { useAppState } from '../../app-context.tsx';
import { resourceForKind } from '../../api/discovery.ts';
import { detailPath } from '../../lib/links.ts';
import { Link } from '../../router.tsx';
import { workloadHealth } from '../overview/health.ts';
import { REVISION } from '../actions/rollout.ts';
import { ingressServiceNames, matchLabelsSelector, ownedBy, SERVICE_NAME_LABEL, slicePodNames } from './related.ts';
import { useLiveObjects } from './use-live-objects.ts';

const JOBS: ResourceRef = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };
const POD_OWNERS = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']);

function summary(o: KubeObject): string {
  const s = o.status ?? {};
  switch (o.kind) {
    case 'Pod':
      return `${String(s.phase ?? 'Pending')}, ${workloadHealth('Pod', o)}`;
    case 'ReplicaSet':
      return `revision ${o.metadata?.annotations?.[REVISION] ?? '?'}, ${Number(s.readyReplicas ?? 0)}/${Number(o.spec?.replicas ?? 0)} ready`;
    case 'EndpointSlice':
      return `${((o.endpoints ?? []) as unknown[]).length} endpoints`;
    default:
      return '';
  }
}

function ObjectLinks({ title, kind, items, catalog }: { title: string; kind: string; items: readonly KubeObject[]; catalog: readonly ResourceInfo[] }) {
  const info = catalog.find((c) => c.kind === kind);
  return (
    <div className="related" data-testid={`related-${kind}`}>
      <h4>
        {title} <span className="muted small">({items.length})</span>
      </h4>
      <ul>
        {items.map((o) => (
          <li key={o.metadata?.uid ?? o.metadata?.name} data-testid={`related-${kind}-${o.metadata?.name ?? ''}`}>
            {info ? <Link to={detailPath(info.token, o.metadata?.namespace, o.metadata?.name ?? '')}>{o.metadata?.name}</Link> : o.metadata?.name}{' '}
            <span className="muted small">{summary({ kind, ...o })}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function RelatedObjects({ obj }: { obj: KubeObject }) {
  const { catalog } = useAppState();
  const kind = obj.kind ?? '';
  const ns = obj.metadata?.namespace;
  const owners = obj.metadata?.ownerReferences ?? [];
  return (
    <div className="related-grid">
      {owners.length > 0 && (
        <div className="related">
          <h4>Owned by</h4>
          <ul>
            {owners.map((o) => {
              const info = resourceForKind(catalog, o.apiVersion, o.kind);
              return (
                <li key={o.uid}>
                  {o.kind} {info ? <Link to={detailPath(info.token, ns, o.name)}>{o.name}</Link> : o.name}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {kind === 'Deployment' && <DeploymentTree d={obj} catalog={catalog} />}
      {POD_OWNERS.has(kind) && <OwnedPods owner={obj} catalog={catalog} />}
      {kind === 'CronJob' && <OwnedJobs owner={obj} catalog={catalog} />}
      {kind === 'Service' && <ServiceTree svc={obj} catalog={catalog} />}
      {kind === 'Ingress' && <IngressServices ing={obj} catalog={catalog} />}
    </div>
  );
}

function DeploymentTree({ d, catalog }: { d: KubeObject; catalog: readonly ResourceInfo[] }) {
  const sel = matchLabelsSelector(d.spec?.selector);
  const rs = useLiveObjects(REPLICASETS, d.metadata?.namespace, { labelSelector: sel });
  const pods = useLiveObjects(PODS, d.metadata?.namespace, { labelSelector: sel });
  const mine = ownedBy([d], rs.items).sort((a, b) => Number(b.metadata?.annotations?.[REVISION] ?? 0) - Number(a.metadata?.annotations?.[REVISION] ?? 0));
  return (
    <>
      <ObjectLinks title="ReplicaSets" kind="ReplicaSet" items={mine} catalog={catalog} />
      <ObjectLinks title="Pods" kind="Pod" items={ownedBy(mine, pods.items)} catalog={catalog} />
    </>
  );
}

function OwnedPods({ owner, catalog }: { owner: KubeObject; catalog: readonly ResourceInfo[] }) {
  const sel = matchLabelsSelector(owner.spec?.selector);
  const pods = useLiveObjects(PODS, owner.metadata?.namespace, sel ? { labelSelector: sel } : {});
  return <ObjectLinks title="Pods" kind="Pod" items={ownedBy([owner], pods.items)} catalog={catalog} />;
}

function OwnedJobs({ owner, catalog }: { owner: KubeObject; catalog: readonly ResourceInfo[] }) {
  const jobs = useLiveObjects(JOBS, owner.metadata?.namespace);
  return <ObjectLinks title="Jobs" kind="Job" items={ownedBy([owner], jobs.items)} catalog={catalog} />;
}

function ServiceTree({ svc, catalog }: { svc: KubeObject; catalog: readonly ResourceInfo[] }) {
  const ns = svc.metadata?.namespace;
  const slices = useLiveObjects(ENDPOINTSLICES, ns, { labelSelector: `${SERVICE_NAME_LABEL}=${svc.metadata?.name ?? ''}` });
  const selector = Object.entries((svc.spec?.selector ?? {}) as Record<string, string>)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = useLiveObjects(PODS, ns, { labelSelector: selector, enabled: selector !== '' });
  const names = new Set(slicePodNames(slices.items));
  return (
    <>
      <ObjectLinks title="EndpointSlices" kind="EndpointSlice" items={slices.items} catalog={catalog} />
      <ObjectLinks title="Pods (endpoints)" kind="Pod" items={pods.items.filter((p) => names.has(p.metadata?.name ?? ''))} catalog={catalog} />
    </>
  );
}

function IngressServices({ ing, catalog }: { ing: KubeObject; catalog: readonly ResourceInfo[] }) {
  const svcs = useLiveObjects(SERVICES, ing.metadata?.namespace);
  const names = new Set(ingressServiceNames(ing));
  return <ObjectLinks title="Services" kind="Service" items={svcs.items.filter((s) => names.has(s.metadata?.name ?? ''))} catalog={catalog} />;
}
