// core/v1 Namespace: the cluster-scoped container for namespaced objects. Its spec holds only
// the finalizers that must finish before a terminating namespace is removed; its status says
// whether it is Active or Terminating (with conditions explaining a stuck deletion).
import { obj, str, time, enumStr, list, strList, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { namespaceKind as namespaceKindNames } from '../../refs/index.js';
import { validateObjectMeta, checkFormat } from '../../validation/meta.js';
import { dns1123Label, qualifiedName } from '../../validation/names.js';
import { index, invalid, notSupported } from '../../../lib/field-errors.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const NAMESPACE_PHASES = ['Active', 'Terminating'] as const;

export const NamespaceSpec = obj(
  'What a namespace needs before it may be removed.',
  {
    finalizers: strList('Finalizers that must empty before the namespace is removed; "kubernetes" removes the content.', {
      listType: 'atomic',
    }),
  },
  { id: id('NamespaceSpec') },
);

export const NamespaceCondition = obj(
  'One observation about the state of a namespace, e.g. why its deletion is not finishing.',
  {
    type: str('Type of condition, e.g. NamespaceDeletionContentFailure.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('Machine-readable reason in CamelCase.'),
    message: str('Human-readable details.'),
  },
  { id: id('NamespaceCondition'), required: ['type', 'status'] },
);

export const NamespaceStatus = obj(
  'Observed state of a namespace.',
  {
    phase: enumStr('Active, or Terminating once deletion has started.', NAMESPACE_PHASES),
    conditions: list('Latest observations of the namespace\'s state.', NamespaceCondition, {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
  },
  { id: id('NamespaceStatus') },
);

export const Namespace = obj(
  'A scope for names: most kinds of objects live in exactly one namespace.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    spec: NamespaceSpec,
    status: NamespaceStatus,
  },
  { id: id('Namespace'), ...describeKind('', 'v1', 'Namespace') },
);
export type Namespace = Static<typeof Namespace>;

export const namespaceKind = defineKind({
  ...namespaceKindNames,
  status: true,
  schema: Namespace,
  defaults(ns) {
    ns.status ??= {};
    ns.status.phase ??= 'Active';
  },
  validate(ns) {
    const out = validateObjectMeta(ns.metadata, { namespaced: false, name: dns1123Label });
    (ns.spec?.finalizers ?? []).forEach((f, i) => out.push(...checkFormat(index('spec.finalizers', i), f, qualifiedName)));
    const phase = ns.status?.phase;
    if (phase !== undefined && !NAMESPACE_PHASES.includes(phase)) out.push(notSupported('status.phase', phase, NAMESPACE_PHASES));
    if (phase === 'Terminating' && !ns.metadata?.deletionTimestamp)
      out.push(invalid('status.phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
    return out;
  },
  fields: (ns) => ({ 'status.phase': ns.status?.phase ?? '' }),
});
