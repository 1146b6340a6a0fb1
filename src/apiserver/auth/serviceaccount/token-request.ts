// POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token: issues a token for a ServiceAccount
// (the TokenRequest API, what `kubectl create token` and the kubelet's projected volumes call).
// Checks the request the way Kubernetes does (lifetime at least ten minutes, the account and the
// bound object exist, a pod runs as that account, the uid given matches), then signs the claims.
// Pod-bound tokens asking for exactly 3607 s get a year of validity with a `warnafter` mark, as
// Kubernetes' extended expiry does for kubelets that refresh late; the answer still reports the
// lifetime asked for, so the kubelet keeps refreshing on its normal schedule.
import { randomUUID } from 'node:crypto';
import type { ApiObject } from '../../../api/kind.js';
import { TokenRequest, type BoundObjectReference } from '../../../api/authentication/v1/index.js';
import { decodeObject } from '../../../api/check.js';
import { badRequest, conflict, notFound } from '../../../lib/errors.js';
import { child, formatFieldError, invalid, invalidError, type FieldError } from '../../../lib/field-errors.js';
import { buildClaims, type ObjectClaim } from './claims.js';
import type { SigningKey } from './keys.js';
import type { BoundKind, ObjectLookup } from './lookup.js';
import { signToken } from './signer.js';

export const DEFAULT_EXPIRATION_SECONDS = 3600;
export const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;
/** What kubelets ask for; see the file comment. */
export const KUBELET_EXPIRATION_SECONDS = 3607;
export const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 3600;

const API_VERSION = 'authentication.k8s.io/v1';
const GROUP = 'authentication.k8s.io';

export interface TokenIssuerDeps {
  key: SigningKey;
  issuer: string;
  apiAudiences: readonly string[];
  lookup: ObjectLookup;
  now(): Date;
}

export interface TokenRequestInput {
  namespace: string;
  /** The ServiceAccount's name, from the URL. */
  name: string;
  body: unknown;
  /** A dry run checks everything but signs nothing. */
  dryRun: boolean;
  fieldValidation: 'Ignore' | 'Warn' | 'Strict';
  warnings: string[];
}

interface Bound {
  pod?: ObjectClaim;
  secret?: ObjectClaim;
  node?: ObjectClaim;
}

function decode(input: TokenRequestInput): ApiObject {
  const what = 'TokenRequest in version "v1" cannot be handled as a TokenRequest';
  const body = input.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest(`${what}: the body must be a JSON object`);
  const raw = body as ApiObject;
  if (raw.apiVersion !== undefined && raw.apiVersion !== API_VERSION)
    throw badRequest(`the API version in the data (${String(raw.apiVersion)}) does not match the expected API version (${API_VERSION})`);
  if (raw.kind !== undefined && raw.kind !== 'TokenRequest') throw badRequest(`the kind in the data (${String(raw.kind)}) does not match the expected kind (TokenRequest)`);
  const { object, unknownFields, errors } = decodeObject(TokenRequest, raw);
  if (errors.length > 0) throw badRequest(`${what}: ${errors.map(formatFieldError).join('; ')}`);
  if (unknownFields.length > 0) {
    const list = unknownFields.map((f) => `unknown field "${f}"`);
    if (input.fieldValidation === 'Strict') throw badRequest(`${what}: strict decoding error: ${list.join(', ')}`);
    if (input.fieldValidation === 'Warn') input.warnings.push(...list);
  }
  return object;
}

function validate(req: TokenRequest, input: TokenRequestInput): void {
  const errs: FieldError[] = [];
  const m = req.metadata ?? {};
  if (m.name && m.name !== input.name) errs.push(invalid('metadata.name', m.name, 'must match the service account name if specified'));
  if (m.namespace && m.namespace !== input.namespace) errs.push(invalid('metadata.namespace', m.namespace, 'must match the service account namespace if specified'));
  const exp = req.spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  const at = child('spec', 'expirationSeconds');
  if (exp < MIN_EXPIRATION_SECONDS) errs.push(invalid(at, exp, 'may not specify a duration less than 10 minutes'));
  if (exp > MAX_EXPIRATION_SECONDS) errs.push(invalid(at, exp, 'may not specify a duration larger than 2^32 seconds'));
  if (errs.length > 0) throw invalidError({ kind: 'TokenRequest', group: GROUP, name: input.name }, errs);
}

/** `v1` → core group; anything with a slash names another group. */
const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '');

async function resolveBound(deps: TokenIssuerDeps, ref: BoundObjectReference, sa: { namespace: string; name: string }): Promise<Bound> {
  const kind = ref.kind ?? '';
  const apiVersion = ref.apiVersion ?? '';
  const name = ref.name ?? '';
  const group = groupOf(apiVersion);
  if (group !== '' || (kind !== 'Pod' && kind !== 'Secret' && kind !== 'Node')) {
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    throw badRequest(`cannot bind token for serviceaccount "${sa.name}" to object of type ${group}/${version}, Kind=${kind}`);
  }
  const boundKind: BoundKind = kind;
  const plural = `${kind.toLowerCase()}s`;
  const obj = await deps.lookup.fresh(boundKind, { namespace: kind === 'Node' ? '' : sa.namespace, name });
  if (!obj) throw notFound({ group: '', resource: plural }, name);
  const uid = obj.metadata?.uid ?? '';
  if (ref.uid && ref.uid !== uid)
    throw conflict(
      { group: '', resource: kind },
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  const self: ObjectClaim = { name, uid };
  if (kind === 'Secret') return { secret: self };
  if (kind === 'Node') return { node: self };
  const spec = (obj.spec ?? {}) as { serviceAccountName?: string; nodeName?: string };
  if ((spec.serviceAccountName || 'default') !== sa.name)
    throw badRequest(`cannot bind token for serviceaccount "${sa.name}" to pod running with different serviceaccount name.`);
  // The pod's node is recorded for information when it can be found; its absence is no error.
  const node = spec.nodeName ? deps.lookup.cached('Node', { namespace: '', name: spec.nodeName }) : undefined;
  return { pod: self, ...(node && spec.nodeName ? { node: { name: spec.nodeName, uid: node.metadata?.uid ?? '' } } : {}) };
}

/** Answers a TokenRequest: the request as sent (defaults applied) with the token in status. */
export async function issueToken(deps: TokenIssuerDeps, input: TokenRequestInput): Promise<Record<string, unknown>> {
  const decoded = decode(input) as Partial<TokenRequest>;
  const req: TokenRequest = { ...decoded, spec: decoded.spec ?? { audiences: [] } };
  validate(req, input);
  const sa = await deps.lookup.fresh('ServiceAccount', { namespace: input.namespace, name: input.name });
  if (!sa) throw notFound({ group: '', resource: 'serviceaccounts' }, input.name);
  const saRef = { namespace: input.namespace, name: input.name, uid: sa.metadata?.uid ?? '' };
  const bound = req.spec.boundObjectRef ? await resolveBound(deps, req.spec.boundObjectRef, saRef) : {};
  const audiences = req.spec.audiences && req.spec.audiences.length > 0 ? req.spec.audiences : [...deps.apiAudiences];
  const expirationSeconds = req.spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  const now = deps.now();
  const issuedAt = Math.floor(now.getTime() / 1000);
  const extended = bound.pod !== undefined && expirationSeconds === KUBELET_EXPIRATION_SECONDS && audiences.every((a) => deps.apiAudiences.includes(a));
  const claims = buildClaims({
    issuer: deps.issuer,
    serviceAccount: saRef,
    audiences,
    issuedAt,
    lifetimeSeconds: extended ? EXTENDED_EXPIRATION_SECONDS : expirationSeconds,
    ...(extended ? { warnAfterSeconds: expirationSeconds } : {}),
    jti: randomUUID(),
    bound,
  });
  const token = input.dryRun ? '' : await signToken(deps.key, claims);
  return {
    kind: 'TokenRequest',
    apiVersion: API_VERSION,
    // Go prints the zero creation time of an object that was never stored as null.
    metadata: { ...(req.metadata ?? {}), name: input.name, namespace: input.namespace, creationTimestamp: null },
    spec: { ...req.spec, audiences, expirationSeconds, boundObjectRef: req.spec.boundObjectRef ?? null },
    status: { token, expirationTimestamp: new Date((issuedAt + expirationSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
  };
}
