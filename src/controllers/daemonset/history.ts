// A DaemonSet's revision history: finds the ControllerRevision holding the current template
// (creating it, or renumbering an older equal one after a rollback, so the current template
// always has the highest number), and prunes old revisions no pod runs beyond
// revisionHistoryLimit. The current revision's hash label is what new pods are labelled with.
import { controllerRevisionKind, daemonSetKind, type ControllerRevision, type DaemonSet } from '../../api/apps/v1/index.js';
import { podKind, type Pod } from '../../api/core/v1/index.js';
import type { Client } from '../../client/index.js';
import {
  REVISION_HASH_LABEL,
  createRevision,
  deleteRevision,
  nextRevision,
  renumberRevision,
  revisionsToPrune,
  sortRevisions,
  sortKeys,
  templatePatch,
} from '../history/index.js';
import { sameJson } from '../../lib/json.js';

export interface DaemonSetHistory {
  cur: ControllerRevision;
  old: ControllerRevision[];
  /** The hash new pods carry in `controller-revision-hash`. */
  hash: string;
  collisionCount: number;
}

const hashOfRevision = (r: ControllerRevision): string => r.metadata?.labels?.[REVISION_HASH_LABEL] ?? r.metadata?.name ?? '';

export async function constructHistory(client: Client, o: { ds: DaemonSet; revisions: ControllerRevision[]; pods: Pod[] }): Promise<DaemonSetHistory> {
  const { ds } = o;
  const want = sortKeys(templatePatch(ds.spec?.template));
  const current: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (let rev of o.revisions) {
    // Revisions from before the hash label existed are labelled with their name, which is unique.
    if (!rev.metadata?.labels?.[REVISION_HASH_LABEL]) {
      const next = structuredClone(rev);
      next.metadata = { ...next.metadata, labels: { ...(next.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: next.metadata?.name ?? '' } };
      rev = await client.update<ControllerRevision>(controllerRevisionKind, next.metadata.namespace, next);
    }
    (sameJson(sortKeys(rev.data), want) ? current : old).push(rev);
  }
  const wanted = nextRevision(old);
  let collisionCount = ds.status?.collisionCount ?? 0;
  let cur: ControllerRevision;
  if (current.length === 0) {
    const made = await createRevision(client, { owner: ds, ownerKind: daemonSetKind, template: ds.spec?.template, revision: wanted, collisionCount });
    cur = made.revision;
    collisionCount = made.collisionCount;
  } else {
    cur = await dedupCurrent(client, { current, pods: o.pods });
    if ((cur.revision ?? 0) < wanted) cur = await renumberRevision(client, cur, wanted);
  }
  return { cur, old, hash: hashOfRevision(cur), collisionCount };
}

/** Several revisions with the current template (possible after collisions): keep the newest, move pods onto it. */
async function dedupCurrent(client: Client, o: { current: ControllerRevision[]; pods: Pod[] }): Promise<ControllerRevision> {
  const sorted = sortRevisions(o.current);
  const keep = sorted[sorted.length - 1] as ControllerRevision;
  const keepHash = hashOfRevision(keep);
  for (const dup of sorted.slice(0, -1)) {
    const dupHash = hashOfRevision(dup);
    for (const pod of o.pods) {
      if (pod.metadata?.labels?.[REVISION_HASH_LABEL] !== dupHash) continue;
      await client.patch(podKind, pod.metadata.namespace, pod.metadata.name ?? '', {
        type: 'merge',
        body: { metadata: { labels: { [REVISION_HASH_LABEL]: keepHash } } },
      });
    }
    await deleteRevision(client, dup);
  }
  return keep;
}

/** Deletes the oldest revisions beyond revisionHistoryLimit that neither the DaemonSet nor any pod uses. */
export async function cleanupHistory(client: Client, o: { ds: DaemonSet; cur: ControllerRevision; old: ControllerRevision[]; pods: Pod[] }): Promise<void> {
  const limit = o.ds.spec?.revisionHistoryLimit ?? 10;
  if (o.old.length <= limit) return;
  const liveHashes = new Set(o.pods.map((p) => p.metadata?.labels?.[REVISION_HASH_LABEL] ?? ''));
  const live = new Set([o.cur.metadata?.name ?? '', ...o.old.filter((r) => liveHashes.has(hashOfRevision(r))).map((r) => r.metadata?.name ?? '')]);
  for (const rev of revisionsToPrune({ revisions: o.old, live, limit })) await deleteRevision(client, rev);
}
