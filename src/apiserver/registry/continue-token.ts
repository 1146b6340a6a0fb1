// The opaque `continue` token of paged lists: the revision the first page was read at and the
// last key served (relative to the list prefix), base64-encoded JSON as Kubernetes does it.
import { badRequest } from '../../lib/errors.js';

export interface ContinueToken {
  revision: number;
  start: string;
}

export const encodeContinue = (t: ContinueToken): string =>
  Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.revision, start: t.start })).toString('base64url');

export function decodeContinue(s: string): ContinueToken {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    if (v.v === 'meta.k8s.io/v1' && typeof v.rv === 'number' && v.rv > 0 && typeof v.start === 'string' && !v.start.includes('..'))
      return { revision: v.rv, start: v.start };
  } catch {
    // fall through to the error below
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
