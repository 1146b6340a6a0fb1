// core/v1 schemas of the in-tree storage plugins Kubernetes still accepts in pod volumes though
// most are deprecated or removed in favour of CSI (cloud disks, Ceph, Gluster, Fibre Channel,
// FlexVolume, ...). Tugboat mounts none of them; the schemas exist so that manifests written
// for Kubernetes still pass strict field validation and keep their data.
import { obj, str, int32, bool, strList, strMap } from '../../schema.js';
import { LocalObjectReference } from './volume-sources.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;
const fsType = () => str('Filesystem type, e.g. ext4.');
const readOnly = () => bool('Mount read-only.');

export const GCEPersistentDiskVolumeSource = obj(
  'A Google Compute Engine persistent disk (deprecated).',
  { pdName: str('Disk name.'), fsType: fsType(), partition: int32('Partition number.'), readOnly: readOnly() },
  { id: id('GCEPersistentDiskVolumeSource'), required: ['pdName'] },
);

export const AWSElasticBlockStoreVolumeSource = obj(
  'An AWS EBS volume (deprecated).',
  { volumeID: str('Volume id.'), fsType: fsType(), partition: int32('Partition number.'), readOnly: readOnly() },
  { id: id('AWSElasticBlockStoreVolumeSource'), required: ['volumeID'] },
);

export const GitRepoVolumeSource = obj(
  'A git checkout made before the pod starts (deprecated).',
  { repository: str('Repository URL.'), revision: str('Commit hash.'), directory: str('Target directory name.') },
  { id: id('GitRepoVolumeSource'), required: ['repository'] },
);

export const GlusterfsVolumeSource = obj(
  'A GlusterFS volume (removed upstream).',
  { endpoints: str('Endpoints object naming the cluster.'), path: str('Volume path.'), readOnly: readOnly() },
  { id: id('GlusterfsVolumeSource'), required: ['endpoints', 'path'] },
);

export const RBDVolumeSource = obj(
  'A Ceph RADOS block device (deprecated).',
  {
    monitors: strList('Ceph monitors.', { listType: 'atomic' }),
    image: str('RBD image name.'),
    fsType: fsType(),
    pool: str('RADOS pool; defaults to rbd.'),
    user: str('RADOS user; defaults to admin.'),
    keyring: str('Keyring path; defaults to /etc/ceph/keyring.'),
    secretRef: LocalObjectReference,
    readOnly: readOnly(),
  },
  { id: id('RBDVolumeSource'), required: ['monitors', 'image'] },
);

export const FlexVolumeSource = obj(
  'A volume handled by an exec-based FlexVolume driver (deprecated).',
  {
    driver: str('Driver name.'),
    fsType: fsType(),
    secretRef: LocalObjectReference,
    readOnly: readOnly(),
    options: strMap('Driver options.'),
  },
  { id: id('FlexVolumeSource'), required: ['driver'] },
);

export const CinderVolumeSource = obj(
  'An OpenStack Cinder volume (deprecated).',
  { volumeID: str('Volume id.'), fsType: fsType(), readOnly: readOnly(), secretRef: LocalObjectReference },
  { id: id('CinderVolumeSource'), required: ['volumeID'] },
);

export const CephFSVolumeSource = obj(
  'A CephFS mount (deprecated).',
  {
    monitors: strList('Ceph monitors.', { listType: 'atomic' }),
    path: str('Path inside CephFS; defaults to /.'),
    user: str('RADOS user; defaults to admin.'),
    secretFile: str('Keyring path.'),
    secretRef: LocalObjectReference,
    readOnly: readOnly(),
  },
  { id: id('CephFSVolumeSource'), required: ['monitors'] },
);

export const FlockerVolumeSource = obj(
  'A Flocker dataset (deprecated).',
  { datasetName: str('Dataset name.'), datasetUUID: str('Dataset UUID.') },
  { id: id('FlockerVolumeSource') },
);

export const FCVolumeSource = obj(
  'A Fibre Channel disk.',
  {
    targetWWNs: strList('Target world wide names.', { listType: 'atomic' }),
    lun: int32('Target LUN.'),
    fsType: fsType(),
    readOnly: readOnly(),
    wwids: strList('Volume world wide identifiers.', { listType: 'atomic' }),
  },
  { id: id('FCVolumeSource') },
);

export const AzureFileVolumeSource = obj(
  'An Azure File share (deprecated).',
  { secretName: str('Secret with the account name and key.'), shareName: str('Share name.'), readOnly: readOnly() },
  { id: id('AzureFileVolumeSource'), required: ['secretName', 'shareName'] },
);

export const VsphereVirtualDiskVolumeSource = obj(
  'A vSphere virtual disk (deprecated).',
  {
    volumePath: str('Path of the disk.'),
    fsType: fsType(),
    storagePolicyName: str('Storage policy name.'),
    storagePolicyID: str('Storage policy id.'),
  },
  { id: id('VsphereVirtualDiskVolumeSource'), required: ['volumePath'] },
);

export const QuobyteVolumeSource = obj(
  'A Quobyte volume (removed upstream).',
  {
    registry: str('Registry services, host:port list.'),
    volume: str('Volume name.'),
    readOnly: readOnly(),
    user: str('User to map access to.'),
    group: str('Group to map access to.'),
    tenant: str('Tenant owning the volume.'),
  },
  { id: id('QuobyteVolumeSource'), required: ['registry', 'volume'] },
);

export const AzureDiskVolumeSource = obj(
  'An Azure data disk (deprecated).',
  {
    diskName: str('Disk name.'),
    diskURI: str('Disk URI.'),
    cachingMode: str('None, ReadOnly or ReadWrite.'),
    fsType: fsType(),
    readOnly: readOnly(),
    kind: str('Shared, Dedicated or Managed.'),
  },
  { id: id('AzureDiskVolumeSource'), required: ['diskName', 'diskURI'] },
);

export const PhotonPersistentDiskVolumeSource = obj(
  'A Photon controller disk (removed upstream).',
  { pdID: str('Disk id.'), fsType: fsType() },
  { id: id('PhotonPersistentDiskVolumeSource'), required: ['pdID'] },
);

export const PortworxVolumeSource = obj(
  'A Portworx volume (deprecated).',
  { volumeID: str('Volume id.'), fsType: fsType(), readOnly: readOnly() },
  { id: id('PortworxVolumeSource'), required: ['volumeID'] },
);

export const ScaleIOVolumeSource = obj(
  'A ScaleIO volume (removed upstream).',
  {
    gateway: str('Gateway host.'),
    system: str('Storage system name.'),
    secretRef: LocalObjectReference,
    sslEnabled: bool('Use SSL to the gateway.'),
    protectionDomain: str('Protection domain.'),
    storagePool: str('Storage pool.'),
    storageMode: str('ThickProvisioned or ThinProvisioned.'),
    volumeName: str('Volume name.'),
    fsType: fsType(),
    readOnly: readOnly(),
  },
  { id: id('ScaleIOVolumeSource'), required: ['gateway', 'system', 'secretRef'] },
);

export const StorageOSVolumeSource = obj(
  'A StorageOS volume (removed upstream).',
  {
    volumeName: str('Volume name.'),
    volumeNamespace: str('StorageOS namespace.'),
    fsType: fsType(),
    readOnly: readOnly(),
    secretRef: LocalObjectReference,
  },
  { id: id('StorageOSVolumeSource') },
);

