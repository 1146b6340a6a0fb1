// Kind references of coordination.k8s.io/v1, without schemas: names and scope, what a
// client needs to address these kinds. The schema modules build their full definitions on these.
import { kindRef } from '../kind.js';

export const leaseKind = kindRef({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
});
