// Choosing a volume for a claim, as Kubernetes' PV controller does: a volume pre-bound to the
// claim wins; otherwise the smallest Available, unclaimed volume of the claim's class that is
// big enough, offers every access mode asked for, has the same volume mode, matches the claim's
// selector and (when a node is known) can be reached from that node. For WaitForFirstConsumer
// claims nothing unclaimed is chosen until the scheduler has picked the node.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PersistentVolume, PersistentVolumeClaim } from '../../api/core/v1/index.js';
import { labelSelectorOrEverything } from '../../lib/selectors/index.js';
import { accessModesFit, capacityBytes, claimClass, isBoundToClaim, requestedBytes, volumeClass, volumeModeOf } from './volumes.js';

function requirementHolds(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = Number.parseInt(value ?? '', 10);
      const want = Number.parseInt(values[0] ?? '', 10);
      if (!Number.isInteger(have) || !Number.isInteger(want)) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

function termHolds(t: NodeSelectorTerm, node: Node): boolean {
  const exprs = t.matchExpressions ?? [];
  const fields = t.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  return (
    exprs.every((r) => requirementHolds(r, labels[r.key])) &&
    fields.every((r) => requirementHolds(r, r.key === 'metadata.name' ? (node.metadata?.name ?? '') : undefined))
  );
}

/** The volume may be used from the node (true when it has no node affinity). */
export function reachableFrom(v: PersistentVolume, node: Node): boolean {
  const terms = v.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return true;
  return terms.some((t) => termHolds(t, node));
}

/** Why a volume named by the claim cannot serve it, or undefined when it can. */
export function mismatch(v: PersistentVolume, c: PersistentVolumeClaim): string | undefined {
  if (capacityBytes(v) < requestedBytes(c)) return 'requested PV is too small';
  if (volumeClass(v) !== claimClass(c)) return 'storageClassName does not match';
  if (volumeModeOf(v.spec) !== volumeModeOf(c.spec)) return 'incompatible volumeMode';
  if (!accessModesFit(v, c)) return 'incompatible accessMode';
  return undefined;
}

export function findBestMatch(c: PersistentVolumeClaim, volumes: readonly PersistentVolume[], o: { delayBinding: boolean; node: Node | undefined }): PersistentVolume | undefined {
  const want = requestedBytes(c);
  const selector = labelSelectorOrEverything(c.spec?.selector);
  let best: PersistentVolume | undefined;
  for (const v of volumes) {
    if (volumeModeOf(v.spec) !== volumeModeOf(c.spec) || v.metadata?.deletionTimestamp || !accessModesFit(v, c)) continue;
    // Whoever pre-bound a volume to the claim (a user, a provisioner) has already chosen.
    if (isBoundToClaim(v, c)) return v;
    if (o.delayBinding && !o.node) continue;
    const reachable = o.node ? reachableFrom(v, o.node) : true;
    if (v.status?.phase !== 'Available' || v.spec?.claimRef) continue;
    if (!selector.matches(v.metadata?.labels ?? {}) || volumeClass(v) !== claimClass(c) || !reachable) continue;
    const size = capacityBytes(v);
    if (size >= want && (!best || size < capacityBytes(best))) best = v;
  }
  return best;
}
