// The nodes table: STATUS from the Ready condition (plus SchedulingDisabled when cordoned), ROLES
// from node-role.kubernetes.io/<role> labels, the kubelet VERSION, and with -o wide the node's
// addresses and what it runs.
import type { ApiObject } from '../../../api/kind.js';
import { since } from '../duration.js';
import { AGE, NAME, column, createdOf, nameOf, sortedUnique, view, wide, type WithMeta } from '../columns.js';
import type { Cell, Printer } from '../types.js';

interface Node extends WithMeta {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: { type?: string; status?: string }[];
    addresses?: { type?: string; address?: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
  };
}

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE = 'kubernetes.io/role';

function nodeStatus(node: Node): string {
  // Only the Ready condition decides; a Ready condition that is Unknown still reads NotReady.
  const ready = node.status?.conditions?.filter((c) => c.type === 'Ready').at(-1);
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function roles(node: Node): string {
  const found: string[] = [];
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) found.push(k.slice(ROLE_PREFIX.length));
    else if (k === LEGACY_ROLE && v !== '') found.push(v);
  }
  return found.length > 0 ? sortedUnique(found).join(',') : '<none>';
}

const address = (node: Node, type: string): string =>
  node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';

const orUnknown = (s: string | undefined): string => (s ? s : '<unknown>');

export const nodes: Printer = {
  columns: [
    NAME,
    column('Status', 'string', 'Ready or NotReady from the Ready condition; SchedulingDisabled when cordoned.'),
    column('Roles', 'string', 'Roles from node-role.kubernetes.io/<role> labels.'),
    AGE,
    column('Version', 'string', 'Kubelet version reported by the node.'),
    wide('Internal-IP', 'string', 'First InternalIP address of the node.'),
    wide('External-IP', 'string', 'First ExternalIP address of the node.'),
    wide('OS-Image', 'string', 'Operating system image reported by the node.'),
    wide('Kernel-Version', 'string', 'Kernel version reported by the node.'),
    wide('Container-Runtime', 'string', 'Container runtime name and version reported by the node.'),
  ],
  cells(obj: ApiObject, now: Date): Cell[] {
    const node = view<Node>(obj);
    const info = node.status?.nodeInfo ?? {};
    return [
      nameOf(node),
      nodeStatus(node),
      roles(node),
      since(createdOf(node), now),
      info.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      orUnknown(info.osImage),
      orUnknown(info.kernelVersion),
      orUnknown(info.containerRuntimeVersion),
    ];
  },
};
