// gRPC failures from containerd turned into the Runtime interface's errors: NOT_FOUND becomes
// RuntimeNotFoundError (callers rely on it for idempotent stop/remove and "gone" detection),
// FAILED_PRECONDITION becomes RuntimeStateError, and anything else keeps containerd's own words in
// the form Kubernetes users know from `kubectl describe` ("rpc error: code = Unknown desc = ...").
import { RuntimeNotFoundError, RuntimeStateError } from '../runtime.js';
import { grpcStatus, isGrpcError } from './grpc-client.js';

/** A CRI call that failed for a reason other than not-found or wrong state. */
export class CriError extends Error {
  constructor(
    message: string,
    readonly code: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CriError';
  }
}

/** Go's names for gRPC codes, as containerd's messages print them. */
const CODE_NAMES: Record<number, string> = {
  1: 'Canceled',
  2: 'Unknown',
  3: 'InvalidArgument',
  4: 'DeadlineExceeded',
  5: 'NotFound',
  6: 'AlreadyExists',
  7: 'PermissionDenied',
  8: 'ResourceExhausted',
  9: 'FailedPrecondition',
  10: 'Aborted',
  11: 'OutOfRange',
  12: 'Unimplemented',
  13: 'Internal',
  14: 'Unavailable',
  15: 'DataLoss',
  16: 'Unauthenticated',
};

export function criError(err: unknown): Error {
  if (!isGrpcError(err)) return err instanceof Error ? err : new Error(String(err));
  return new CriError(`rpc error: code = ${CODE_NAMES[err.code] ?? err.code} desc = ${err.details}`, err.code, { cause: err });
}

/** Maps a failed call about one object; `what`/`id` name it in NotFound errors. */
export function mapError(err: unknown, what: 'sandbox' | 'container' | 'image', id: string): Error {
  if (isGrpcError(err) && err.code === grpcStatus.NOT_FOUND) return Object.assign(new RuntimeNotFoundError(what, id), { cause: err });
  if (isGrpcError(err) && err.code === grpcStatus.FAILED_PRECONDITION) return new RuntimeStateError(`rpc error: code = FailedPrecondition desc = ${err.details}`);
  return criError(err);
}

export const isNotFound = (err: unknown): boolean => isGrpcError(err) && err.code === grpcStatus.NOT_FOUND;
