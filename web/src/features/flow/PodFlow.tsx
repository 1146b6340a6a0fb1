// The pod's control-plane flow page: watches the pod, the events about it and the namespace's
// EndpointSlices, reads its ReplicaSet and Deployment and their events (again whenever the pod
// changes), and redraws the timeline (pod-timeline.ts) — so a pod created while the page is open
// shows the scheduler, kubelet and endpoint controller acting as it happens. Three watches only:
// browsers allow six HTTP/1.1 connections per origin and the header's namespace list holds one.
import { useMemo } from 'react';
import { DEPLOYMENTS, ENDPOINTSLICES, EVENTS, PODS, REPLICASETS, pathFor, withQuery } from '../../api/paths.ts';
import type { KubeList, KubeObject } from '../../api/objects.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { deploymentFlowPath, detailPath } from '../../lib/links.ts';
import { Link } from '../../router.tsx';
import { useLiveObject } from '../detail/use-live-object.ts';
import { useLiveObjects } from '../detail/use-live-objects.ts';
import { buildPodTimeline, controllerOf } from './pod-timeline.ts';
import type { Actor, KubeEvent } from './steps.ts';
import { ActorLegend, Timeline } from './Timeline.tsx';
import { useFetched } from './use-fetched.ts';
import { useObservedEndpoints } from './use-observed-endpoints.ts';

const ACTORS: Actor[] = ['you', 'deployment-controller', 'replicaset-controller', 'scheduler', 'kubelet', 'endpointslice-controller'];

const eventsPath = (ns: string, uid: string | undefined): string | null => (uid ? withQuery(pathFor(EVENTS, ns), { fieldSelector: `involvedObject.uid=${uid}` }) : null);
const NONE: KubeEvent[] = [];

export function PodFlow({ ns, name }: { ns: string; name: string }) {
  const pod = useLiveObject(PODS, ns, name);
  const podUid = pod.obj?.metadata?.uid;
  const podEvents = useLiveObjects(EVENTS, ns, { fieldSelector: `involvedObject.uid=${podUid ?? ''}`, enabled: !!podUid }).items as KubeEvent[];
  const slices = useLiveObjects(ENDPOINTSLICES, ns);
  // The owners and their events are read again whenever the pod changes.
  const refresh = pod.obj?.metadata?.resourceVersion ?? '';
  const rsName = controllerOf(pod.obj ?? undefined, 'ReplicaSet');
  const rs = { obj: useFetched<KubeObject>(rsName ? pathFor(REPLICASETS, ns, rsName) : null, refresh).data };
  const dName = controllerOf(rs.obj, 'Deployment');
  const dep = { obj: useFetched<KubeObject>(dName ? pathFor(DEPLOYMENTS, ns, dName) : null, refresh).data };
  const rsEvents = useFetched<KubeList<KubeEvent>>(eventsPath(ns, rs.obj?.metadata?.uid), refresh).data?.items ?? NONE;
  const depEvents = useFetched<KubeList<KubeEvent>>(eventsPath(ns, dep.obj?.metadata?.uid), refresh).data?.items ?? NONE;
  const observed = useObservedEndpoints(slices.items, slices.loaded, pod.obj?.metadata?.uid);

  const steps = useMemo(
    () =>
      pod.obj
        ? buildPodTimeline({
            pod: pod.obj,
            ...(rs.obj ? { replicaSet: rs.obj } : {}),
            ...(dep.obj ? { deployment: dep.obj } : {}),
            events: [...podEvents, ...rsEvents, ...depEvents],
            slices: slices.items,
            observed,
          })
        : [],
    [pod.obj, rs.obj, dep.obj, podEvents, rsEvents, depEvents, slices.items, observed],
  );

  if (pod.error) return <ErrorBanner error={pod.error} />;
  if (!pod.obj) return <p className="muted">Loading pod {name}…</p>;
  return (
    <div data-testid="pod-flow">
      <h2>How {name} came to be</h2>
      <p className="flow-intro muted">
        Each step is read from the objects themselves — creation times, the events each component wrote, condition transition times, container start
        times and the Service's EndpointSlices — and the page follows them live. Kubernetes records whole seconds, so steps in the same second are
        shown in the order the control plane takes them.
        {dName ? (
          <>
            {' '}
            See also the <Link to={deploymentFlowPath(ns, dName)}>rollout of Deployment {dName}</Link>.
          </>
        ) : null}
      </p>
      {pod.deleted ? (
        <div className="banner warn" data-testid="flow-deleted">
          The pod has been deleted; this is its last known state.
        </div>
      ) : null}
      {slices.error ? <ErrorBanner error={slices.error} /> : null}
      <ActorLegend actors={ACTORS} />
      <Timeline steps={steps} />
      <p className="small muted">
        Node: {String((pod.obj.spec as { nodeName?: string } | undefined)?.nodeName ?? 'not assigned yet')}
        {rs.obj ? (
          <>
            {' · '}ReplicaSet <Link to={detailPath('replicasets', ns, rsName ?? '')}>{rsName}</Link>
          </>
        ) : null}
      </p>
    </div>
  );
}
