// The downward API: the pod fields and container resource values a pod may read about itself,
// through env vars (fieldRef, resourceFieldRef) and downwardAPI/projected volume files. Values are
// formatted as Kubernetes formats them: labels and annotations as sorted `key="value"` lines,
// IP lists comma-joined, and resources as integers rounded up in units of the divisor (an unset
// limit reads as the node's allocatable amount).
import type { Pod } from '../../../api/core/v1/index.js';
import { parseQuantity } from '../../../lib/quantity.js';
import type { PodContainer } from '../pod-config.js';

/** What the pod's status would say about addresses, known to the kubelet before it writes it. */
export interface PodAddresses {
  podIPs: string[];
  hostIPs: string[];
}

export class FieldRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldRefError';
  }
}

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.*)'\]$/;

/** `k="v"` lines sorted by key, with values quoted as Go's %q does for printable text. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m?.[k] ?? '')}`)
    .join('\n');
}

/** The value of a fieldRef path for this pod. */
export function podFieldValue(pod: Pod, fieldPath: string, addrs: PodAddresses): string {
  const m = pod.metadata ?? {};
  const sub = SUBSCRIPT.exec(fieldPath);
  if (sub) {
    const map = sub[1] === 'labels' ? m.labels : m.annotations;
    return map?.[sub[2] ?? ''] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'metadata.labels':
      return formatMap(m.labels);
    case 'metadata.annotations':
      return formatMap(m.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return addrs.hostIPs[0] ?? '';
    case 'status.hostIPs':
      return addrs.hostIPs.join(',');
    case 'status.podIP':
      return addrs.podIPs[0] ?? '';
    case 'status.podIPs':
      return addrs.podIPs.join(',');
    default:
      throw new FieldRefError(`unsupported fieldPath: ${fieldPath}`);
  }
}

export interface ResourceRef {
  containerName?: string;
  resource: string;
  divisor?: string | number;
}

/**
 * The value of a resourceFieldRef: the container's request or limit divided by the divisor and
 * rounded up (cpu limits of 250m read as "1" with the default divisor, "250" with divisor 1m).
 */
export function resourceFieldValue(o: { pod: Pod; container: PodContainer | undefined; ref: ResourceRef; allocatable: Record<string, string> }): string {
  const c = o.ref.containerName ? [...(o.pod.spec?.containers ?? []), ...(o.pod.spec?.initContainers ?? [])].find((x) => x.name === o.ref.containerName) : o.container;
  if (!c) throw new FieldRefError(`container "${o.ref.containerName ?? ''}" not found in pod`);
  const dot = o.ref.resource.indexOf('.');
  const kind = o.ref.resource.slice(0, dot);
  const name = o.ref.resource.slice(dot + 1);
  if (dot < 0 || (kind !== 'limits' && kind !== 'requests')) throw new FieldRefError(`unsupported container resource: ${o.ref.resource}`);
  let raw = kind === 'limits' ? c.resources?.limits?.[name] : c.resources?.requests?.[name];
  if (raw === undefined && kind === 'limits') raw = o.allocatable[name];
  const value = raw === undefined ? 0 : (parseQuantity(raw)?.value ?? 0);
  const divisor = o.ref.divisor === undefined ? 1 : (parseQuantity(o.ref.divisor)?.value ?? 1);
  if (divisor <= 0) throw new FieldRefError(`invalid divisor for ${o.ref.resource}`);
  // A tiny tolerance keeps 0.1/0.001 (= 100.00000000000001) from rounding up to 101.
  return String(Math.ceil(value / divisor - 1e-9));
}
