// core/v1 volume sources only a PersistentVolume can use: the *PersistentVolumeSource variants
// (which, unlike their pod counterparts, may name a Secret in another namespace because a PV
// belongs to no namespace), local disks and CSI volumes. Sources a pod volume can use as well
// come from volume-sources.ts and volume-legacy.ts. `persistentVolumeSourceFields` is the set of
// source fields a PersistentVolumeSpec carries inline; exactly one must be set.
import { obj, str, bool, int32, strList, strMap, type Static, type TSchema } from '../../schema.js';
import { ObjectReference, SecretReference } from './object-reference.js';
import { HostPathVolumeSource, NFSVolumeSource } from './volume-sources.js';
import {
  AWSElasticBlockStoreVolumeSource,
  AzureDiskVolumeSource,
  FCVolumeSource,
  FlockerVolumeSource,
  GCEPersistentDiskVolumeSource,
  PhotonPersistentDiskVolumeSource,
  PortworxVolumeSource,
  QuobyteVolumeSource,
  VsphereVirtualDiskVolumeSource,
} from './volume-legacy.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const GlusterfsPersistentVolumeSource = obj(
  'A GlusterFS volume (removed plugin; kept so stored objects still read).',
  {
    endpoints: str('Name of the Endpoints object listing the Gluster servers.'),
    path: str('Gluster volume path.'),
    readOnly: bool('Mount read-only.'),
    endpointsNamespace: str('Namespace of the Endpoints object; the claim\'s namespace when empty.'),
  },
  { id: id('GlusterfsPersistentVolumeSource'), required: ['endpoints', 'path'] },
);

export const RBDPersistentVolumeSource = obj(
  'A Ceph RBD image (deprecated).',
  {
    monitors: strList('Ceph monitors.', { listType: 'atomic' }),
    image: str('RADOS image name.'),
    fsType: str('Filesystem type to mount.'),
    pool: str('RADOS pool; defaults to rbd.'),
    user: str('RADOS user; defaults to admin.'),
    keyring: str('Keyring path; defaults to /etc/ceph/keyring.'),
    secretRef: SecretReference,
    readOnly: bool('Mount read-only.'),
  },
  { id: id('RBDPersistentVolumeSource'), required: ['monitors', 'image'] },
);

export const ISCSIPersistentVolumeSource = obj(
  'An iSCSI disk.',
  {
    targetPortal: str('Target portal as IP or ip_addr:port.'),
    iqn: str('Target iSCSI qualified name.'),
    lun: int32('Target LUN number.'),
    iscsiInterface: str('iSCSI interface name; defaults to "default" (tcp transport).'),
    fsType: str('Filesystem type to mount.'),
    readOnly: bool('Mount read-only.'),
    portals: strList('Further target portals.', { listType: 'atomic' }),
    chapAuthDiscovery: bool('Use CHAP authentication for discovery.'),
    chapAuthSession: bool('Use CHAP authentication for the session.'),
    secretRef: SecretReference,
    initiatorName: str('Custom initiator name; a new interface is created from it.'),
  },
  { id: id('ISCSIPersistentVolumeSource'), required: ['targetPortal', 'iqn', 'lun'] },
);

export const CinderPersistentVolumeSource = obj(
  'An OpenStack Cinder volume (deprecated in-tree plugin; served by its CSI driver).',
  {
    volumeID: str('Id of the Cinder volume.'),
    fsType: str('Filesystem type to mount.'),
    readOnly: bool('Mount read-only.'),
    secretRef: SecretReference,
  },
  { id: id('CinderPersistentVolumeSource'), required: ['volumeID'] },
);

export const CephFSPersistentVolumeSource = obj(
  'A CephFS mount (deprecated).',
  {
    monitors: strList('Ceph monitors.', { listType: 'atomic' }),
    path: str('Root of the mounted tree; defaults to /.'),
    user: str('RADOS user name; defaults to admin.'),
    secretFile: str('Path to the key ring; defaults to /etc/ceph/user.secret.'),
    secretRef: SecretReference,
    readOnly: bool('Mount read-only.'),
  },
  { id: id('CephFSPersistentVolumeSource'), required: ['monitors'] },
);

export const FlexPersistentVolumeSource = obj(
  'A volume handled by a FlexVolume driver on the node (deprecated).',
  {
    driver: str('Name of the driver.'),
    fsType: str('Filesystem type to mount; depends on the driver.'),
    secretRef: SecretReference,
    readOnly: bool('Mount read-only.'),
    options: strMap('Extra options passed to the driver.'),
  },
  { id: id('FlexPersistentVolumeSource'), required: ['driver'] },
);

export const AzureFilePersistentVolumeSource = obj(
  'An Azure File share (deprecated in-tree plugin; served by its CSI driver).',
  {
    secretName: str('Secret holding the storage account name and key.'),
    shareName: str('Name of the share.'),
    readOnly: bool('Mount read-only.'),
    secretNamespace: str('Namespace of the Secret; the pod\'s namespace when empty.'),
  },
  { id: id('AzureFilePersistentVolumeSource'), required: ['secretName', 'shareName'] },
);

export const ScaleIOPersistentVolumeSource = obj(
  'A ScaleIO volume (deprecated).',
  {
    gateway: str('Address of the ScaleIO API gateway.'),
    system: str('Name of the storage system.'),
    secretRef: SecretReference,
    sslEnabled: bool('Use SSL to talk to the gateway.'),
    protectionDomain: str('Protection domain of the storage.'),
    storagePool: str('Storage pool of the protection domain.'),
    storageMode: str('ThickProvisioned or ThinProvisioned (the default).'),
    volumeName: str('Name of an existing volume in the system.'),
    fsType: str('Filesystem type to mount; defaults to xfs.'),
    readOnly: bool('Mount read-only.'),
  },
  { id: id('ScaleIOPersistentVolumeSource'), required: ['gateway', 'system', 'secretRef'] },
);

export const StorageOSPersistentVolumeSource = obj(
  'A StorageOS volume (deprecated).',
  {
    volumeName: str('Name of the volume within its namespace.'),
    volumeNamespace: str('StorageOS namespace of the volume.'),
    fsType: str('Filesystem type to mount.'),
    readOnly: bool('Mount read-only.'),
    secretRef: ObjectReference,
  },
  { id: id('StorageOSPersistentVolumeSource') },
);

export const LocalVolumeSource = obj(
  'A disk, partition or directory on one node; the PV needs node affinity to that node.',
  {
    path: str('Full path on the node.'),
    fsType: str('Filesystem type, for block devices only; formatted when empty.'),
  },
  { id: id('LocalVolumeSource'), required: ['path'] },
);

export const CSIPersistentVolumeSource = obj(
  'A volume managed by an external CSI driver.',
  {
    driver: str('Name of the CSI driver.'),
    volumeHandle: str('Volume id the driver returned when creating the volume.'),
    readOnly: bool('Publish the volume read-only.'),
    fsType: str('Filesystem type to mount.'),
    volumeAttributes: strMap('Driver-specific attributes of the volume.'),
    controllerPublishSecretRef: SecretReference,
    nodeStageSecretRef: SecretReference,
    nodePublishSecretRef: SecretReference,
    controllerExpandSecretRef: SecretReference,
    nodeExpandSecretRef: SecretReference,
  },
  { id: id('CSIPersistentVolumeSource'), required: ['driver', 'volumeHandle'] },
);
export type CSIPersistentVolumeSource = Static<typeof CSIPersistentVolumeSource>;

/** The volume source fields of a PersistentVolumeSpec, by field name. */
export const persistentVolumeSourceFields = {
  gcePersistentDisk: GCEPersistentDiskVolumeSource,
  awsElasticBlockStore: AWSElasticBlockStoreVolumeSource,
  hostPath: HostPathVolumeSource,
  glusterfs: GlusterfsPersistentVolumeSource,
  nfs: NFSVolumeSource,
  rbd: RBDPersistentVolumeSource,
  iscsi: ISCSIPersistentVolumeSource,
  cinder: CinderPersistentVolumeSource,
  cephfs: CephFSPersistentVolumeSource,
  fc: FCVolumeSource,
  flocker: FlockerVolumeSource,
  flexVolume: FlexPersistentVolumeSource,
  azureFile: AzureFilePersistentVolumeSource,
  vsphereVolume: VsphereVirtualDiskVolumeSource,
  quobyte: QuobyteVolumeSource,
  azureDisk: AzureDiskVolumeSource,
  photonPersistentDisk: PhotonPersistentDiskVolumeSource,
  portworxVolume: PortworxVolumeSource,
  scaleIO: ScaleIOPersistentVolumeSource,
  local: LocalVolumeSource,
  storageos: StorageOSPersistentVolumeSource,
  csi: CSIPersistentVolumeSource,
} satisfies Record<string, TSchema>;

export const PV_SOURCE_NAMES = Object.keys(persistentVolumeSourceFields) as (keyof typeof persistentVolumeSourceFields)[];
