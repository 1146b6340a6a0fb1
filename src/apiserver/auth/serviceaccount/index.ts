// Service-account tokens as Kubernetes ≥ 1.24 makes them: bound, expiring JWTs signed by the API
// server, never stored in Secrets. One ServiceAccountTokens per server holds the signing key and
// gives the rest of the API server its three faces: the authenticator for the request chain,
// the TokenRequest handler for serviceaccounts/{name}/token, and the authentication API
// (issuer discovery, SelfSubjectReview, TokenReview) for the router.
import type { Registry } from '../../registry/registry.js';
import type { Authenticator } from '../tokens.js';
import { authenticationApi, type AuthenticationApi } from './authentication-api.js';
import { ServiceAccountAuthenticator } from './authenticator.js';
import { jwks, JWKS_PATH, openidConfiguration } from './issuer-discovery.js';
import type { SigningKey } from './keys.js';
import { registryLookup } from './lookup.js';
import { issueToken, type TokenIssuerDeps, type TokenRequestInput } from './token-request.js';

export type { AuthenticationApi } from './authentication-api.js';
export type { TokenRequestInput } from './token-request.js';
export { ServiceAccountAuthenticator } from './authenticator.js';
export { ensureSigningKey, type SigningKey } from './keys.js';

/** The issuer (and default audience) of every token, as a Kubernetes cluster names itself by default. */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** What the resource handler needs to serve serviceaccounts/{name}/token. */
export interface TokenRequestHandler {
  createToken(input: TokenRequestInput): Promise<Record<string, unknown>>;
}

export interface ServiceAccountTokensOptions {
  /** From ensureSigningKey(DATA_DIR/tls); a promise lets key generation overlap other start-up work. */
  key: SigningKey | Promise<SigningKey>;
  registry: Registry;
  issuer?: string;
  /** Audiences that mean "this API server"; default: the issuer, as Kubernetes defaults --api-audiences. */
  apiAudiences?: string[];
  now?(): Date;
}

export class ServiceAccountTokens implements TokenRequestHandler {
  readonly authenticator: ServiceAccountAuthenticator;

  private constructor(private readonly deps: TokenIssuerDeps) {
    this.authenticator = new ServiceAccountAuthenticator(deps);
  }

  get issuer(): string {
    return this.deps.issuer;
  }

  get apiAudiences(): readonly string[] {
    return this.deps.apiAudiences;
  }

  static async open(o: ServiceAccountTokensOptions): Promise<ServiceAccountTokens> {
    const key = await o.key;
    const issuer = o.issuer ?? DEFAULT_ISSUER;
    return new ServiceAccountTokens({
      key,
      issuer,
      apiAudiences: o.apiAudiences ?? [issuer],
      lookup: registryLookup(o.registry),
      now: o.now ?? ((): Date => new Date()),
    });
  }

  createToken(input: TokenRequestInput): Promise<Record<string, unknown>> {
    return issueToken(this.deps, input);
  }

  /**
   * The router's authentication endpoints. `serverUrl` is this server's external URL, where the
   * JWKS is published (known only once the server listens).
   */
  httpApi(o: { others: Authenticator; serverUrl(): string }): AuthenticationApi {
    return authenticationApi({
      serviceAccounts: this.authenticator,
      others: o.others,
      apiAudiences: this.apiAudiences,
      openidConfiguration: () => openidConfiguration({ issuer: this.issuer, jwksUri: `${o.serverUrl()}${JWKS_PATH}` }),
      jwks: () => jwks([this.deps.key]),
      now: this.deps.now,
    });
  }
}
