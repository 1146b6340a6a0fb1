// core/v1 Volume: a named storage source a pod's containers can mount. Exactly one source
// field may be set; `VOLUME_SOURCE_FIELDS` lists them so validation and defaulting can find the
// one in use without repeating the list.
import { obj, str, type Static } from '../../schema.js';
import {
  HostPathVolumeSource,
  EmptyDirVolumeSource,
  SecretVolumeSource,
  ConfigMapVolumeSource,
  PersistentVolumeClaimVolumeSource,
  NFSVolumeSource,
  ISCSIVolumeSource,
  CSIVolumeSource,
  DownwardAPIVolumeSource,
  EphemeralVolumeSource,
  ImageVolumeSource,
} from './volume-sources.js';
import { ProjectedVolumeSource } from './volume-projected.js';
import * as legacy from './volume-legacy.js';

// In the order Kubernetes declares them, so stored objects list sources the way it does.
const sources = {
  hostPath: HostPathVolumeSource,
  emptyDir: EmptyDirVolumeSource,
  gcePersistentDisk: legacy.GCEPersistentDiskVolumeSource,
  awsElasticBlockStore: legacy.AWSElasticBlockStoreVolumeSource,
  gitRepo: legacy.GitRepoVolumeSource,
  secret: SecretVolumeSource,
  nfs: NFSVolumeSource,
  iscsi: ISCSIVolumeSource,
  glusterfs: legacy.GlusterfsVolumeSource,
  persistentVolumeClaim: PersistentVolumeClaimVolumeSource,
  rbd: legacy.RBDVolumeSource,
  flexVolume: legacy.FlexVolumeSource,
  cinder: legacy.CinderVolumeSource,
  cephfs: legacy.CephFSVolumeSource,
  flocker: legacy.FlockerVolumeSource,
  downwardAPI: DownwardAPIVolumeSource,
  fc: legacy.FCVolumeSource,
  azureFile: legacy.AzureFileVolumeSource,
  configMap: ConfigMapVolumeSource,
  vsphereVolume: legacy.VsphereVirtualDiskVolumeSource,
  quobyte: legacy.QuobyteVolumeSource,
  azureDisk: legacy.AzureDiskVolumeSource,
  photonPersistentDisk: legacy.PhotonPersistentDiskVolumeSource,
  projected: ProjectedVolumeSource,
  portworxVolume: legacy.PortworxVolumeSource,
  scaleIO: legacy.ScaleIOVolumeSource,
  storageos: legacy.StorageOSVolumeSource,
  csi: CSIVolumeSource,
  ephemeral: EphemeralVolumeSource,
  image: ImageVolumeSource,
};

export type VolumeSourceField = keyof typeof sources;
export const VOLUME_SOURCE_FIELDS = Object.keys(sources) as VolumeSourceField[];

export const Volume = obj(
  'A named volume of the pod; exactly one source must be set.',
  {
    name: str('Name of the volume, a DNS label unique within the pod; volume mounts refer to it.'),
    ...sources,
  },
  { id: 'io.k8s.api.core.v1.Volume', required: ['name'] },
);
export type Volume = Static<typeof Volume>;
