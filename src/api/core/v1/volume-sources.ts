// core/v1 schemas of the volume sources a pod commonly uses: scratch space (emptyDir), node
// paths (hostPath), API data (configMap, secret, downwardAPI), claims (persistentVolumeClaim,
// ephemeral), network storage (nfs, iscsi), CSI drivers and OCI images. Also
// LocalObjectReference and KeyToPath, which several sources and the pod spec share.
import { obj, str, int32, bool, enumStr, list, strList, strMap, quantity, type Static } from '../../schema.js';
import { ObjectFieldSelector, ResourceFieldSelector } from './container-env.js';
import { PersistentVolumeClaimTemplate } from './volume-claim-spec.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const LocalObjectReference = obj(
  'Names an object in the same namespace.',
  { name: str('Name of the referenced object.') },
  { id: id('LocalObjectReference'), 'x-kubernetes-map-type': 'atomic' },
);
export type LocalObjectReference = Static<typeof LocalObjectReference>;

export const KeyToPath = obj(
  'Maps one key of a ConfigMap or Secret to a file path in the volume.',
  {
    key: str('Key to project.'),
    path: str('Relative file path; may not contain "..".'),
    mode: int32('File permission bits (0-0777); defaults to the volume\'s defaultMode.'),
  },
  { id: id('KeyToPath'), required: ['key', 'path'] },
);
export type KeyToPath = Static<typeof KeyToPath>;

export const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'] as const;

export const HostPathVolumeSource = obj(
  'A file or directory of the node mounted into the pod.',
  {
    path: str('Path on the node.'),
    type: enumStr('What must exist at the path (or be created); "" checks nothing.', HOST_PATH_TYPES),
  },
  { id: id('HostPathVolumeSource'), required: ['path'] },
);

export const EmptyDirVolumeSource = obj(
  'A directory that starts empty and lives as long as the pod.',
  {
    medium: str('"" for the node\'s disk, Memory for tmpfs, or HugePages.'),
    sizeLimit: quantity('Most storage the directory may use.'),
  },
  { id: id('EmptyDirVolumeSource') },
);

export const SecretVolumeSource = obj(
  'Keys of a Secret as files.',
  {
    secretName: str('Name of the Secret in the pod\'s namespace.'),
    items: list('Keys to project; all keys when empty.', KeyToPath, { listType: 'atomic' }),
    defaultMode: int32('Permission bits of the files (0-0777); defaults to 0644.'),
    optional: bool('If true, a missing Secret or key is not an error.'),
  },
  { id: id('SecretVolumeSource') },
);

export const ConfigMapVolumeSource = obj(
  'Keys of a ConfigMap as files.',
  {
    name: str('Name of the ConfigMap in the pod\'s namespace.'),
    items: list('Keys to project; all keys when empty.', KeyToPath, { listType: 'atomic' }),
    defaultMode: int32('Permission bits of the files (0-0777); defaults to 0644.'),
    optional: bool('If true, a missing ConfigMap or key is not an error.'),
  },
  { id: id('ConfigMapVolumeSource') },
);

export const PersistentVolumeClaimVolumeSource = obj(
  'Mounts the volume bound to a PersistentVolumeClaim in the pod\'s namespace.',
  {
    claimName: str('Name of the claim.'),
    readOnly: bool('Mount read-only.'),
  },
  { id: id('PersistentVolumeClaimVolumeSource'), required: ['claimName'] },
);

export const NFSVolumeSource = obj(
  'An NFS export.',
  {
    server: str('Host name or IP of the NFS server.'),
    path: str('Exported path.'),
    readOnly: bool('Mount read-only.'),
  },
  { id: id('NFSVolumeSource'), required: ['server', 'path'] },
);

export const ISCSIVolumeSource = obj(
  'An iSCSI disk attached to the node and mounted into the pod.',
  {
    targetPortal: str('Target portal, IP or ip:port (default port 3260).'),
    iqn: str('Target iSCSI Qualified Name.'),
    lun: int32('Target LUN number.'),
    iscsiInterface: str('iSCSI interface name; defaults to "default" (tcp).'),
    fsType: str('Filesystem type, e.g. ext4.'),
    readOnly: bool('Mount read-only.'),
    portals: strList('Extra target portals.', { listType: 'atomic' }),
    chapAuthDiscovery: bool('Use CHAP authentication for discovery.'),
    chapAuthSession: bool('Use CHAP authentication for the session.'),
    secretRef: LocalObjectReference,
    initiatorName: str('Custom initiator name.'),
  },
  { id: id('ISCSIVolumeSource'), required: ['targetPortal', 'iqn', 'lun'] },
);

export const CSIVolumeSource = obj(
  'An inline volume provided by a CSI driver.',
  {
    driver: str('Name of the CSI driver.'),
    readOnly: bool('Mount read-only.'),
    fsType: str('Filesystem type, passed to the driver.'),
    volumeAttributes: strMap('Driver-specific settings.'),
    nodePublishSecretRef: LocalObjectReference,
  },
  { id: id('CSIVolumeSource'), required: ['driver'] },
);

export const DownwardAPIVolumeFile = obj(
  'One file holding a pod field or a container resource value.',
  {
    path: str('Relative file path; may not contain "..".'),
    fieldRef: ObjectFieldSelector,
    resourceFieldRef: ResourceFieldSelector,
    mode: int32('Permission bits of the file (0-0777).'),
  },
  { id: id('DownwardAPIVolumeFile'), required: ['path'] },
);
export type DownwardAPIVolumeFile = Static<typeof DownwardAPIVolumeFile>;

export const DownwardAPIVolumeSource = obj(
  'Pod metadata and resource values as files.',
  {
    items: list('Files to write.', DownwardAPIVolumeFile, { listType: 'atomic' }),
    defaultMode: int32('Permission bits of the files (0-0777); defaults to 0644.'),
  },
  { id: id('DownwardAPIVolumeSource') },
);

export const EphemeralVolumeSource = obj(
  'A PersistentVolumeClaim created with the pod and deleted with it.',
  { volumeClaimTemplate: PersistentVolumeClaimTemplate },
  { id: id('EphemeralVolumeSource') },
);

export const ImageVolumeSource = obj(
  'The contents of an OCI image or artifact, mounted read-only.',
  {
    reference: str('Image or artifact reference.'),
    pullPolicy: enumStr('Always, Never or IfNotPresent.', ['Always', 'IfNotPresent', 'Never']),
  },
  { id: id('ImageVolumeSource') },
);
