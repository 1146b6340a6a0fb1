// Where a pod's streaming request goes, decided as Kubernetes' pod registry does it: the
// container is named or the pod's only one, and must exist in the pod; the pod must be bound to a
// node; the node's agent is reached at its InternalIP (else ExternalIP, else Hostname) on the
// port it publishes in status.daemonEndpoints.kubeletEndpoint. Also checks PodLogOptions.
import type { Node, Pod } from '../../api/core/v1/index.js';
import { badRequest, StatusError } from '../../lib/errors.js';
import type { Registry } from '../registry/registry.js';

export const DEFAULT_KUBELET_PORT = 10250;

export interface AgentLocation {
  host: string;
  port: number;
  nodeName: string;
}

export async function getPod(registry: Registry, namespace: string, name: string): Promise<Pod> {
  return (await registry.byGroupKind('', 'Pod').reader.get(namespace, name)) as Pod;
}

type Named = { name: string };

/** The container a request means: as given, or the only container of the pod. */
export function resolveContainer(pod: Pod, given: string | null): string {
  const name = pod.metadata?.name ?? '';
  const containers: Named[] = pod.spec?.containers ?? [];
  const inits: Named[] = pod.spec?.initContainers ?? [];
  const ephemeral: Named[] = (pod.spec as { ephemeralContainers?: Named[] } | undefined)?.ephemeralContainers ?? [];
  if (!given) {
    const only = containers.length === 1 ? containers[0] : undefined;
    if (only) return only.name;
    let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`;
    if (inits.length) msg += ` or one of the init containers: [${inits.map((c) => c.name).join(' ')}]`;
    if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.map((c) => c.name).join(' ')}]`;
    throw badRequest(msg);
  }
  if (![...containers, ...inits, ...ephemeral].some((c) => c.name === given)) throw badRequest(`container ${given} is not valid for pod ${name}`);
  return given;
}

/** The agent endpoint of the node a pod runs on; undefined when the pod is not scheduled. */
export async function locateAgent(registry: Registry, pod: Pod): Promise<AgentLocation | undefined> {
  const nodeName = pod.spec?.nodeName ?? '';
  if (!nodeName) return undefined;
  const node = (await registry.byGroupKind('', 'Node').reader.get(undefined, nodeName)) as Node;
  const addrs = node.status?.addresses ?? [];
  const pick = (type: string): string | undefined => addrs.find((a) => a.type === type)?.address;
  const host = pick('InternalIP') ?? pick('ExternalIP') ?? pick('Hostname');
  if (!host) throw new StatusError('ServiceUnavailable', `node "${nodeName}" has no address to reach its agent`);
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT;
  return { host, port, nodeName };
}

const intParam = (q: URLSearchParams, name: string): number | undefined => {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`${name}: invalid value ${JSON.stringify(v)}: must be an integer`);
  return n;
};

/** PodLogOptions validation, with Kubernetes' field paths and wording. */
export function validateLogOptions(q: URLSearchParams, name: string): void {
  const causes: { field: string; message: string }[] = [];
  const tail = intParam(q, 'tailLines');
  if (tail !== undefined && tail < 0) causes.push({ field: 'tailLines', message: 'must be greater than or equal to 0' });
  const limit = intParam(q, 'limitBytes');
  if (limit !== undefined && limit < 1) causes.push({ field: 'limitBytes', message: 'must be greater than 0' });
  const since = intParam(q, 'sinceSeconds');
  if (since !== undefined && since < 1) causes.push({ field: 'sinceSeconds', message: 'must be greater than 0' });
  if (since !== undefined && q.get('sinceTime')) causes.push({ field: '', message: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
  const sinceTime = q.get('sinceTime');
  if (sinceTime && Number.isNaN(Date.parse(sinceTime))) throw badRequest(`sinceTime: invalid value ${JSON.stringify(sinceTime)}`);
  if (causes.length === 0) return;
  const text = causes.map((c) => (c.field ? `${c.field}: Invalid value: ${c.message}` : c.message)).join(', ');
  throw new StatusError('Invalid', `PodLogOptions "${name}" is invalid: ${text}`, {
    details: { name, kind: 'PodLogOptions', causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: `Invalid value: ${c.message}`, field: c.field })) },
  });
}
