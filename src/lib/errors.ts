// The one error family of Tugboat's API: a StatusError mirrors a Kubernetes `Status` (reason,
// HTTP code, details with field causes) so that whatever layer throws it, the apiserver can turn
// it into the exact body kubectl and client libraries expect. Field-level validation problems
// are FieldErrors, collected and then wrapped into one `Invalid` StatusError.

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Gone'
  | 'Expired'
  | 'Forbidden'
  | 'Unauthorized'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'Timeout'
  | 'ServiceUnavailable'
  | 'InternalError';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason | '';
  details?: StatusDetails;
  code: number;
}

const CODES: Record<StatusReason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  Gone: 410,
  Expired: 410,
  Forbidden: 403,
  Unauthorized: 401,
  BadRequest: 400,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
  RequestEntityTooLarge: 413,
  TooManyRequests: 429,
  Timeout: 504,
  ServiceUnavailable: 503,
  InternalError: 500,
};

export interface StatusErrorOptions {
  details?: StatusDetails;
  cause?: unknown;
  code?: number;
}

export class StatusError extends Error {
  readonly reason: StatusReason;
  readonly code: number;
  readonly details: StatusDetails | undefined;

  constructor(reason: StatusReason, message: string, opts: StatusErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StatusError';
    this.reason = reason;
    this.code = opts.code ?? CODES[reason];
    this.details = opts.details;
  }

  toStatus(): Status {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** What a kind is called in messages: `deployments.apps` or `pods` for the core group. */
export interface ResourceRef {
  group: string;
  resource: string;
}

const qualified = (r: ResourceRef): string => (r.group ? `${r.resource}.${r.group}` : r.resource);

export const notFound = (r: ResourceRef, name: string): StatusError =>
  new StatusError('NotFound', `${qualified(r)} "${name}" not found`, {
    details: { name, group: r.group, kind: r.resource },
  });

/**
 * The 404 for a path that names no resource (an unknown group, kind or subresource). Kubernetes
 * answers it with an empty `details`, and kubectl relies on it being there: `kubectl debug`
 * dereferences it to tell "ephemeral containers unsupported" from a missing pod.
 */
export const noSuchResource = (): StatusError => new StatusError('NotFound', 'the server could not find the requested resource', { details: {} });

export const alreadyExists = (r: ResourceRef, name: string): StatusError =>
  new StatusError('AlreadyExists', `${qualified(r)} "${name}" already exists`, {
    details: { name, group: r.group, kind: r.resource },
  });

export const conflict = (r: ResourceRef, name: string, why: string): StatusError =>
  new StatusError('Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, {
    details: { name, group: r.group, kind: r.resource },
  });

export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

export const badRequest = (message: string, cause?: unknown): StatusError =>
  new StatusError('BadRequest', message, { cause });

export const expired = (message: string): StatusError => new StatusError('Expired', message);

export const internalError = (cause: unknown): StatusError =>
  new StatusError('InternalError', `Internal error occurred: ${cause instanceof Error ? cause.message : String(cause)}`, {
    cause,
  });

/** Anything thrown, as a StatusError: unknown errors become InternalError with their cause kept. */
export function toStatusError(err: unknown): StatusError {
  return err instanceof StatusError ? err : internalError(err);
}
