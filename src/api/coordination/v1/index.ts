// The coordination.k8s.io group, version v1: Lease, used for node heartbeats and leader
// election. Other folders import coordination/v1 only through this file.
import type { KindDef } from '../../kind.js';
import { leaseKind } from './lease.js';

export const coordinationV1Kinds: KindDef[] = [leaseKind];

export { leaseKind };
export { Lease, LeaseSpec } from './lease.js';
