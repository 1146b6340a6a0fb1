// Signing and verifying service-account JWTs with the signing key. Signing goes through `jose`;
// verification is synchronous (node:crypto) because every API request authenticates and the
// Authenticator interface is synchronous. It checks what the token alone can prove: the compact
// form, the algorithm (RS256 only, so neither `none` nor an HMAC keyed with our public key can
// pass), the signature, issuer, audience and the time window with a minute of leeway for clock
// skew, as Kubernetes allows. Whether the account and bound object still exist is the
// authenticator's business.
import { verify } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ServiceAccountClaims } from './claims.js';
import { SIGNING_ALG, type SigningKey } from './keys.js';

export const CLOCK_LEEWAY_SECONDS = 60;

export async function signToken(key: SigningKey, claims: ServiceAccountClaims): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid }).sign(key.privateKey);
}

/** Why a token of ours was refused; the message is what TokenReview reports. */
export class TokenRejected extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(segment)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A compact JWT split into its parts, unverified. */
interface Compact {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: string;
}

function split(token: string): Compact | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, signature] = parts as [string, string, string];
  const header = decodeSegment(h);
  const payload = decodeSegment(p);
  if (!header || !payload || !BASE64URL.test(signature)) return undefined;
  return { header, payload, signingInput: `${h}.${p}`, signature };
}

/**
 * True when the token looks like a JWT claiming our issuer. Other tokens (static tokens, JWTs of
 * other issuers) belong to other authenticators and are not worth a signature check.
 */
export const claimsIssuer = (token: string, issuer: string): boolean => split(token)?.payload.iss === issuer;

export interface VerifyOptions {
  issuer: string;
  /** The token must name at least one of these. */
  audiences: readonly string[];
  now: Date;
}

const numericDate = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The verified payload; throws TokenRejected otherwise. */
export function verifyToken(key: SigningKey, token: string, o: VerifyOptions): Record<string, unknown> {
  const jwt = split(token);
  if (!jwt) throw new TokenRejected('service account token is malformed');
  if (jwt.header.alg !== SIGNING_ALG) throw new TokenRejected(`service account token is signed with ${String(jwt.header.alg)}, not ${SIGNING_ALG}`);
  if (jwt.header.crit !== undefined) throw new TokenRejected('service account token has critical header parameters');
  const ok = verify('sha256', Buffer.from(jwt.signingInput), key.publicKey, Buffer.from(jwt.signature, 'base64url'));
  if (!ok) throw new TokenRejected('invalid signature');
  const c = jwt.payload;
  if (c.iss !== o.issuer) throw new TokenRejected('service account token has an unexpected issuer');
  const aud = typeof c.aud === 'string' ? [c.aud] : Array.isArray(c.aud) ? c.aud.filter((a): a is string => typeof a === 'string') : [];
  if (!aud.some((a) => o.audiences.includes(a))) throw new TokenRejected('token audiences are invalid for the target audiences');
  const now = o.now.getTime() / 1000;
  const exp = numericDate(c.exp);
  if (exp === undefined) throw new TokenRejected('service account token has no expiry');
  if (now - CLOCK_LEEWAY_SECONDS >= exp) throw new TokenRejected('service account token has expired');
  const nbf = numericDate(c.nbf);
  if (nbf !== undefined && now + CLOCK_LEEWAY_SECONDS < nbf) throw new TokenRejected('service account token is not valid yet');
  const iat = numericDate(c.iat);
  if (iat !== undefined && now + CLOCK_LEEWAY_SECONDS < iat) throw new TokenRejected('service account token is issued in the future');
  return c;
}
