// Sorts workloads into Healthy / Progressing / Failing for the overview counts, from the same
// status fields `kubectl rollout status` and `kubectl get` read.
import type { Condition, KubeObject } from '../../api/objects.ts';

export type Health = 'healthy' | 'progressing' | 'failing';

const cond = (o: KubeObject, type: string): Condition | undefined => o.status?.conditions?.find((c) => c.type === type);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const FAILING_WAIT = new Set(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName', 'RunContainerError']);

export function podHealth(p: KubeObject): Health {
  const phase = p.status?.phase;
  if (phase === 'Failed') return 'failing';
  if (phase === 'Succeeded') return 'healthy';
  const statuses = (p.status?.containerStatuses ?? []) as { state?: { waiting?: { reason?: string } } }[];
  if (statuses.some((s) => FAILING_WAIT.has(s.state?.waiting?.reason ?? ''))) return 'failing';
  if (phase === 'Running' && cond(p, 'Ready')?.status === 'True') return 'healthy';
  return 'progressing';
}

export function workloadHealth(kind: string, o: KubeObject): Health {
  const s = o.status ?? {};
  const spec = o.spec ?? {};
  const current = num(s.observedGeneration) >= num(o.metadata?.generation);
  switch (kind) {
    case 'Pod':
      return podHealth(o);
    case 'Deployment': {
      if (cond(o, 'Progressing')?.status === 'False') return 'failing';
      const want = typeof spec.replicas === 'number' ? spec.replicas : 1;
      return current && num(s.updatedReplicas) >= want && num(s.availableReplicas) >= want && num(s.replicas) <= want ? 'healthy' : 'progressing';
    }
    case 'StatefulSet': {
      const want = typeof spec.replicas === 'number' ? spec.replicas : 1;
      return current && num(s.readyReplicas) >= want ? 'healthy' : 'progressing';
    }
    case 'DaemonSet':
      return current && num(s.numberAvailable) >= num(s.desiredNumberScheduled) && num(s.updatedNumberScheduled) >= num(s.desiredNumberScheduled) ? 'healthy' : 'progressing';
    case 'Job':
      if (cond(o, 'Failed')?.status === 'True') return 'failing';
      return cond(o, 'Complete')?.status === 'True' ? 'healthy' : 'progressing';
    default:
      return 'healthy';
  }
}

export type HealthCounts = Record<Health, number>;

export function countHealth(kind: string, objs: Iterable<KubeObject>): HealthCounts {
  const c: HealthCounts = { healthy: 0, progressing: 0, failing: 0 };
  for (const o of objs) c[workloadHealth(kind, o)]++;
  return c;
}
