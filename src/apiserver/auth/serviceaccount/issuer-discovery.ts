// Service-account issuer discovery: the OpenID Connect provider document at
// /.well-known/openid-configuration and the key set at /openid/v1/jwks, so anything that trusts
// the issuer (a cloud's workload identity, Vault, another cluster) can verify our tokens without
// holding the public key file. Both documents are fixed for the life of the process.
import { SIGNING_ALG, type SigningKey } from './keys.js';

export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';

export function openidConfiguration(o: { issuer: string; jwksUri: string }): string {
  return JSON.stringify({
    issuer: o.issuer,
    jwks_uri: o.jwksUri,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
  });
}

export function jwks(keys: readonly SigningKey[]): string {
  return JSON.stringify({ keys: keys.map((k) => k.jwk) });
}
