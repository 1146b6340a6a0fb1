// Where the RBAC authorizer reads roles and bindings from. The authorizer owns this interface;
// the API server gives it the watch cache (cachePolicySource), so a decision never reads storage
// and a new binding applies as soon as the cache has seen it.
import type { ApiObject, KindDef } from '../../../api/kind.js';
import {
  clusterRoleBindingKind,
  clusterRoleKind,
  roleBindingKind,
  roleKind,
  type ClusterRole,
  type ClusterRoleBinding,
  type Role,
  type RoleBinding,
} from '../../../api/rbac/v1/index.js';
import type { WatchCache } from '../../cache/watch-cache.js';
import { listPrefix, objectKey } from '../../registry/keys.js';

export interface PolicySource {
  clusterRoleBindings(): readonly ClusterRoleBinding[];
  roleBindings(namespace: string): readonly RoleBinding[];
  clusterRole(name: string): ClusterRole | undefined;
  role(namespace: string, name: string): Role | undefined;
}

/** Objects of the four RBAC kinds as the schema types them (the cache holds validated objects). */
const as = <T>(o: ApiObject | undefined): T | undefined => o as T | undefined;

export function cachePolicySource(cache: WatchCache): PolicySource {
  const list = <T>(kind: KindDef, namespace: string | undefined): T[] =>
    cache.resource(kind).list(listPrefix(kind, namespace)).map((c) => c.object as unknown as T);
  const get = <T>(kind: KindDef, namespace: string | undefined, name: string): T | undefined =>
    as<T>(cache.resource(kind).get(objectKey(kind, namespace, name))?.object);
  return {
    clusterRoleBindings: () => list<ClusterRoleBinding>(clusterRoleBindingKind, undefined),
    // An empty namespace would list every namespace's bindings; it never has any of its own.
    roleBindings: (namespace) => (namespace ? list<RoleBinding>(roleBindingKind, namespace) : []),
    clusterRole: (name) => get<ClusterRole>(clusterRoleKind, undefined, name),
    role: (namespace, name) => get<Role>(roleKind, namespace, name),
  };
}
