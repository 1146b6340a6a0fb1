// core/v1 PersistentVolumeClaimSpec and the claim template of ephemeral volumes. The spec is
// defined here because pod volumes embed it (ephemeral.volumeClaimTemplate); the
// PersistentVolumeClaim kind reuses this schema rather than declaring a second definition with
// the same OpenAPI name.
import { obj, str, enumStr, mapOf, quantity, strList, type Static } from '../../schema.js';
import { LabelSelector, ObjectMeta } from '../../meta/v1.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;
export const VOLUME_MODES = ['Block', 'Filesystem'] as const;

export const TypedLocalObjectReference = obj(
  'Names an object of a given kind in the same namespace.',
  {
    apiGroup: str('API group of the kind; empty for the core group.'),
    kind: str('Kind of the object.'),
    name: str('Name of the object.'),
  },
  { id: id('TypedLocalObjectReference'), required: ['kind', 'name'], 'x-kubernetes-map-type': 'atomic' },
);

export const TypedObjectReference = obj(
  'Names an object of a given kind, possibly in another namespace.',
  {
    apiGroup: str('API group of the kind; empty for the core group.'),
    kind: str('Kind of the object.'),
    name: str('Name of the object.'),
    namespace: str('Namespace of the object; defaults to the claim\'s.'),
  },
  { id: id('TypedObjectReference'), required: ['kind', 'name'] },
);

export const VolumeResourceRequirements = obj(
  'Storage a claim asks for.',
  {
    limits: mapOf('Most storage the claim may use.', quantity('Quantity.')),
    requests: mapOf('Storage the claim needs, e.g. storage: 10Gi.', quantity('Quantity.')),
  },
  { id: id('VolumeResourceRequirements') },
);

export const PersistentVolumeClaimSpec = obj(
  'What storage a claim wants: size, access modes, class and optional data source.',
  {
    accessModes: strList('Access modes wanted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.', { listType: 'atomic' }),
    selector: LabelSelector,
    resources: VolumeResourceRequirements,
    volumeName: str('Binds to this PersistentVolume by name.'),
    storageClassName: str('StorageClass to provision from; "" asks for a class-less volume.'),
    volumeMode: enumStr('Filesystem or Block; defaults to Filesystem.', VOLUME_MODES),
    dataSource: TypedLocalObjectReference,
    dataSourceRef: TypedObjectReference,
    volumeAttributesClassName: str('VolumeAttributesClass to apply to the volume.'),
  },
  { id: id('PersistentVolumeClaimSpec') },
);
export type PersistentVolumeClaimSpec = Static<typeof PersistentVolumeClaimSpec>;

export const PersistentVolumeClaimTemplate = obj(
  'A claim to create for an ephemeral volume; its name is derived from the pod and volume names.',
  {
    metadata: ObjectMeta,
    spec: PersistentVolumeClaimSpec,
  },
  { id: id('PersistentVolumeClaimTemplate'), required: ['spec'] },
);
export type PersistentVolumeClaimTemplate = Static<typeof PersistentVolumeClaimTemplate>;
