// core/v1 projected volume schemas: several API-data sources (Secrets, ConfigMaps, downward
// API, service-account tokens, cluster trust bundles) merged into one directory. This is how
// every pod gets its API credentials (the kube-api-access volume).
import { obj, str, int32, int64, bool, list, type Static } from '../../schema.js';
import { LabelSelector } from '../../meta/v1.js';
import { KeyToPath, DownwardAPIVolumeFile } from './volume-sources.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const SecretProjection = obj(
  'Keys of a Secret projected into the volume.',
  {
    name: str('Name of the Secret.'),
    items: list('Keys to project; all keys when empty.', KeyToPath, { listType: 'atomic' }),
    optional: bool('If true, a missing Secret or key is not an error.'),
  },
  { id: id('SecretProjection') },
);

export const ConfigMapProjection = obj(
  'Keys of a ConfigMap projected into the volume.',
  {
    name: str('Name of the ConfigMap.'),
    items: list('Keys to project; all keys when empty.', KeyToPath, { listType: 'atomic' }),
    optional: bool('If true, a missing ConfigMap or key is not an error.'),
  },
  { id: id('ConfigMapProjection') },
);

export const DownwardAPIProjection = obj(
  'Pod fields and resource values projected into the volume.',
  { items: list('Files to write.', DownwardAPIVolumeFile, { listType: 'atomic' }) },
  { id: id('DownwardAPIProjection') },
);

export const ServiceAccountTokenProjection = obj(
  'A token of the pod\'s service account, refreshed by the kubelet before it expires.',
  {
    audience: str('Intended audience of the token; defaults to the API server.'),
    expirationSeconds: int64('Requested lifetime in seconds (at least 600); defaults to 3600.'),
    path: str('Relative file path of the token.'),
  },
  { id: id('ServiceAccountTokenProjection'), required: ['path'] },
);

export const ClusterTrustBundleProjection = obj(
  'Certificates from ClusterTrustBundle objects written to one file.',
  {
    name: str('Select one bundle by name (exclusive with signerName).'),
    signerName: str('Select bundles of this signer.'),
    labelSelector: LabelSelector,
    optional: bool('If true, no matching bundle is not an error.'),
    path: str('Relative file path.'),
  },
  { id: id('ClusterTrustBundleProjection'), required: ['path'] },
);

export const VolumeProjection = obj(
  'One source of a projected volume; exactly one field must be set.',
  {
    secret: SecretProjection,
    downwardAPI: DownwardAPIProjection,
    configMap: ConfigMapProjection,
    serviceAccountToken: ServiceAccountTokenProjection,
    clusterTrustBundle: ClusterTrustBundleProjection,
  },
  { id: id('VolumeProjection') },
);
export type VolumeProjection = Static<typeof VolumeProjection>;

export const ProjectedVolumeSource = obj(
  'Several API-data sources merged into one directory.',
  {
    sources: list('The sources, applied in order.', VolumeProjection, { listType: 'atomic' }),
    defaultMode: int32('Permission bits of the files (0-0777); defaults to 0644.'),
  },
  { id: id('ProjectedVolumeSource') },
);
