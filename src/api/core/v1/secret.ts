// core/v1 Secret: sensitive data (tokens, keys, passwords) kept apart from pod specs. `data`
// holds base64 bytes; `stringData` is a write-only convenience folded into `data` when the
// object is defaulted, as the Kubernetes API server does. Well-known types require certain keys.
import { Buffer } from 'node:buffer';
import { obj, str, bool, strMap, mapOf, bytes, describeKind, type Static } from '../../schema.js';
import { ObjectMeta, typeMeta } from '../../meta/v1.js';
import { defineKind } from '../../kind.js';
import { secretKind as secretKindNames } from '../../refs/index.js';
import { validateObjectMeta, immutable } from '../../validation/meta.js';
import { key, invalid, required, forbidden, tooLong, type FieldError } from '../../../lib/field-errors.js';
import { validateDataKeys } from './configmap.js';

export const SECRET_TYPES = {
  opaque: 'Opaque',
  serviceAccountToken: 'kubernetes.io/service-account-token',
  dockercfg: 'kubernetes.io/dockercfg',
  dockerConfigJson: 'kubernetes.io/dockerconfigjson',
  basicAuth: 'kubernetes.io/basic-auth',
  sshAuth: 'kubernetes.io/ssh-auth',
  tls: 'kubernetes.io/tls',
  bootstrapToken: 'bootstrap.kubernetes.io/token',
} as const;

/** The annotation naming the ServiceAccount a token secret belongs to. */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
export const SERVICE_ACCOUNT_UID_ANNOTATION = 'kubernetes.io/service-account.uid';
/** Kubernetes caps a secret's data at 1 MiB so it fits comfortably in one etcd value. */
export const MAX_SECRET_SIZE = 1024 * 1024;

export const Secret = obj(
  'Sensitive data such as passwords, tokens or keys, mounted into or exposed to pods.',
  {
    ...typeMeta,
    metadata: ObjectMeta,
    immutable: bool('If true, data can no longer be changed.'),
    data: mapOf('Secret values by key, base64 in JSON.', bytes('Bytes.')),
    stringData: strMap('Write-only plain-text values, merged into data (overriding it) on write.'),
    type: str('Kind of secret, which fixes required keys, e.g. Opaque or kubernetes.io/tls.'),
  },
  { id: 'io.k8s.api.core.v1.Secret', ...describeKind('', 'v1', 'Secret') },
);
export type Secret = Static<typeof Secret>;

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function decodedSize(data: Record<string, string>): number {
  return Object.values(data).reduce((n, v) => n + Buffer.from(v, 'base64').length, 0);
}

function requireKeys(data: Record<string, string>, keys: string[]): FieldError[] {
  return keys.filter((k) => !(k in data)).map((k) => required(key('data', k)));
}

function validJSONKey(data: Record<string, string>, k: string): FieldError[] {
  const v = data[k];
  if (v === undefined) return [required(key('data', k))];
  try {
    JSON.parse(Buffer.from(v, 'base64').toString('utf8'));
    return [];
  } catch (e) {
    return [invalid(key('data', k), '<secret contents redacted>', e instanceof Error ? e.message : String(e))];
  }
}

/** The checks each well-known type adds on top of the generic ones. */
function validateByType(s: Secret): FieldError[] {
  const data = s.data ?? {};
  switch (s.type) {
    case SECRET_TYPES.serviceAccountToken:
      return s.metadata?.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION]
        ? []
        : [required(key('metadata.annotations', SERVICE_ACCOUNT_NAME_ANNOTATION))];
    case SECRET_TYPES.dockercfg:
      return validJSONKey(data, '.dockercfg');
    case SECRET_TYPES.dockerConfigJson:
      return validJSONKey(data, '.dockerconfigjson');
    case SECRET_TYPES.basicAuth:
      return 'username' in data || 'password' in data ? [] : [required(key('data', 'username')), required(key('data', 'password'))];
    case SECRET_TYPES.sshAuth:
      return requireKeys(data, ['ssh-privatekey']);
    case SECRET_TYPES.tls:
      return requireKeys(data, ['tls.crt', 'tls.key']);
    default:
      return [];
  }
}

export const secretKind = defineKind({
  ...secretKindNames,
  schema: Secret,
  defaults(s) {
    s.type ||= SECRET_TYPES.opaque;
    if (s.stringData) {
      s.data ??= {};
      for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(v, 'utf8').toString('base64');
      delete s.stringData;
    }
  },
  validate(s, { old }) {
    const out = validateObjectMeta(s.metadata, { namespaced: true });
    const data = s.data ?? {};
    out.push(...validateDataKeys(Object.keys(data), 'data'));
    out.push(...validateDataKeys(Object.keys(s.stringData ?? {}), 'stringData'));
    if (decodedSize(data) > MAX_SECRET_SIZE) out.push(tooLong('data', '', MAX_SECRET_SIZE));
    out.push(...validateByType(s));
    if (old) {
      out.push(...immutable('type', s.type, old.type));
      if (old.immutable) {
        if (!sameMap(s.data ?? {}, old.data ?? {}))
          out.push(forbidden('data', 'field is immutable when `immutable` is set'));
        if (!s.immutable) out.push(invalid('immutable', s.immutable, 'field is immutable when `immutable` is set'));
      }
    }
    return out;
  },
  fields: (s) => ({ type: s.type ?? '' }),
});
