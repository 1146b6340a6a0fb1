// The StatefulSet controller's writes: claims then pods (claims first, so the pod never starts
// without its storage), deletions, and repairs of drifted pods and claim owners. Each write is
// recorded with the Event wording Kubernetes uses ("create Pod web-0 in StatefulSet web
// successful", "create Claim www-web-0 Pod web-0 in StatefulSet web success") and counted in
// expectations so the next pass waits for the informer to see it.
import type { StatefulSet } from '../../api/apps/v1/index.js';
import { persistentVolumeClaimKind, podKind, type PersistentVolumeClaim, type Pod } from '../../api/core/v1/index.js';
import { keyFor, type Client, type EventRecorder } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import type { Expectations } from '../runtime/index.js';
import { claimToCreate, reconcileClaimOwners, wantedClaimOwners } from './claims.js';
import type { StatefulActions } from './control.js';
import { claimsFor, identityMatches, identityPatch, ordinalOf } from './identity.js';

export interface PodControlDeps {
  client: Client;
  recorder: EventRecorder;
  expectations: Expectations;
  /** The cached claim, if any. */
  claim(namespace: string | undefined, name: string): PersistentVolumeClaim | undefined;
}

const reasonOf = (err: unknown): string | undefined => (err instanceof StatusError ? err.reason : undefined);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Thrown (to requeue) when a claim from an earlier incarnation is still being deleted. */
export class ClaimBusyError extends Error {}

export function statefulActions(d: PodControlDeps, o: { set: StatefulSet; key: string }): StatefulActions {
  const { set, key } = o;
  const ns = set.metadata?.namespace;
  const setName = set.metadata?.name ?? '';
  const podEvent = (verb: 'create' | 'delete' | 'update', pod: Pod, err?: unknown): void => {
    const name = pod.metadata?.name ?? '';
    const Verb = verb[0]?.toUpperCase() + verb.slice(1);
    if (err === undefined) d.recorder.event(set, 'Normal', `Successful${Verb}`, `${verb} Pod ${name} in StatefulSet ${setName} successful`);
    else d.recorder.event(set, 'Warning', `Failed${Verb}`, `${verb} Pod ${name} in StatefulSet ${setName} failed error: ${message(err)}`);
  };

  const createClaims = async (pod: Pod): Promise<void> => {
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const name = claim.metadata?.name ?? '';
      const cached = d.claim(ns, name);
      if (cached) {
        // A claim whose old pod owns it is about to be garbage-collected; wait for it to go.
        if (cached.metadata?.deletionTimestamp || (cached.metadata?.ownerReferences ?? []).some((r) => r.kind === 'Pod' && r.name === pod.metadata?.name && r.uid !== pod.metadata?.uid)) {
          throw new ClaimBusyError(`PersistentVolumeClaim ${name} is being deleted`);
        }
        continue;
      }
      try {
        await d.client.create(persistentVolumeClaimKind, ns, claimToCreate(claim, set));
        d.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${pod.metadata?.name ?? ''} in StatefulSet ${setName} success`);
      } catch (err) {
        if (reasonOf(err) === 'AlreadyExists') continue;
        d.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${pod.metadata?.name ?? ''} in StatefulSet ${setName} failed error: ${message(err)}`);
        throw err;
      }
    }
  };

  const createPod = async (pod: Pod): Promise<void> => {
    try {
      await createClaims(pod);
    } catch (err) {
      d.expectations.creationFailed(key);
      throw err;
    }
    try {
      await d.client.create(podKind, ns, pod);
      podEvent('create', pod);
    } catch (err) {
      d.expectations.creationFailed(key);
      if (reasonOf(err) === 'AlreadyExists') return;
      podEvent('create', pod, err);
      throw err;
    }
  };

  const claimsMatch = (pod: Pod, opts: { scaledDown: boolean }): boolean => {
    const want = wantedClaimOwners(set, opts);
    for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
      const cached = d.claim(ns, claim.metadata?.name ?? '');
      if (cached && reconcileClaimOwners(cached, { set, pod, want })) return false;
    }
    return true;
  };

  return {
    async createPods(pods) {
      d.expectations.expectCreations(key, pods.length);
      let next = 0;
      for (let batch = 1; next < pods.length; batch *= 2) {
        const chunk = pods.slice(next, next + batch);
        next += chunk.length;
        const results = await Promise.allSettled(chunk.map(createPod));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) {
          for (let i = next; i < pods.length; i++) d.expectations.creationFailed(key);
          throw failed.reason;
        }
      }
    },
    async deletePod(pod) {
      const podKey = keyFor(pod.metadata?.namespace, pod.metadata?.name ?? '');
      d.expectations.expectDeletions(key, [podKey]);
      try {
        await d.client.delete(podKind, ns, pod.metadata?.name ?? '', { preconditions: { uid: pod.metadata?.uid ?? '' } });
        podEvent('delete', pod);
      } catch (err) {
        d.expectations.deletionObserved(key, podKey);
        if (reasonOf(err) === 'NotFound' || reasonOf(err) === 'Conflict') return;
        podEvent('delete', pod, err);
        throw err;
      }
    },
    async repairPod(pod, opts) {
      if (!identityMatches(set, pod)) {
        try {
          await d.client.patch(podKind, ns, pod.metadata?.name ?? '', { type: 'merge', body: { metadata: { labels: identityPatch(set, pod) } } });
          podEvent('update', pod);
        } catch (err) {
          podEvent('update', pod, err);
          throw err;
        }
      }
      if (!opts.scaledDown) await createClaims(pod);
      const want = wantedClaimOwners(set, opts);
      for (const claim of claimsFor(set, ordinalOf(pod)).values()) {
        const cached = d.claim(ns, claim.metadata?.name ?? '');
        const refs = cached && reconcileClaimOwners(cached, { set, pod, want });
        if (!cached || !refs) continue;
        await d.client.patch(persistentVolumeClaimKind, ns, cached.metadata?.name ?? '', {
          type: 'merge',
          body: { metadata: { ownerReferences: refs.length > 0 ? refs : null, resourceVersion: cached.metadata?.resourceVersion } },
        });
      }
    },
    claimsMatch,
    warn: (reason, msg) => d.recorder.event(set, 'Warning', reason, msg),
  };
}
