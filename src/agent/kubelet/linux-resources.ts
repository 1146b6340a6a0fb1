// A container's requests and limits as cgroup settings, with Kubernetes' formulas: CPU shares
// from the CPU request (1024 per core, at least 2; a container that only limits CPU requests its
// limit), a CFS quota per 100 ms period from the CPU limit, the memory limit in bytes, and the
// OOM score adjustment of its QoS class — Guaranteed -997, BestEffort 1000, Burstable between 3
// and 999 by the share of the node's memory it requests — so the kernel kills best-effort work
// first. (The runtime may restrict the adjustment it applies; the kubelet passes it regardless.)
import type { Pod } from '../../api/core/v1/index.js';
import { parseQuantity } from '../../lib/quantity.js';
import type { ContainerConfig } from '../cri/index.js';
import type { PodContainer } from './pod-config.js';

type LinuxResources = NonNullable<NonNullable<ContainerConfig['linux']>['resources']>;
export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const MIN_SHARES = 2;
const MAX_SHARES = 262_144;
const SHARES_PER_CPU = 1024;
export const CPU_PERIOD_US = 100_000;
const MIN_QUOTA_US = 1_000;
const GUARANTEED_OOM_SCORE_ADJ = -997;
const BESTEFFORT_OOM_SCORE_ADJ = 1000;
const CRITICAL_PRIORITY_CLASSES = new Set(['system-node-critical']);

const amount = (q: string | number | undefined): number => (q === undefined ? 0 : (parseQuantity(q)?.value ?? 0));
const milli = (q: string | number | undefined): number => Math.round(amount(q) * 1000);

export function cpuShares(milliCPU: number): number {
  if (milliCPU <= 0) return MIN_SHARES;
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, Math.floor((milliCPU * SHARES_PER_CPU) / 1000)));
}

export function cpuQuota(milliCPU: number, periodUs = CPU_PERIOD_US): number {
  return Math.max(MIN_QUOTA_US, Math.floor((milliCPU * periodUs) / 1000));
}

/** Guaranteed when every container limits cpu and memory and requests equal limits; BestEffort when nothing is set. */
export function podQOS(pod: Pod): QOSClass {
  if (pod.status?.qosClass) return pod.status.qosClass as QOSClass;
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length > 0 || Object.keys(lim).length > 0) any = true;
    for (const r of ['cpu', 'memory']) if (lim[r] === undefined || (req[r] !== undefined && amount(req[r]) !== amount(lim[r]))) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function oomScoreAdj(pod: Pod, c: PodContainer, memoryCapacity: number): number {
  if (CRITICAL_PRIORITY_CLASSES.has(pod.spec?.priorityClassName ?? '')) return GUARANTEED_OOM_SCORE_ADJ;
  const qos = podQOS(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  const request = amount(c.resources?.requests?.memory);
  const adj = memoryCapacity > 0 ? 1000 - Math.trunc((1000 * request) / memoryCapacity) : 1000;
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BESTEFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

/** The container's cgroup settings; `memoryCapacity` is the node's memory in bytes. */
export function linuxResources(pod: Pod, c: PodContainer, memoryCapacity: number): LinuxResources {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuLimit = milli(lim.cpu);
  const cpuRequest = milli(req.cpu) || cpuLimit;
  const memLimit = Math.round(amount(lim.memory));
  return {
    cpuShares: cpuShares(cpuRequest),
    ...(cpuLimit > 0 ? { cpuPeriod: CPU_PERIOD_US, cpuQuota: cpuQuota(cpuLimit) } : {}),
    ...(memLimit > 0 ? { memoryLimitInBytes: memLimit } : {}),
    oomScoreAdj: oomScoreAdj(pod, c, memoryCapacity),
  };
}
