// How a pod came to be, rebuilt from the objects' own records: the owner chain's creation times
// (Deployment → ReplicaSet → Pod) and the controllers' events about them, the scheduler's
// Scheduled / FailedScheduling events, the kubelet's image and container events, the pod's
// condition transition times and container start times, and its place in its Services'
// EndpointSlices. Everything comes from what the API already holds; the one thing it does not
// hold — when an endpoint joined a slice — is taken from the slice's trigger-time annotation or
// from when the dashboard saw it, and the step says which.
import type { KubeObject, Condition } from '../../api/objects.ts';
import { eventActor, eventRepeat, eventStart, eventsAbout, isWarning, orderSteps, type FlowStep, type KubeEvent, type Stage } from './steps.ts';

export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface ContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: { reason?: string; exitCode?: number; startedAt?: string; finishedAt?: string };
}

interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface PodStatus {
  phase?: string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  podIP?: string;
  hostIP?: string;
}

interface Endpoint {
  addresses?: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  targetRef?: { kind?: string; name?: string; uid?: string; namespace?: string };
  nodeName?: string;
}

export interface PodFlowInput {
  pod: KubeObject;
  /** The pod's controlling ReplicaSet and that one's Deployment, when they exist. */
  replicaSet?: KubeObject;
  deployment?: KubeObject;
  /** Events of the namespace (or just those about the objects above); filtered here. */
  events: Iterable<KubeEvent>;
  /** EndpointSlices of the namespace; the ones naming the pod are used. */
  slices: Iterable<KubeObject>;
  /**
   * When the dashboard's watch first saw the pod in a slice, keyed by `sliceUid/podUid`; only for
   * changes seen live (not ones already there when the page loaded).
   */
  observed?: ReadonlyMap<string, string>;
}

type Draft = FlowStep & { rv?: string };

const podStatus = (pod: KubeObject): PodStatus => (pod.status ?? {}) as PodStatus;
const nameOf = (o: KubeObject | undefined): string => o?.metadata?.name ?? '';

/** The reasons this timeline reads specially; any other event about the pod is shown as it is. */
const POD_EVENT_STAGE: Record<string, Stage> = {
  Scheduled: 'schedule',
  FailedScheduling: 'schedule',
  Pulling: 'image',
  Pulled: 'image',
  Created: 'container-created',
  Started: 'container-started',
};

const POD_EVENT_TITLE: Record<string, (ev: KubeEvent) => string> = {
  Scheduled: (ev) => {
    const node = /\bto (\S+)$/.exec(ev.message ?? '')?.[1];
    return node ? `Scheduled to node ${node}` : 'Scheduled';
  },
  FailedScheduling: () => 'Not schedulable yet',
  Pulling: (ev) => `Pulling image ${/"([^"]+)"/.exec(ev.message ?? '')?.[1] ?? ''}`.trim(),
  Pulled: (ev) => (/already present/.test(ev.message ?? '') ? `Image ${/"([^"]+)"/.exec(ev.message ?? '')?.[1] ?? ''} already on the node` : `Pulled image ${/"([^"]+)"/.exec(ev.message ?? '')?.[1] ?? ''}`),
  Created: (ev) => `Created container ${/container:?\s+(\S+)/.exec(ev.message ?? '')?.[1] ?? ''}`.trim(),
  Started: (ev) => `Started container ${/container:?\s+(\S+)/.exec(ev.message ?? '')?.[1] ?? ''}`.trim(),
};

function eventStep(ev: KubeEvent, o: { stage: Stage; title: string; object?: { kind: string; name: string }; detail?: string }): Draft {
  const start = eventStart(ev);
  const repeated = eventRepeat(ev);
  const detail = o.detail ?? ev.message;
  return {
    id: `event/${ev.metadata?.uid ?? ev.metadata?.name ?? ''}`,
    stage: o.stage,
    actor: eventActor(ev),
    title: o.title,
    ...(detail ? { detail } : {}),
    ...(start.at ? { at: start.at } : {}),
    source: start.source,
    ...(isWarning(ev) ? { warning: true } : {}),
    ...(repeated ? { repeated } : {}),
    ...(o.object ? { object: o.object } : {}),
    evidence: `event ${ev.reason ?? ''}${ev.source?.component ? ` from ${ev.source.component}` : ''}`,
    ...(ev.metadata?.resourceVersion ? { rv: ev.metadata.resourceVersion } : {}),
  };
}

function ownerSteps(input: PodFlowInput, events: KubeEvent[]): Draft[] {
  const out: Draft[] = [];
  const { deployment: d, replicaSet: rs, pod } = input;
  const podName = nameOf(pod);
  const podCreated = Date.parse(pod.metadata?.creationTimestamp ?? '');
  if (d) {
    out.push({
      id: 'deployment/created',
      stage: 'deployment',
      actor: 'you',
      title: `Deployment ${nameOf(d)} created`,
      detail: 'The API server validated the object, stored it and told every watcher.',
      ...(d.metadata?.creationTimestamp ? { at: d.metadata.creationTimestamp } : {}),
      source: d.metadata?.creationTimestamp ? 'second' : 'none',
      object: { kind: 'Deployment', name: nameOf(d) },
      evidence: 'Deployment metadata.creationTimestamp',
    });
    // The scale-up that asked for this pod: the newest one of its ReplicaSet not after the pod.
    const ups = eventsAbout(events, d, 'Deployment')
      .filter((ev) => ev.reason === 'ScalingReplicaSet' && rs && (ev.message ?? '').includes(` ${nameOf(rs)} `) && /Scaled up/.test(ev.message ?? ''))
      .filter((ev) => !(Date.parse(eventStart(ev).at ?? '') > podCreated));
    const last = ups.sort((a, b) => Date.parse(eventStart(a).at ?? '') - Date.parse(eventStart(b).at ?? '') || Number(a.metadata?.resourceVersion) - Number(b.metadata?.resourceVersion)).at(-1);
    if (last) out.push(eventStep(last, { stage: 'scale', title: `Deployment controller scaled up ReplicaSet ${nameOf(rs)}`, object: { kind: 'ReplicaSet', name: nameOf(rs) } }));
  }
  if (rs) {
    out.push({
      id: 'replicaset/created',
      stage: 'replicaset',
      actor: d ? 'deployment-controller' : 'you',
      title: `ReplicaSet ${nameOf(rs)} created`,
      detail: d ? `Revision ${rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '?'} of the Deployment's pod template.` : 'Created directly, not by a Deployment.',
      ...(rs.metadata?.creationTimestamp ? { at: rs.metadata.creationTimestamp } : {}),
      source: rs.metadata?.creationTimestamp ? 'second' : 'none',
      object: { kind: 'ReplicaSet', name: nameOf(rs) },
      evidence: 'ReplicaSet metadata.creationTimestamp',
    });
    const made = eventsAbout(events, rs, 'ReplicaSet').find((ev) => ev.reason === 'SuccessfulCreate' && new RegExp(`\\b${escape(podName)}$`).test(ev.message ?? ''));
    if (made) out.push(eventStep(made, { stage: 'create-pod', title: `ReplicaSet controller created pod ${podName}`, object: { kind: 'ReplicaSet', name: nameOf(rs) } }));
  }
  return out;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const CONDITION_STEPS: { type: string; stage: Stage; title: string; actor: FlowStep['actor']; detail: string }[] = [
  { type: 'PodScheduled', stage: 'schedule', title: 'Condition PodScheduled', actor: 'scheduler', detail: 'The binding to a node was written.' },
  { type: 'PodReadyToStartContainers', stage: 'sandbox', title: 'Sandbox ready (PodReadyToStartContainers)', actor: 'kubelet', detail: 'The pod sandbox runs and its network is set up.' },
  { type: 'Initialized', stage: 'initialized', title: 'Condition Initialized', actor: 'kubelet', detail: 'All init containers finished.' },
  { type: 'ContainersReady', stage: 'containers-ready', title: 'Condition ContainersReady', actor: 'kubelet', detail: 'Every container is running and passes its readiness probe.' },
  { type: 'Ready', stage: 'ready', title: 'Pod Ready', actor: 'kubelet', detail: 'The pod can serve: Services may send it traffic.' },
];

function conditionSteps(pod: KubeObject): Draft[] {
  const conds = podStatus(pod).conditions ?? [];
  const out: Draft[] = [];
  for (const c of CONDITION_STEPS) {
    const cond = conds.find((x) => x.type === c.type);
    if (!cond) continue;
    const ok = cond.status === 'True';
    const why = [cond.reason, cond.message].filter(Boolean).join(': ');
    out.push({
      id: `condition/${c.type}`,
      stage: c.stage,
      actor: c.actor,
      title: ok ? c.title : `${c.title}: ${cond.status}`,
      detail: ok ? c.detail : why || `Not yet (${cond.status}).`,
      ...(cond.lastTransitionTime ? { at: cond.lastTransitionTime } : {}),
      source: cond.lastTransitionTime ? 'second' : 'none',
      ...(ok ? {} : { warning: cond.status === 'False' && !!cond.reason }),
      evidence: `status.conditions[${c.type}].lastTransitionTime`,
    });
  }
  return out;
}

function containerSteps(pod: KubeObject): Draft[] {
  const st = podStatus(pod);
  const out: Draft[] = [];
  for (const cs of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) {
    const run = cs.state?.running;
    if (run?.startedAt)
      out.push({
        id: `container/${cs.name}/running`,
        stage: 'container-started',
        actor: 'kubelet',
        title: `Container ${cs.name} running`,
        detail: `${cs.restartCount ? `After ${cs.restartCount} restart${cs.restartCount > 1 ? 's' : ''}. ` : ''}Its process started at this time.`,
        at: run.startedAt,
        source: 'second',
        evidence: `status.containerStatuses[${cs.name}].state.running.startedAt`,
      });
    const waiting = cs.state?.waiting;
    if (waiting?.reason && waiting.reason !== 'ContainerCreating')
      out.push({ id: `container/${cs.name}/waiting`, stage: 'later', actor: 'kubelet', title: `Container ${cs.name} waiting: ${waiting.reason}`, ...(waiting.message ? { detail: waiting.message } : {}), source: 'none', warning: true, evidence: `status.containerStatuses[${cs.name}].state.waiting` });
    const last = cs.lastState?.terminated ?? cs.state?.terminated;
    if (last?.finishedAt)
      out.push({
        id: `container/${cs.name}/terminated/${last.finishedAt}`,
        stage: 'later',
        actor: 'kubelet',
        title: `Container ${cs.name} exited (${last.reason ?? 'exit'} ${last.exitCode ?? ''})`.replace(' )', ')'),
        at: last.finishedAt,
        source: 'second',
        ...(last.exitCode ? { warning: true } : {}),
        evidence: `status.containerStatuses[${cs.name}].${cs.lastState?.terminated ? 'lastState' : 'state'}.terminated.finishedAt`,
      });
  }
  return out;
}

function podEventSteps(pod: KubeObject, events: KubeEvent[]): Draft[] {
  return eventsAbout(events, pod, 'Pod').map((ev) => {
    const reason = ev.reason ?? '';
    const stage = POD_EVENT_STAGE[reason] ?? 'later';
    const title = POD_EVENT_TITLE[reason]?.(ev) ?? reason;
    return eventStep(ev, { stage, title });
  });
}

function sliceSteps(input: PodFlowInput): Draft[] {
  const pod = input.pod;
  const uid = pod.metadata?.uid;
  const name = nameOf(pod);
  const out: Draft[] = [];
  for (const slice of input.slices) {
    const eps = ((slice.endpoints ?? []) as Endpoint[]).filter((e) => e.targetRef?.kind === 'Pod' && (e.targetRef.uid && uid ? e.targetRef.uid === uid : e.targetRef.name === name));
    if (eps.length === 0) continue;
    const ep = eps[0] as Endpoint;
    const svc = slice.metadata?.labels?.[SERVICE_NAME_LABEL] ?? '?';
    const sliceName = nameOf(slice);
    const ready = ep.conditions?.ready !== false;
    const seen = input.observed?.get(`${slice.metadata?.uid ?? sliceName}/${uid ?? name}`);
    const trigger = slice.metadata?.annotations?.[TRIGGER_TIME_ANNOTATION];
    const addr = (ep.addresses ?? []).join(', ');
    const what = ready ? 'ready: receives Service traffic' : ep.conditions?.terminating ? 'terminating: no new traffic' : 'not ready: no traffic yet';
    let when: Pick<FlowStep, 'at' | 'source'> & { note: string };
    if (seen) when = { at: seen, source: 'observed', note: 'Time observed by this dashboard over its watch: the API keeps no time per endpoint.' };
    else if (trigger) when = { at: trigger, source: 'trigger', note: "The API keeps no time per endpoint; this is the slice's last-change-trigger-time, the pod or Service change its latest update reacted to." };
    else when = { source: 'none', note: 'The API keeps no time per endpoint and the slice carries no trigger time.' };
    out.push({
      id: `endpointslice/${slice.metadata?.uid ?? sliceName}`,
      stage: 'endpoints',
      actor: 'endpointslice-controller',
      title: `In Service ${svc}'s endpoints (${ready ? 'ready' : 'not ready'})`,
      detail: `EndpointSlice ${sliceName}: ${addr ? `${addr} ` : ''}${what}. ${when.note}`,
      ...(when.at ? { at: when.at } : {}),
      source: when.source,
      object: { kind: 'EndpointSlice', name: sliceName },
      evidence: seen ? 'EndpointSlice watch (observed)' : trigger ? `EndpointSlice annotation ${TRIGGER_TIME_ANNOTATION}` : 'EndpointSlice endpoints[].targetRef',
    });
  }
  return out;
}

export function buildPodTimeline(input: PodFlowInput): FlowStep[] {
  const events = [...input.events];
  const pod = input.pod;
  const steps: Draft[] = [
    ...ownerSteps(input, events),
    {
      id: 'pod/created',
      stage: 'pod',
      actor: input.replicaSet ? 'replicaset-controller' : 'you',
      title: `Pod ${nameOf(pod)} stored by the API server`,
      detail: 'Pending: no node yet. The scheduler watches for pods like this one.',
      ...(pod.metadata?.creationTimestamp ? { at: pod.metadata.creationTimestamp } : {}),
      source: pod.metadata?.creationTimestamp ? 'second' : 'none',
      object: { kind: 'Pod', name: nameOf(pod) },
      evidence: 'Pod metadata.creationTimestamp',
    },
    ...podEventSteps(pod, events),
    ...conditionSteps(pod),
    ...containerSteps(pod),
    ...sliceSteps(input),
  ];
  if (pod.metadata?.deletionTimestamp)
    steps.push({
      id: 'pod/deleting',
      stage: 'deletion',
      actor: 'api-server',
      title: 'Deletion requested',
      detail: 'The kubelet stops the containers within the grace period, then the pod object goes away.',
      at: pod.metadata.deletionTimestamp,
      source: 'second',
      evidence: 'Pod metadata.deletionTimestamp (the end of the grace period)',
    });
  return orderSteps(steps);
}

/** The pod's controlling owner of a kind, if any (ReplicaSet of a pod, Deployment of a ReplicaSet). */
export function controllerOf(obj: KubeObject | undefined, kind: string): string | undefined {
  return obj?.metadata?.ownerReferences?.find((r) => r.kind === kind && r.controller !== false)?.name;
}
