// apps/v1 ControllerRevision: an immutable snapshot of a pod template that StatefulSet and
// DaemonSet controllers keep for rollbacks and to tell which pods run which revision. The data
// is whatever the owning controller stored (free-form JSON); only the revision number is typed.
import { obj, int64, freeformObject, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { validateObjectMeta } from '../../validation/meta.js';
import { required, type FieldError } from '../../../lib/field-errors.js';
import { nonNegative, unchanged } from './workload.js';

export const ControllerRevision = obj(
  'A saved state of a controller-managed object, used by StatefulSets and DaemonSets for rollout history. Its data cannot change.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    data: freeformObject('The saved state (typically a strategic merge patch restoring the pod template).'),
    revision: int64('Sequence number of this revision within its owner.'),
  },
  { id: 'io.k8s.api.apps.v1.ControllerRevision', required: ['revision'], ...describeKind('apps', 'v1', 'ControllerRevision') },
);
export type ControllerRevision = Static<typeof ControllerRevision>;

export const controllerRevisionKind = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  schema: ControllerRevision,
  validate(cr, { old }) {
    const out: FieldError[] = validateObjectMeta(cr.metadata, { namespaced: true });
    if (cr.data === undefined || cr.data === null) out.push(required('data', 'data is mandatory'));
    if (typeof cr.revision !== 'number') out.push(required('revision', ''));
    else out.push(...nonNegative('revision', cr.revision));
    // Revisions are history: rewriting one would make rollbacks restore something else.
    if (old) out.push(...unchanged('data', cr.data, old.data));
    return out;
  },
});
