// The pods table: READY, STATUS, RESTARTS, AGE (and IP, NODE, NOMINATED NODE, READINESS GATES
// with -o wide). STATUS is not a stored field: it is derived from the phase, the init containers
// and the containers' states in a fixed order, and users read it as the pod's health, so the
// derivation here follows Kubernetes' step by step (Init:1/2, Init:CrashLoopBackOff,
// PodInitializing, ErrImagePull, Completed, Terminating, ...).
import type { ApiObject } from '../../../api/kind.js';
import { humanDuration, parseTime, since } from '../duration.js';
import { AGE, NAME, column, createdOf, nameOf, view, wide, type WithMeta } from '../columns.js';
import type { Cell, Printer, TableRowCondition } from '../types.js';

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface Pod extends WithMeta {
  spec?: {
    nodeName?: string;
    containers?: { name?: string }[];
    initContainers?: { name?: string; restartPolicy?: string }[];
    readinessGates?: { conditionType?: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    nominatedNodeName?: string;
    podIP?: string;
    podIPs?: { ip?: string }[];
    conditions?: { type?: string; status?: string; reason?: string }[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}

/** Set on pods whose node stopped responding; such pods show Unknown while being deleted. */
const NODE_LOST = 'NodeLost';

const conditionTrue = (pod: Pod, type: string): boolean =>
  pod.status?.conditions?.find((c) => c.type === type)?.status === 'True';

/** Why a terminated container stopped: its reason, else the signal or exit code. */
function terminatedReason(t: NonNullable<ContainerState['terminated']>): string {
  if (t.reason) return t.reason;
  return t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
}

interface Restarts {
  count: number;
  /** When the most recent restart happened (the previous instance finished); 0 if unknown. */
  last: number;
}

function addRestarts(acc: Restarts, cs: ContainerStatus): void {
  acc.count += cs.restartCount ?? 0;
  const finished = parseTime(cs.lastState?.terminated?.finishedAt);
  if (finished !== undefined && finished > acc.last) acc.last = finished;
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** READY, STATUS and RESTARTS as `kubectl get pods` shows them. */
export function summarizePod(pod: Pod, now: Date): PodSummary {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  if (status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  // Sidecars (init containers that keep running) count towards READY like regular containers.
  const sidecars = new Set((spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const total = (spec.containers?.length ?? 0) + sidecars.size;
  let ready = 0;
  const all: Restarts = { count: 0, last: 0 };
  const sidecar: Restarts = { count: 0, last: 0 };

  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (const [i, cs] of inits.entries()) {
    addRestarts(all, cs);
    const isSidecar = sidecars.has(cs.name);
    if (isSidecar) addRestarts(sidecar, cs);
    const term = cs.state?.terminated;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    const waiting = cs.state?.waiting?.reason;
    if (term) reason = `Init:${terminatedReason(term)}`;
    else if (waiting && waiting !== 'PodInitializing') reason = `Init:${waiting}`;
    else reason = `Init:${i}/${spec.initContainers?.length ?? 0}`;
    initializing = true;
    break;
  }

  let restarts = all;
  if (!initializing || conditionTrue(pod, 'Initialized')) {
    // Once initialised, finished init containers no longer count; only sidecar restarts do.
    restarts = sidecar;
    let hasRunning = false;
    const containers = status.containerStatuses ?? [];
    // The first container in the list wins, so walk it backwards and let earlier ones overwrite.
    for (let i = containers.length - 1; i >= 0; i--) {
      const cs = containers[i] ?? {};
      addRestarts(restarts, cs);
      const st = cs.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated) reason = terminatedReason(st.terminated);
      else if (cs.ready && st.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === NODE_LOST) reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  const restartsText =
    restarts.count !== 0 && restarts.last !== 0
      ? `${restarts.count} (${humanDuration(now.getTime() - restarts.last)} ago)`
      : String(restarts.count);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const met = gates.filter((g) => pod.status?.conditions?.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${met}/${gates.length}`;
}

const orNone = (s: string | undefined): string => (s ? s : '<none>');

const COMPLETED: Record<string, TableRowCondition[]> = {
  Succeeded: [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'All containers of the pod exited successfully.' }],
  Failed: [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod stopped and at least one container failed.' }],
};

export const pods: Printer = {
  columns: [
    NAME,
    column('Ready', 'string', 'Ready containers out of all containers (sidecars included).'),
    column('Status', 'string', 'Summary of the pod phase and its containers\' states.'),
    column('Restarts', 'string', 'Container restarts in total, and how long ago the last one happened.'),
    AGE,
    wide('IP', 'string', 'The first IP address assigned to the pod.'),
    wide('Node', 'string', 'Node the pod is bound to.'),
    wide('Nominated Node', 'string', 'Node where the scheduler made room for the pod by preemption.'),
    wide('Readiness Gates', 'string', 'Readiness gates whose condition is True, out of all gates.'),
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const pod = view<Pod>(obj);
    const s = summarizePod(pod, now);
    const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP;
    return [
      nameOf(pod),
      s.ready,
      s.status,
      s.restarts,
      since(createdOf(pod), now),
      orNone(ip),
      orNone(pod.spec?.nodeName),
      orNone(pod.status?.nominatedNodeName),
      readinessGates(pod),
    ];
  },
  conditions(obj: ApiObject): TableRowCondition[] | undefined {
    return COMPLETED[view<Pod>(obj).status?.phase ?? ''];
  },
};
