// The protobuf field numbers of every type our schemas define, as one table keyed by definition
// id. Numbers never change in Kubernetes (new fields get new ones), so a table written against
// v1.32 stays right for clients of any version.
import type { FieldTable } from './spec.js';
import { metaFields } from './meta.js';
import { coreFields } from './core.js';
import { coreContainerFields } from './core-containers.js';
import { corePodFields } from './core-pods.js';
import { coreVolumeFields } from './core-volumes.js';
import { workloadFields } from './workloads.js';
import { otherGroupFields } from './other-groups.js';
import { authenticationFields } from './authentication.js';
import { rbacFields } from './rbac.js';

export type { FieldNumber, FieldSpec, FieldTable, MessageFields } from './spec.js';

export const fieldNumbers: FieldTable = {
  ...metaFields,
  ...coreFields,
  ...coreContainerFields,
  ...corePodFields,
  ...coreVolumeFields,
  ...workloadFields,
  ...otherGroupFields,
  ...authenticationFields,
  ...rbacFields,
};
