// Writing ControllerRevisions through the API: creating one for a template (a name clash with a
// different template bumps the owner's collision count and tries the next name, as Kubernetes
// does), renumbering an existing one when a rollback makes it current again, and deleting
// pruned history.
import { controllerRevisionKind, type ControllerRevision } from '../../api/apps/v1/index.js';
import type { Client } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import { equalRevision, newRevision, type NewRevisionOptions } from './revisions.js';

const MAX_COLLISIONS = 20;

const isReason = (err: unknown, reason: string): boolean => err instanceof StatusError && err.reason === reason;

/**
 * Creates the revision for `o.template`, or returns the existing one with equal data. The
 * returned collision count is what the owner's status must record from now on.
 */
export async function createRevision(client: Client, o: NewRevisionOptions): Promise<{ revision: ControllerRevision; collisionCount: number }> {
  let collisionCount = o.collisionCount ?? 0;
  for (let i = 0; i < MAX_COLLISIONS; i++) {
    const rev = newRevision({ ...o, collisionCount });
    const ns = rev.metadata?.namespace;
    try {
      return { revision: await client.create<ControllerRevision>(controllerRevisionKind, ns, rev), collisionCount };
    } catch (err) {
      if (!isReason(err, 'AlreadyExists')) throw err;
      const existing = await client.get<ControllerRevision>(controllerRevisionKind, ns, rev.metadata?.name ?? '');
      if (equalRevision(existing, rev)) return { revision: existing, collisionCount };
      collisionCount += 1;
    }
  }
  throw new StatusError('InternalError', `too many hash collisions creating a revision of ${o.owner.metadata?.name ?? ''}`);
}

/** Gives an existing revision a new number (a rollback to it makes it the newest). */
export async function renumberRevision(client: Client, rev: ControllerRevision, revision: number): Promise<ControllerRevision> {
  if (rev.revision === revision) return rev;
  const next = structuredClone(rev);
  next.revision = revision;
  return client.update<ControllerRevision>(controllerRevisionKind, next.metadata?.namespace, next);
}

export async function deleteRevision(client: Client, rev: ControllerRevision): Promise<void> {
  try {
    await client.delete(controllerRevisionKind, rev.metadata?.namespace, rev.metadata?.name ?? '', {
      preconditions: { uid: rev.metadata?.uid ?? '' },
    });
  } catch (err) {
    if (!isReason(err, 'NotFound') && !isReason(err, 'Conflict')) throw err;
  }
}
