// Resource arithmetic in the units the scheduler compares: CPU in millicores, memory and
// ephemeral storage in bytes, a pod count, and any extended resource (nvidia.com/gpu,
// hugepages-2Mi) as an integer. What a pod asks for follows Kubernetes' rules: containers add up,
// an init container needs its own peak (plus the sidecars started before it), sidecars
// (restartable init containers) keep running beside the app containers, and the runtime's pod
// overhead is added on top.
import { parseQuantity } from '../../lib/quantity.js';

export interface Resources {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  /** Allowed pods (allocatable) or pods counted (requested). */
  pods: number;
  /** Extended resources; undefined while there are none. */
  scalars: Record<string, number> | undefined;
}

export type ResourceList = Readonly<Record<string, string | number>> | undefined;

export const emptyResources = (): Resources => ({ milliCpu: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalars: undefined });

export const cloneResources = (r: Resources): Resources => ({ ...r, scalars: r.scalars ? { ...r.scalars } : undefined });

/** Defaults used for scoring when a container requests nothing, so empty pods still spread. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

// Manifests repeat the same few strings ("100m", "128Mi") across thousands of pods.
const parsed = new Map<string, number>();
function amount(q: string | number): number {
  if (typeof q === 'number') return q;
  let v = parsed.get(q);
  if (v === undefined) {
    v = parseQuantity(q)?.value ?? 0;
    if (parsed.size < 10_000) parsed.set(q, v);
  }
  return v;
}

/** Whole units rounded up, as Kubernetes' Quantity.Value does (the epsilon absorbs float noise). */
const whole = (v: number): number => Math.ceil(v - 1e-9);

/** Adds a ResourceList into `r`. */
export function addList(r: Resources, list: ResourceList): void {
  if (!list) return;
  for (const name in list) {
    const q = list[name];
    if (q === undefined) continue;
    const v = amount(q);
    switch (name) {
      case 'cpu':
        r.milliCpu += whole(v * 1000);
        break;
      case 'memory':
        r.memory += whole(v);
        break;
      case 'ephemeral-storage':
        r.ephemeralStorage += whole(v);
        break;
      case 'pods':
        r.pods += whole(v);
        break;
      default:
        (r.scalars ??= {})[name] = (r.scalars[name] ?? 0) + whole(v);
    }
  }
}

export function fromList(list: ResourceList): Resources {
  const r = emptyResources();
  addList(r, list);
  return r;
}

/** `into += r` (sign -1 subtracts). */
export function addInto(into: Resources, r: Resources, sign = 1): void {
  into.milliCpu += sign * r.milliCpu;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  into.pods += sign * r.pods;
  if (r.scalars) {
    const s = (into.scalars ??= {});
    for (const k in r.scalars) s[k] = (s[k] ?? 0) + sign * (r.scalars[k] ?? 0);
  }
}

/** `into = max(into, r)` per resource. */
export function maxInto(into: Resources, r: Resources): void {
  into.milliCpu = Math.max(into.milliCpu, r.milliCpu);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  if (r.scalars) {
    const s = (into.scalars ??= {});
    for (const k in r.scalars) s[k] = Math.max(s[k] ?? 0, r.scalars[k] ?? 0);
  }
}

export interface ContainerLike {
  resources?: { requests?: ResourceList };
  restartPolicy?: string;
}

export interface PodResourceSpec {
  containers?: readonly ContainerLike[];
  initContainers?: readonly ContainerLike[];
  overhead?: ResourceList;
}

/**
 * What a pod needs on a node. With `nonZero`, a container that leaves cpu or memory unset counts
 * the scoring defaults instead (only cpu and memory are returned meaningfully then).
 */
export function podRequests(spec: PodResourceSpec, opts: { nonZero?: boolean } = {}): Resources {
  const request = (c: ContainerLike): Resources => {
    const r = fromList(c.resources?.requests);
    if (opts.nonZero) {
      const req = c.resources?.requests;
      if (req?.cpu === undefined) r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
      if (req?.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
    }
    return r;
  };
  const total = emptyResources();
  for (const c of spec.containers ?? []) addInto(total, request(c));
  const sidecars = emptyResources();
  const initPeak = emptyResources();
  for (const c of spec.initContainers ?? []) {
    const r = request(c);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, r);
      maxInto(initPeak, sidecars);
    } else {
      addInto(r, sidecars);
      maxInto(initPeak, r);
    }
  }
  addInto(total, sidecars);
  maxInto(total, initPeak);
  addList(total, spec.overhead);
  return total;
}
