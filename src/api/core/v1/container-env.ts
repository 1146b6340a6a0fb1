// core/v1 environment schemas for containers: single variables (literal or taken from the pod's
// own fields, its resources, a ConfigMap key or a Secret key) and bulk imports of a whole
// ConfigMap or Secret. The field and resource selectors are also used by downward-API volumes.
import { obj, str, bool, quantity, type Static } from '../../schema.js';

const id = (name: string): string => `io.k8s.api.core.v1.${name}`;

export const ObjectFieldSelector = obj(
  'Selects a field of the pod, such as metadata.name or status.podIP.',
  {
    apiVersion: str('Version of the schema fieldPath is written in; defaults to "v1".'),
    fieldPath: str('Path of the field to select.'),
  },
  { id: id('ObjectFieldSelector'), required: ['fieldPath'], 'x-kubernetes-map-type': 'atomic' },
);
export type ObjectFieldSelector = Static<typeof ObjectFieldSelector>;

export const ResourceFieldSelector = obj(
  'Selects a container\'s resource request or limit, such as limits.cpu.',
  {
    containerName: str('Container whose resources are read; optional for env vars (the current one).'),
    resource: str('Which value: limits.cpu, requests.memory, ...'),
    divisor: quantity('Unit the value is expressed in; defaults to 1.'),
  },
  { id: id('ResourceFieldSelector'), required: ['resource'], 'x-kubernetes-map-type': 'atomic' },
);
export type ResourceFieldSelector = Static<typeof ResourceFieldSelector>;

export const ConfigMapKeySelector = obj(
  'One key of a ConfigMap in the pod\'s namespace.',
  {
    name: str('Name of the ConfigMap.'),
    key: str('Key to read.'),
    optional: bool('If true, a missing ConfigMap or key is not an error.'),
  },
  { id: id('ConfigMapKeySelector'), required: ['key'], 'x-kubernetes-map-type': 'atomic' },
);

export const SecretKeySelector = obj(
  'One key of a Secret in the pod\'s namespace.',
  {
    name: str('Name of the Secret.'),
    key: str('Key to read.'),
    optional: bool('If true, a missing Secret or key is not an error.'),
  },
  { id: id('SecretKeySelector'), required: ['key'], 'x-kubernetes-map-type': 'atomic' },
);

export const EnvVarSource = obj(
  'Where a variable\'s value comes from; exactly one source must be set.',
  {
    fieldRef: ObjectFieldSelector,
    resourceFieldRef: ResourceFieldSelector,
    configMapKeyRef: ConfigMapKeySelector,
    secretKeyRef: SecretKeySelector,
  },
  { id: id('EnvVarSource') },
);
export type EnvVarSource = Static<typeof EnvVarSource>;

export const EnvVar = obj(
  'An environment variable for a container.',
  {
    name: str('Variable name.'),
    value: str('Literal value; $(OTHER) references to earlier variables are expanded, $$ escapes.'),
    valueFrom: EnvVarSource,
  },
  { id: id('EnvVar'), required: ['name'] },
);
export type EnvVar = Static<typeof EnvVar>;

export const ConfigMapEnvSource = obj(
  'A ConfigMap whose keys all become variables.',
  {
    name: str('Name of the ConfigMap.'),
    optional: bool('If true, a missing ConfigMap is not an error.'),
  },
  { id: id('ConfigMapEnvSource') },
);

export const SecretEnvSource = obj(
  'A Secret whose keys all become variables.',
  {
    name: str('Name of the Secret.'),
    optional: bool('If true, a missing Secret is not an error.'),
  },
  { id: id('SecretEnvSource') },
);

export const EnvFromSource = obj(
  'Imports every key of a ConfigMap or Secret as variables; exactly one source must be set.',
  {
    prefix: str('Prepended to every imported key.'),
    configMapRef: ConfigMapEnvSource,
    secretRef: SecretEnvSource,
  },
  { id: id('EnvFromSource') },
);
export type EnvFromSource = Static<typeof EnvFromSource>;
