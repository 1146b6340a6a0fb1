// Field numbers of core/v1 storage types: pod volumes and every volume source (Go inlines
// VolumeSource into Volume and PersistentVolumeSource into PersistentVolumeSpec), projections,
// PersistentVolumes and PersistentVolumeClaims.
import { kept, inline, type FieldTable } from './spec.js';

export const coreVolumeFields: FieldTable = {
  'io.k8s.api.core.v1.Volume': { name: kept(1), volumeSource: inline(2, 'io.k8s.api.core.v1.VolumeSource') },
  'io.k8s.api.core.v1.PersistentVolume': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.core.v1.PersistentVolumeSpec': {
    capacity: 1, persistentVolumeSource: inline(2, 'io.k8s.api.core.v1.PersistentVolumeSource'), accessModes: 3, claimRef: 4,
    persistentVolumeReclaimPolicy: 5, storageClassName: 6, mountOptions: 7, volumeMode: kept(8), nodeAffinity: 9,
    volumeAttributesClassName: kept(10),
  },
  'io.k8s.api.core.v1.PersistentVolumeStatus': { phase: 1, message: 2, reason: 3, lastPhaseTransitionTime: 4 },
  'io.k8s.api.core.v1.VolumeNodeAffinity': { required: 1 },
  'io.k8s.api.core.v1.ModifyVolumeStatus': { targetVolumeAttributesClassName: 1, status: kept(2) },
  'io.k8s.api.core.v1.PersistentVolumeClaim': { metadata: 1, spec: 2, status: 3 },
  'io.k8s.api.core.v1.PersistentVolumeClaimCondition': {
    type: kept(1), status: kept(2), lastProbeTime: 3, lastTransitionTime: 4, reason: 5, message: 6,
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': {
    phase: 1, accessModes: 2, capacity: 3, conditions: 4, allocatedResources: 5, allocatedResourceStatuses: 7,
    currentVolumeAttributesClassName: kept(8), modifyVolumeStatus: 9,
  },
  'io.k8s.api.core.v1.AzureFilePersistentVolumeSource': {
    secretName: kept(1), shareName: kept(2), readOnly: 3, secretNamespace: kept(4),
  },
  'io.k8s.api.core.v1.CSIPersistentVolumeSource': {
    driver: kept(1), volumeHandle: kept(2), readOnly: 3, fsType: 4, volumeAttributes: 5, controllerPublishSecretRef: 6,
    nodeStageSecretRef: 7, nodePublishSecretRef: 8, controllerExpandSecretRef: 9, nodeExpandSecretRef: 10,
  },
  'io.k8s.api.core.v1.CephFSPersistentVolumeSource': { monitors: 1, path: 2, user: 3, secretFile: 4, secretRef: 5, readOnly: 6 },
  'io.k8s.api.core.v1.CinderPersistentVolumeSource': { volumeID: kept(1), fsType: 2, readOnly: 3, secretRef: 4 },
  'io.k8s.api.core.v1.FlexPersistentVolumeSource': { driver: kept(1), fsType: 2, secretRef: 3, readOnly: 4, options: 5 },
  'io.k8s.api.core.v1.GlusterfsPersistentVolumeSource': {
    endpoints: kept(1), path: kept(2), readOnly: 3, endpointsNamespace: kept(4),
  },
  'io.k8s.api.core.v1.ISCSIPersistentVolumeSource': {
    targetPortal: kept(1), iqn: kept(2), lun: kept(3), iscsiInterface: 4, fsType: 5, readOnly: 6, portals: 7,
    chapAuthDiscovery: 8, chapAuthSession: 11, secretRef: 10, initiatorName: kept(12),
  },
  'io.k8s.api.core.v1.LocalVolumeSource': { path: kept(1), fsType: kept(2) },
  'io.k8s.api.core.v1.RBDPersistentVolumeSource': {
    monitors: 1, image: kept(2), fsType: 3, pool: 4, user: 5, keyring: 6, secretRef: 7, readOnly: 8,
  },
  'io.k8s.api.core.v1.ScaleIOPersistentVolumeSource': {
    gateway: kept(1), system: kept(2), secretRef: 3, sslEnabled: 4, protectionDomain: 5, storagePool: 6, storageMode: 7,
    volumeName: 8, fsType: 9, readOnly: 10,
  },
  'io.k8s.api.core.v1.StorageOSPersistentVolumeSource': {
    volumeName: 1, volumeNamespace: 2, fsType: 3, readOnly: 4, secretRef: 5,
  },
  'io.k8s.api.core.v1.TopologySelectorLabelRequirement': { key: kept(1), values: 2 },
  'io.k8s.api.core.v1.TopologySelectorTerm': { matchLabelExpressions: 1 },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {
    accessModes: 1, selector: 4, resources: 2, volumeName: 3, storageClassName: kept(5), volumeMode: kept(6), dataSource: 7,
    dataSourceRef: 8, volumeAttributesClassName: kept(9),
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimTemplate': { metadata: 1, spec: 2 },
  'io.k8s.api.core.v1.TypedLocalObjectReference': { apiGroup: kept(1), kind: kept(2), name: kept(3) },
  'io.k8s.api.core.v1.TypedObjectReference': { apiGroup: kept(1), kind: kept(2), name: kept(3), namespace: kept(4) },
  'io.k8s.api.core.v1.VolumeResourceRequirements': { limits: 1, requests: 2 },
  'io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource': { volumeID: kept(1), fsType: 2, partition: 3, readOnly: 4 },
  'io.k8s.api.core.v1.AzureDiskVolumeSource': {
    diskName: kept(1), diskURI: kept(2), cachingMode: kept(3), fsType: kept(4), readOnly: kept(5), kind: kept(6),
  },
  'io.k8s.api.core.v1.AzureFileVolumeSource': { secretName: kept(1), shareName: kept(2), readOnly: 3 },
  'io.k8s.api.core.v1.CephFSVolumeSource': { monitors: 1, path: 2, user: 3, secretFile: 4, secretRef: 5, readOnly: 6 },
  'io.k8s.api.core.v1.CinderVolumeSource': { volumeID: kept(1), fsType: 2, readOnly: 3, secretRef: 4 },
  'io.k8s.api.core.v1.FCVolumeSource': { targetWWNs: 1, lun: kept(2), fsType: 3, readOnly: 4, wwids: 5 },
  'io.k8s.api.core.v1.FlexVolumeSource': { driver: kept(1), fsType: 2, secretRef: 3, readOnly: 4, options: 5 },
  'io.k8s.api.core.v1.FlockerVolumeSource': { datasetName: 1, datasetUUID: 2 },
  'io.k8s.api.core.v1.GCEPersistentDiskVolumeSource': { pdName: kept(1), fsType: 2, partition: 3, readOnly: 4 },
  'io.k8s.api.core.v1.GitRepoVolumeSource': { repository: kept(1), revision: 2, directory: 3 },
  'io.k8s.api.core.v1.GlusterfsVolumeSource': { endpoints: kept(1), path: kept(2), readOnly: 3 },
  'io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource': { pdID: kept(1), fsType: 2 },
  'io.k8s.api.core.v1.PortworxVolumeSource': { volumeID: kept(1), fsType: 2, readOnly: 3 },
  'io.k8s.api.core.v1.QuobyteVolumeSource': { registry: kept(1), volume: kept(2), readOnly: 3, user: 4, group: 5, tenant: 6 },
  'io.k8s.api.core.v1.RBDVolumeSource': {
    monitors: 1, image: kept(2), fsType: 3, pool: 4, user: 5, keyring: 6, secretRef: 7, readOnly: 8,
  },
  'io.k8s.api.core.v1.ScaleIOVolumeSource': {
    gateway: kept(1), system: kept(2), secretRef: 3, sslEnabled: 4, protectionDomain: 5, storagePool: 6, storageMode: 7,
    volumeName: 8, fsType: 9, readOnly: 10,
  },
  'io.k8s.api.core.v1.StorageOSVolumeSource': { volumeName: 1, volumeNamespace: 2, fsType: 3, readOnly: 4, secretRef: 5 },
  'io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource': {
    volumePath: kept(1), fsType: 2, storagePolicyName: 3, storagePolicyID: 4,
  },
  'io.k8s.api.core.v1.ClusterTrustBundleProjection': {
    name: kept(1), signerName: kept(2), labelSelector: 3, optional: kept(5), path: kept(4),
  },
  'io.k8s.api.core.v1.ConfigMapProjection': {
    localObjectReference: inline(1, 'io.k8s.api.core.v1.LocalObjectReference'), items: 2, optional: kept(4),
  },
  'io.k8s.api.core.v1.DownwardAPIProjection': { items: 1 },
  'io.k8s.api.core.v1.ProjectedVolumeSource': { sources: 1, defaultMode: kept(2) },
  'io.k8s.api.core.v1.SecretProjection': {
    localObjectReference: inline(1, 'io.k8s.api.core.v1.LocalObjectReference'), items: 2, optional: kept(4),
  },
  'io.k8s.api.core.v1.ServiceAccountTokenProjection': { audience: 1, expirationSeconds: kept(2), path: kept(3) },
  'io.k8s.api.core.v1.VolumeProjection': {
    secret: 1, downwardAPI: 2, configMap: 3, serviceAccountToken: 4, clusterTrustBundle: 5,
  },
  'io.k8s.api.core.v1.CSIVolumeSource': {
    driver: kept(1), readOnly: kept(2), fsType: kept(3), volumeAttributes: 4, nodePublishSecretRef: 5,
  },
  'io.k8s.api.core.v1.ConfigMapVolumeSource': {
    localObjectReference: inline(1, 'io.k8s.api.core.v1.LocalObjectReference'), items: 2, defaultMode: kept(3),
    optional: kept(4),
  },
  'io.k8s.api.core.v1.DownwardAPIVolumeFile': { path: kept(1), fieldRef: 2, resourceFieldRef: 3, mode: kept(4) },
  'io.k8s.api.core.v1.DownwardAPIVolumeSource': { items: 1, defaultMode: kept(2) },
  'io.k8s.api.core.v1.EmptyDirVolumeSource': { medium: 1, sizeLimit: 2 },
  'io.k8s.api.core.v1.EphemeralVolumeSource': { volumeClaimTemplate: 1 },
  'io.k8s.api.core.v1.HostPathVolumeSource': { path: kept(1), type: kept(2) },
  'io.k8s.api.core.v1.ISCSIVolumeSource': {
    targetPortal: kept(1), iqn: kept(2), lun: kept(3), iscsiInterface: 4, fsType: 5, readOnly: 6, portals: 7,
    chapAuthDiscovery: 8, chapAuthSession: 11, secretRef: 10, initiatorName: kept(12),
  },
  'io.k8s.api.core.v1.ImageVolumeSource': { reference: 1, pullPolicy: 2 },
  'io.k8s.api.core.v1.KeyToPath': { key: kept(1), path: kept(2), mode: kept(3) },
  'io.k8s.api.core.v1.LocalObjectReference': { name: 1 },
  'io.k8s.api.core.v1.NFSVolumeSource': { server: kept(1), path: kept(2), readOnly: 3 },
  'io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource': { claimName: kept(1), readOnly: 2 },
  'io.k8s.api.core.v1.SecretVolumeSource': { secretName: 1, items: 2, defaultMode: kept(3), optional: kept(4) },
  'io.k8s.api.core.v1.PersistentVolumeSource': {
    gcePersistentDisk: 1, awsElasticBlockStore: 2, hostPath: 3, glusterfs: 4, nfs: 5, rbd: 6, iscsi: 7, cinder: 8, cephfs: 9,
    fc: 10, flocker: 11, flexVolume: 12, azureFile: 13, vsphereVolume: 14, quobyte: 15, azureDisk: 16, photonPersistentDisk: 17,
    portworxVolume: 18, scaleIO: 19, local: 20, storageos: 21, csi: 22,
  },
  'io.k8s.api.core.v1.VolumeSource': {
    hostPath: 1, emptyDir: 2, gcePersistentDisk: 3, awsElasticBlockStore: 4, gitRepo: 5, secret: 6, nfs: 7, iscsi: 8,
    glusterfs: 9, persistentVolumeClaim: 10, rbd: 11, flexVolume: 12, cinder: 13, cephfs: 14, flocker: 15, downwardAPI: 16,
    fc: 17, azureFile: 18, configMap: 19, vsphereVolume: 20, quobyte: 21, azureDisk: 22, photonPersistentDisk: 23,
    projected: 26, portworxVolume: 24, scaleIO: 25, storageos: 27, csi: 28, ephemeral: 29, image: 30,
  },
};
