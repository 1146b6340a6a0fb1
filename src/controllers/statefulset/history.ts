// A StatefulSet's revisions: the update revision holds the current template (an equal older
// revision is renumbered to the top, which is how a rollback looks); the current revision is
// the one status.currentRevision names, or the update revision on the first sync. Pods carry
// the revision *name* in `controller-revision-hash`. Old revisions no pod uses are pruned beyond
// revisionHistoryLimit.
import { statefulSetKind, type ControllerRevision, type StatefulSet } from '../../api/apps/v1/index.js';
import type { Pod } from '../../api/core/v1/index.js';
import type { Client } from '../../client/index.js';
import {
  createRevision,
  deleteRevision,
  equalRevision,
  newRevision,
  nextRevision,
  renumberRevision,
  revisionsToPrune,
  sortRevisions,
} from '../history/index.js';
import { revisionOfPod } from './identity.js';

export interface SetRevisions {
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
  /** All revisions, oldest first, including any just created. */
  revisions: ControllerRevision[];
}

export async function setRevisions(client: Client, o: { set: StatefulSet; revisions: ControllerRevision[] }): Promise<SetRevisions> {
  const { set } = o;
  const revisions = sortRevisions(o.revisions);
  let collisionCount = set.status?.collisionCount ?? 0;
  const wanted = nextRevision(revisions);
  const candidate = newRevision({ owner: set, ownerKind: statefulSetKind, template: set.spec?.template, revision: wanted, collisionCount });
  const equal = revisions.filter((r) => equalRevision(r, candidate));
  const last = revisions[revisions.length - 1];
  let update: ControllerRevision;
  const newestEqual = equal[equal.length - 1];
  if (newestEqual && last && newestEqual.metadata?.name === last.metadata?.name) {
    update = last;
  } else if (newestEqual) {
    update = await renumberRevision(client, newestEqual, wanted);
    replace(revisions, update);
  } else {
    const made = await createRevision(client, { owner: set, ownerKind: statefulSetKind, template: set.spec?.template, revision: wanted, collisionCount });
    update = made.revision;
    collisionCount = made.collisionCount;
    revisions.push(update);
  }
  const current = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount, revisions };
}

function replace(revisions: ControllerRevision[], rev: ControllerRevision): void {
  const i = revisions.findIndex((r) => r.metadata?.name === rev.metadata?.name);
  if (i >= 0) revisions.splice(i, 1);
  revisions.push(rev);
}

/** Deletes the oldest revisions beyond the limit that neither the set's current/update revision nor any pod uses. */
export async function truncateHistory(client: Client, o: { set: StatefulSet; pods: readonly Pod[]; revs: SetRevisions }): Promise<void> {
  const live = new Set([o.revs.current.metadata?.name ?? '', o.revs.update.metadata?.name ?? '', ...o.pods.map(revisionOfPod)]);
  const limit = o.set.spec?.revisionHistoryLimit ?? 10;
  for (const rev of revisionsToPrune({ revisions: o.revs.revisions, live, limit })) await deleteRevision(client, rev);
}
