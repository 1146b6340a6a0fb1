// The vocabulary of a control-plane flow timeline: a step (what happened, who did it, when, and
// how sure that time is), the order steps take when Kubernetes' whole-second timestamps tie, and
// readers for the Event fields the steps are built from. Pure data and functions, shared by the
// pod and rollout timelines.
import type { KubeObject } from '../../api/objects.ts';

/** The components a learner meets in the textbook diagram, in the order a pod passes them. */
export type Actor = 'you' | 'api-server' | 'deployment-controller' | 'replicaset-controller' | 'scheduler' | 'kubelet' | 'endpointslice-controller' | 'other';

/**
 * Where a step's time comes from. `second`: an object's own timestamp (Kubernetes keeps whole
 * seconds). `precise`: a timestamp with sub-second digits (an event's eventTime). `trigger`: the
 * EndpointSlice's last-change-trigger-time, i.e. the change the controller reacted to, not the
 * write itself. `observed`: when this dashboard saw the change over its watch, because the API
 * records no time for it. `none`: no time known.
 */
export type TimeSource = 'second' | 'precise' | 'trigger' | 'observed' | 'none';

export interface FlowStep {
  /** Stable across re-renders of the same timeline (React key, test hook). */
  id: string;
  /** Coarse stage; ties at the same time sort by it (see STAGE_ORDER). */
  stage: Stage;
  actor: Actor;
  title: string;
  detail?: string;
  /** ISO time, absent when unknown. */
  at?: string;
  source: TimeSource;
  /** A Warning event or a failure the user should notice. */
  warning?: boolean;
  /** How many times an event says it happened (count > 1), and when it last did. */
  repeated?: { count: number; last?: string };
  /** The object the step is about, for links ("ReplicaSet web-7d4f"). */
  object?: { kind: string; name: string };
  /** Where the fact was read, for the curious ("event Scheduled", "status.conditions[Ready]"). */
  evidence: string;
}

export type Stage =
  | 'deployment'
  | 'replicaset'
  | 'scale'
  | 'create-pod'
  | 'pod'
  | 'schedule'
  | 'sandbox'
  | 'initialized'
  | 'image'
  | 'container-created'
  | 'container-started'
  | 'containers-ready'
  | 'ready'
  | 'endpoints'
  | 'later'
  | 'deletion';

/** The causal order of the stages: the order a pod goes through them when all share one second. */
export const STAGE_ORDER: readonly Stage[] = [
  'deployment',
  'replicaset',
  'scale',
  'create-pod',
  'pod',
  'schedule',
  'sandbox',
  'initialized',
  'image',
  'container-created',
  'container-started',
  'containers-ready',
  'ready',
  'endpoints',
  'later',
  'deletion',
];

const RANK = new Map(STAGE_ORDER.map((s, i) => [s, i]));

export interface KubeEvent extends KubeObject {
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  series?: { count?: number; lastObservedTime?: string };
}

/** When an event first happened: eventTime (precise) if the reporter set it, else firstTimestamp. */
export function eventStart(ev: KubeEvent): { at?: string; source: TimeSource } {
  if (ev.eventTime) return { at: ev.eventTime, source: /\.\d/.test(ev.eventTime) ? 'precise' : 'second' };
  const t = ev.firstTimestamp ?? ev.lastTimestamp ?? ev.metadata?.creationTimestamp;
  return t ? { at: t, source: 'second' } : { source: 'none' };
}

export function eventRepeat(ev: KubeEvent): FlowStep['repeated'] {
  const count = ev.series?.count ?? ev.count ?? 1;
  if (count <= 1) return undefined;
  const last = ev.series?.lastObservedTime ?? ev.lastTimestamp ?? undefined;
  return last ? { count, last } : { count };
}

/** The component that wrote an event, mapped onto the textbook's actors. */
export function eventActor(ev: KubeEvent): Actor {
  const c = (ev.reportingComponent || ev.source?.component || '').toLowerCase();
  if (c.includes('schedul')) return 'scheduler';
  if (c.includes('kubelet')) return 'kubelet';
  if (c.includes('deployment')) return 'deployment-controller';
  if (c.includes('replicaset') || c.includes('replica-set')) return 'replicaset-controller';
  if (c.includes('endpoint')) return 'endpointslice-controller';
  return 'other';
}

export const isWarning = (ev: KubeEvent): boolean => ev.type === 'Warning';

/** Events about one object: matched by uid when the event has one, else by kind and name. */
export function eventsAbout(events: Iterable<KubeEvent>, obj: KubeObject | undefined, kind: string): KubeEvent[] {
  if (!obj?.metadata) return [];
  const { uid, name } = obj.metadata;
  const out: KubeEvent[] = [];
  for (const ev of events) {
    const io = ev.involvedObject;
    if (!io) continue;
    if (io.uid && uid ? io.uid === uid : io.kind === kind && io.name === name) out.push(ev);
  }
  return out;
}

/** A sortable resourceVersion (our store's global revision), for ties between events. */
function revision(step: { rv?: string }): number {
  const n = Number(step.rv);
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/**
 * Orders steps by time, and steps in the same second (or without a time) by causal stage, then by
 * the order they were written. Untimed steps sit where their stage puts them among the timed ones.
 */
export function orderSteps<S extends FlowStep>(steps: readonly (S & { rv?: string })[]): S[] {
  type D = S & { rv?: string };
  const timed = steps.filter((s) => s.at !== undefined && !Number.isNaN(Date.parse(s.at)));
  const untimed = steps.filter((s) => !timed.includes(s));
  const sec = (s: D): number => Math.floor(Date.parse(s.at ?? '') / 1000);
  const cmp = (a: D, b: D): number => (RANK.get(a.stage) ?? 0) - (RANK.get(b.stage) ?? 0) || revision(a) - revision(b) || Date.parse(a.at ?? '') - Date.parse(b.at ?? '');
  timed.sort((a, b) => sec(a) - sec(b) || cmp(a, b));
  const out: D[] = [...timed];
  for (const u of untimed.sort(cmp)) {
    const rank = RANK.get(u.stage) ?? 0;
    const i = out.findIndex((s) => (RANK.get(s.stage) ?? 0) > rank);
    if (i < 0) out.push(u);
    else out.splice(i, 0, u);
  }
  return out.map((d) => {
    const copy: D = { ...d };
    delete copy.rv;
    return copy;
  });
}
