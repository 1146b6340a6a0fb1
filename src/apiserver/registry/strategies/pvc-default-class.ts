// Default StorageClass admission for PersistentVolumeClaims, as Kubernetes' DefaultStorageClass
// plugin does it: a claim created without spec.storageClassName (absent, not "" — an empty
// string asks for a class-less volume on purpose) and without the old beta class annotation
// gets the cluster's default class, the one annotated storageclass.kubernetes.io/is-default-class
// "true" (or the beta annotation). With several defaults the newest wins; with none the claim
// is left alone. Meant for the PVC strategy's admit step on create.
import type { ApiObject } from '../../../api/kind.js';
import type { WriteContext } from '../strategy.js';

const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** Where admission finds StorageClasses (a cached read is fine, as in Kubernetes). */
export type StorageClassLookup = () => ApiObject[] | Promise<ApiObject[]>;

/** The name of the default class, the newest (then alphabetically first) when several claim it. */
export function defaultClassName(classes: readonly ApiObject[]): string | undefined {
  const defaults = classes.filter((c) => DEFAULT_ANNOTATIONS.some((a) => c.metadata?.annotations?.[a] === 'true'));
  defaults.sort(
    (a, b) =>
      (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
  );
  return defaults[0]?.metadata?.name;
}

export function pvcDefaultClassAdmission(lookup: StorageClassLookup): (obj: ApiObject, ctx: WriteContext) => Promise<void> {
  return async (obj) => {
    const spec = (obj.spec ??= {}) as { storageClassName?: string | null };
    if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
    if (obj.metadata?.annotations?.[BETA_CLASS_ANNOTATION] !== undefined) return;
    const name = defaultClassName(await lookup());
    if (name !== undefined) spec.storageClassName = name;
  };
}
