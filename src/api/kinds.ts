// Every kind Tugboat serves, in one explicit list. Discovery, OpenAPI, the registry and the
// clients' type lookups are all built from here.
import type { KindDef } from './kind.js';
import { coreV1Kinds } from './core/v1/index.js';
import { appsV1Kinds } from './apps/v1/index.js';
import { batchV1Kinds } from './batch/v1/index.js';
import { networkingV1Kinds } from './networking/v1/index.js';
import { discoveryV1Kinds } from './discovery/v1/index.js';
import { coordinationV1Kinds } from './coordination/v1/index.js';
import { storageV1Kinds } from './storage/v1/index.js';
import { schedulingV1Kinds } from './scheduling/v1/index.js';
import { rbacV1Kinds } from './rbac/v1/index.js';

export const allKinds: readonly KindDef[] = [
  ...coreV1Kinds,
  ...appsV1Kinds,
  ...batchV1Kinds,
  ...networkingV1Kinds,
  ...discoveryV1Kinds,
  ...coordinationV1Kinds,
  ...storageV1Kinds,
  ...schedulingV1Kinds,
  ...rbacV1Kinds,
];
