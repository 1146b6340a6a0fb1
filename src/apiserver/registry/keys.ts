// Where objects live in storage: `/registry/<group>/<plural>/<namespace>/<name>` for namespaced
// kinds and `/registry/<group>/<plural>/<name>` for cluster-scoped ones (group `core` for the
// legacy group), the layout Kubernetes uses in etcd. Prefixes end in `/` so that listing one
// namespace never matches another whose name starts the same way.
import type { KindDef } from '../../api/kind.js';

export const REGISTRY_ROOT = '/registry/';

const groupSegment = (k: KindDef): string => k.group || 'core';

/** Prefix of every object of a kind (all namespaces). */
export const kindPrefix = (k: KindDef): string => `${REGISTRY_ROOT}${groupSegment(k)}/${k.plural}/`;

/** Prefix of one namespace's objects of a kind, or of all when namespace is empty. */
export const listPrefix = (k: KindDef, namespace: string | undefined): string =>
  k.namespaced && namespace ? `${kindPrefix(k)}${namespace}/` : kindPrefix(k);

export const objectKey = (k: KindDef, namespace: string | undefined, name: string): string =>
  k.namespaced ? `${kindPrefix(k)}${namespace ?? ''}/${name}` : `${kindPrefix(k)}${name}`;
