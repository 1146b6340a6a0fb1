// core/v1 ConfigMap: non-secret configuration as string data and binary data, optionally
// immutable. Also the model for how a kind file reads: schema, then defineKind with validation.
import { obj, strMap, mapOf, bytes, bool, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { configMapKind as configMapKindNames } from '../../refs/index.js';
import { validateObjectMeta, immutable } from '../../validation/meta.js';
import { child, invalid, tooLong, type FieldError } from '../../../lib/field-errors.js';

export const ConfigMap = obj(
  'Configuration data for pods to consume as environment variables, files or arguments.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    data: strMap('UTF-8 configuration values by key.'),
    binaryData: mapOf('Binary configuration values by key (base64 in JSON).', bytes('Bytes.')),
    immutable: bool('If true, data and binaryData can no longer be changed.'),
  },
  { id: 'io.k8s.api.core.v1.ConfigMap', ...describeKind('', 'v1', 'ConfigMap') },
);
export type ConfigMap = Static<typeof ConfigMap>;

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
/** ConfigMaps (and Secrets) hold at most 1 MiB, so they fit in one etcd value. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Keys of ConfigMaps and Secrets become file names, so they are restricted. */
export function validateDataKeys(keys: string[], path: string): FieldError[] {
  return keys
    .filter((k) => !CONFIG_KEY.test(k) || k.length > 253 || k === '.' || k === '..')
    .map((k) => invalid(path, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"));
}

export const configMapKind = defineKind({
  ...configMapKindNames,
  schema: ConfigMap,
  validate(cm, { old }) {
    const out = validateObjectMeta(cm.metadata, { namespaced: true });
    out.push(...validateDataKeys(Object.keys(cm.data ?? {}), 'data'));
    out.push(...validateDataKeys(Object.keys(cm.binaryData ?? {}), 'binaryData'));
    const size =
      Object.entries(cm.data ?? {}).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0) +
      Object.entries(cm.binaryData ?? {}).reduce((n, [k, v]) => n + k.length + Buffer.from(v, 'base64').length, 0);
    if (size > MAX_CONFIG_BYTES) out.push(tooLong('data', '', MAX_CONFIG_BYTES));
    for (const k of Object.keys(cm.data ?? {})) {
      if (cm.binaryData && k in cm.binaryData) out.push(invalid(child('data', k), k, 'duplicate of key present in binaryData'));
    }
    if (old?.immutable) {
      out.push(...immutable('data', cm.data, old.data), ...immutable('binaryData', cm.binaryData, old.binaryData));
      if (!cm.immutable) out.push(invalid('immutable', cm.immutable, 'field is immutable when `immutable` is set'));
    }
    return out;
  },
});
