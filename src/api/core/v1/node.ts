// core/v1 Node: a machine that runs pods. The spec is small (pod CIDRs, provider id, taints,
// unschedulable); the kubelet fills the status (node-status.ts). Pod CIDRs and the provider id
// may be set once and never changed, because routes and cloud resources are built from them.
import { obj, str, bool, time, list, strList, enumStr, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { nodeKind as nodeKindNames } from '../../refs/index.js';
import { validateObjectMeta, checkFormat } from '../../validation/meta.js';
import { labelValue, qualifiedName } from '../../validation/names.js';
import { child, index, key, invalid, required, forbidden, notSupported, duplicate, type FieldError } from '../../../lib/field-errors.js';
import { parseQuantity } from '../../../lib/quantity.js';
import { NodeStatus, NodeConfigSource } from './node-status.js';
import { cidrFamily } from './ip.js';
import { TAINT_EFFECTS } from './pod-scheduling.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const Taint = obj(
  'Repels pods that do not tolerate it from a node.',
  {
    key: str('Taint key.'),
    value: str('Taint value.'),
    effect: enumStr('What happens to pods that do not tolerate the taint.', TAINT_EFFECTS),
    timeAdded: time('When a NoExecute taint was added.'),
  },
  { id: id('Taint'), required: ['key', 'effect'] },
);
export type Taint = Static<typeof Taint>;

export const NodeSpec = obj(
  'How a node is configured for pods.',
  {
    podCIDR: str('Pod IP range assigned to the node (the first of podCIDRs).'),
    podCIDRs: strList('Pod IP ranges assigned to the node, at most one per IP family.', {
      strategy: 'merge',
      listType: 'set',
    }),
    providerID: str('Id of the node in the cloud provider: <provider>://<id>.'),
    unschedulable: bool('Keep new pods off the node (kubectl cordon).'),
    taints: list('Taints of the node.', Taint, { listType: 'atomic' }),
    configSource: NodeConfigSource,
    externalID: str('Deprecated; not used.'),
  },
  { id: id('NodeSpec') },
);
export type NodeSpec = Static<typeof NodeSpec>;

export const Node = obj(
  'A worker machine that runs pods.',
  { ...typeMeta, metadata: ObjectMeta, spec: NodeSpec, status: NodeStatus },
  { id: id('Node'), ...describeKind('', 'v1', 'Node') },
);
export type Node = Static<typeof Node>;

function validateTaints(taints: Taint[]): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const p = index('spec.taints', i);
    out.push(...checkFormat(child(p, 'key'), t.key ?? '', qualifiedName));
    if (t.value) out.push(...checkFormat(child(p, 'value'), t.value, labelValue));
    if (!t.effect) out.push(required(child(p, 'effect')));
    else if (!(TAINT_EFFECTS as readonly string[]).includes(t.effect)) out.push(notSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS));
    const k = `${t.key}:${t.effect}`;
    if (seen.has(k)) out.push(duplicate(p, { key: t.key, effect: t.effect }));
    seen.add(k);
  });
  return out;
}

function validatePodCIDRs(cidrs: string[]): FieldError[] {
  const out: FieldError[] = [];
  const families = new Set<string>();
  cidrs.forEach((c, i) => {
    const fam = cidrFamily(c);
    if (!fam) out.push(invalid(index('spec.podCIDRs', i), c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    else if (families.has(fam)) out.push(invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    if (fam) families.add(fam);
  });
  if (cidrs.length > 2) out.push(invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
  return out;
}

function validateResources(list: Record<string, string | number> | undefined, path: string): FieldError[] {
  const out: FieldError[] = [];
  for (const [name, q] of Object.entries(list ?? {})) {
    const parsed = parseQuantity(q);
    if (!parsed) out.push(invalid(key(path, name), q, 'must be a valid quantity'));
    else if (parsed.value < 0) out.push(invalid(key(path, name), q, 'must be greater than or equal to 0'));
  }
  return out;
}

export const nodeKind = defineKind({
  ...nodeKindNames,
  status: true,
  schema: Node,
  defaults(node) {
    const spec = (node.spec ??= {});
    if (spec.podCIDR && !spec.podCIDRs?.length) spec.podCIDRs = [spec.podCIDR];
    else if (!spec.podCIDR && spec.podCIDRs?.length) spec.podCIDR = spec.podCIDRs[0];
    if (node.status?.capacity && !node.status.allocatable) node.status.allocatable = { ...node.status.capacity };
  },
  validate(node, { old }) {
    const out = validateObjectMeta(node.metadata, { namespaced: false });
    const spec = node.spec ?? {};
    out.push(...validateTaints(spec.taints ?? []));
    const cidrs = spec.podCIDRs?.length ? spec.podCIDRs : spec.podCIDR ? [spec.podCIDR] : [];
    out.push(...validatePodCIDRs(cidrs));
    if (spec.podCIDR && spec.podCIDRs?.length && spec.podCIDRs[0] !== spec.podCIDR)
      out.push(invalid('spec.podCIDR', spec.podCIDR, 'must match the first entry of `podCIDRs`'));
    out.push(...validateResources(node.status?.capacity, 'status.capacity'));
    out.push(...validateResources(node.status?.allocatable, 'status.allocatable'));
    if (old) {
      const before = old.spec ?? {};
      const oldCIDRs = before.podCIDRs?.length ? before.podCIDRs : before.podCIDR ? [before.podCIDR] : [];
      if (oldCIDRs.length && JSON.stringify(oldCIDRs) !== JSON.stringify(cidrs))
        out.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
      if (before.providerID && before.providerID !== spec.providerID)
        out.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    }
    return out;
  },
  fields: (node) => ({ 'spec.unschedulable': String(node.spec?.unschedulable ?? false) }),
});
