// core/v1 ServiceAccount: an identity for processes in pods. Pods run as one (the namespace's
// "default" unless told otherwise) and get a short-lived token for it; the account can also
// carry image pull secrets that are added to its pods.
import { obj, bool, list, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { serviceAccountKind as serviceAccountKindNames } from '../../refs/index.js';
import { validateObjectMeta } from '../../validation/meta.js';
import { ObjectReference } from './object-reference.js';
import { LocalObjectReference } from './volume-sources.js';

export const ServiceAccount = obj(
  'An identity for processes that run in pods.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    secrets: list('Legacy long-lived token secrets of the account (deprecated).', ObjectReference, {
      mergeKey: 'name',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['name'],
    }),
    imagePullSecrets: list('Secrets added to the image pull secrets of pods using this account.', LocalObjectReference, {
      listType: 'atomic',
    }),
    automountServiceAccountToken: bool('Whether pods using this account get its API token mounted by default.'),
  },
  { id: 'io.k8s.api.core.v1.ServiceAccount', ...describeKind('', 'v1', 'ServiceAccount') },
);
export type ServiceAccount = Static<typeof ServiceAccount>;

export const serviceAccountKind = defineKind({
  ...serviceAccountKindNames,
  schema: ServiceAccount,
  validate: (sa) => validateObjectMeta(sa.metadata, { namespaced: true }),
});
