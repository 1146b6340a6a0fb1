// A Deployment's rollout as the deployment controller carried it out: one ReplicaSet per pod
// template revision (the deployment.kubernetes.io/revision annotation), and the controller's
// ScalingReplicaSet events that move replicas from the old ReplicaSets to the new one step by
// step. Each scaling step also carries the replica counts of every ReplicaSet right after it,
// replayed from the events, so the page can draw the hand-over.
import type { KubeObject } from '../../api/objects.ts';
import { eventActor, eventRepeat, eventStart, eventsAbout, orderSteps, type FlowStep, type KubeEvent } from './steps.ts';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

export interface RolloutInput {
  deployment: KubeObject;
  /** ReplicaSets of the namespace (or just the Deployment's); the ones it controls are used. */
  replicaSets: Iterable<KubeObject>;
  events: Iterable<KubeEvent>;
}

export interface ScaleChange {
  replicaSet: string;
  direction: 'up' | 'down';
  from: number;
  to: number;
}

export interface RolloutStep extends FlowStep {
  /** For scaling steps: what changed, and every ReplicaSet's desired replicas right after. */
  change?: ScaleChange;
  after?: Record<string, number>;
}

export interface RevisionInfo {
  name: string;
  revision: number;
  images: string[];
  desired: number;
  ready: number;
  created?: string;
  current: boolean;
}

export interface Rollout {
  steps: RolloutStep[];
  revisions: RevisionInfo[];
}

/** Reads "Scaled up replica set web-7d4f from 1 to 3" (our controller's and Kubernetes' wording). */
export function parseScaling(message: string | undefined): ScaleChange | undefined {
  const m = /Scaled (up|down) replica set (\S+) from (\d+) to (\d+)/.exec(message ?? '');
  if (!m) return undefined;
  return { direction: m[1] === 'up' ? 'up' : 'down', replicaSet: m[2] ?? '', from: Number(m[3]), to: Number(m[4]) };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function revisionInfo(rs: KubeObject, newest: number): RevisionInfo {
  const spec = (rs.spec ?? {}) as { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
  const status = (rs.status ?? {}) as { readyReplicas?: number };
  const revision = Number(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;
  return {
    name: rs.metadata?.name ?? '',
    revision,
    images: (spec.template?.spec?.containers ?? []).map((c) => c.image ?? '').filter(Boolean),
    desired: num(spec.replicas),
    ready: num(status.readyReplicas),
    ...(rs.metadata?.creationTimestamp ? { created: rs.metadata.creationTimestamp } : {}),
    current: revision === newest && revision > 0,
  };
}

export function buildRolloutTimeline(input: RolloutInput): Rollout {
  const d = input.deployment;
  const uid = d.metadata?.uid;
  const owned = [...input.replicaSets].filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.kind === 'Deployment' && (uid ? r.uid === uid : r.name === d.metadata?.name)));
  const newest = Math.max(0, ...owned.map((rs) => Number(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0) || 0));
  const revisions = owned.map((rs) => revisionInfo(rs, newest)).sort((a, b) => a.revision - b.revision);
  const drafts: (RolloutStep & { rv?: string })[] = [];
  if (d.metadata?.creationTimestamp)
    drafts.push({ id: 'deployment/created', stage: 'deployment', actor: 'you', title: `Deployment ${d.metadata.name ?? ''} created`, at: d.metadata.creationTimestamp, source: 'second', evidence: 'Deployment metadata.creationTimestamp' });
  for (const r of revisions)
    drafts.push({
      id: `replicaset/${r.name}`,
      stage: 'replicaset',
      actor: 'deployment-controller',
      title: `Revision ${r.revision || '?'}: ReplicaSet ${r.name} created`,
      detail: r.images.length ? `Pod template with ${r.images.join(', ')}.` : 'A new pod template.',
      ...(r.created ? { at: r.created } : {}),
      source: r.created ? 'second' : 'none',
      object: { kind: 'ReplicaSet', name: r.name },
      evidence: `ReplicaSet metadata.creationTimestamp, annotation ${REVISION_ANNOTATION}`,
    });
  for (const ev of eventsAbout(input.events, d, 'Deployment')) {
    const change = parseScaling(ev.message);
    if (ev.reason !== 'ScalingReplicaSet' || !change) continue;
    const start = eventStart(ev);
    const repeated = eventRepeat(ev);
    drafts.push({
      id: `event/${ev.metadata?.uid ?? ev.metadata?.name ?? ''}`,
      stage: 'scale',
      actor: eventActor(ev) === 'other' ? 'deployment-controller' : eventActor(ev),
      title: `Scaled ${change.direction} ${change.replicaSet} from ${change.from} to ${change.to}`,
      ...(start.at ? { at: start.at } : {}),
      source: start.source,
      ...(repeated ? { repeated } : {}),
      object: { kind: 'ReplicaSet', name: change.replicaSet },
      evidence: 'event ScalingReplicaSet',
      change,
      ...(ev.metadata?.resourceVersion ? { rv: ev.metadata.resourceVersion } : {}),
    });
  }
  const steps = orderSteps(drafts);
  // Replay the scaling steps in order to know every ReplicaSet's size after each one.
  const changes = new Map(drafts.filter((s) => s.change).map((s) => [s.id, s.change as ScaleChange]));
  const sizes: Record<string, number> = Object.fromEntries(revisions.map((r) => [r.name, 0]));
  for (const s of steps) {
    const change = changes.get(s.id);
    if (!change) continue;
    s.change = change;
    sizes[change.replicaSet] = change.to;
    s.after = { ...sizes };
  }
  return { steps, revisions };
}
