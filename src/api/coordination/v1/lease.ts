// coordination.k8s.io/v1 Lease: a small record a holder renews to show it is alive. Nodes
// heartbeat through one Lease each (in kube-node-lease) and controllers elect a leader with one.
import { obj, str, int32, enumStr, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, MicroTime, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { leaseKind as leaseKindNames } from '../../refs/index.js';
import { validateObjectMeta } from '../../validation/meta.js';
import { invalid, forbidden, notSupported, type FieldError } from '../../../lib/field-errors.js';

export const LEASE_STRATEGIES = ['OldestEmulationVersion'] as const;

export const LeaseSpec = obj(
  'Who holds a lease, since when, and for how long.',
  {
    holderIdentity: str('Identity of the current holder.'),
    leaseDurationSeconds: int32('How long others must wait after the last renewal before taking the lease over.'),
    acquireTime: { ...MicroTime, description: 'When the current holder acquired the lease.' },
    renewTime: { ...MicroTime, description: 'When the current holder last renewed the lease.' },
    leaseTransitions: int32('How many times the lease has changed holders.'),
    strategy: enumStr('How coordinated leader election picks the holder (alpha).', LEASE_STRATEGIES),
    preferredHolder: str('Holder the lease should pass to; the current holder should give it up. Needs strategy.'),
  },
  { id: 'io.k8s.api.coordination.v1.LeaseSpec' },
);
export type LeaseSpec = Static<typeof LeaseSpec>;

export const Lease = obj(
  'A lease held by one holder at a time.',
  { ...typeMeta, metadata: ObjectMeta, spec: LeaseSpec },
  { id: 'io.k8s.api.coordination.v1.Lease', ...describeKind('coordination.k8s.io', 'v1', 'Lease') },
);
export type Lease = Static<typeof Lease>;

function validateSpec(spec: LeaseSpec): FieldError[] {
  const out: FieldError[] = [];
  const d = spec.leaseDurationSeconds;
  if (d !== undefined && d <= 0) out.push(invalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
  const t = spec.leaseTransitions;
  if (t !== undefined && t < 0) out.push(invalid('spec.leaseTransitions', t, 'must be greater than or equal to 0'));
  if (spec.strategy !== undefined && !(LEASE_STRATEGIES as readonly string[]).includes(spec.strategy))
    out.push(notSupported('spec.strategy', spec.strategy, LEASE_STRATEGIES));
  if (spec.preferredHolder && !spec.strategy) out.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  return out;
}

export const leaseKind = defineKind({
  ...leaseKindNames,
  schema: Lease,
  validate: (lease) => [...validateObjectMeta(lease.metadata, { namespaced: true }), ...validateSpec(lease.spec ?? {})],
});
