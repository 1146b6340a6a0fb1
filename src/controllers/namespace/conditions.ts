// The five status conditions Kubernetes keeps on a terminating namespace, so `kubectl describe
// ns` explains why it is stuck: discovery and group-version failures (never, here: the kinds
// are a fixed list), content that failed to delete, content still present, and finalizers
// holding that content. Each is always present, False with a reassuring reason when all is
// well; lastTransitionTime moves only when the status flips.
import type { ContentReport } from './content.js';

export interface NamespaceCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

interface Entry {
  type: string;
  okReason: string;
  okMessage: string;
  failReason: string;
  failMessage(r: ContentReport): string | undefined;
}

const counted = (m: Map<string, number>, verb: string): string =>
  [...m.entries()]
    .map(([k, n]) => `${k} ${verb} ${n} resource instances`)
    .sort()
    .join(', ');

const ENTRIES: Entry[] = [
  {
    type: 'NamespaceDeletionDiscoveryFailure',
    okReason: 'ResourcesDiscovered',
    okMessage: 'All resources successfully discovered',
    failReason: 'DiscoveryFailed',
    failMessage: () => undefined,
  },
  {
    type: 'NamespaceDeletionGroupVersionParsingFailure',
    okReason: 'ParsedGroupVersions',
    okMessage: 'All legacy kube types successfully parsed',
    failReason: 'GroupVersionParsingFailed',
    failMessage: () => undefined,
  },
  {
    type: 'NamespaceDeletionContentFailure',
    okReason: 'ContentDeleted',
    okMessage: 'All content successfully deleted, may be waiting on finalization',
    failReason: 'ContentDeletionFailed',
    failMessage: (r) => (r.errors.length ? `Failed to delete all resource types, ${r.errors.length} remaining: ${r.errors.join(', ')}` : undefined),
  },
  {
    type: 'NamespaceContentRemaining',
    okReason: 'ContentRemoved',
    okMessage: 'All content successfully removed',
    failReason: 'SomeResourcesRemain',
    failMessage: (r) => (r.remaining.size ? `Some resources are remaining: ${counted(r.remaining, 'has')}` : undefined),
  },
  {
    type: 'NamespaceFinalizersRemaining',
    okReason: 'ContentHasNoFinalizers',
    okMessage: 'All content-preserving finalizers finished',
    failReason: 'SomeFinalizersRemain',
    failMessage: (r) => (r.finalizers.size ? `Some content in the namespace has finalizers remaining: ${counted(r.finalizers, 'in')}` : undefined),
  },
];

/** The namespace's conditions after this deletion pass; other condition types are kept. */
export function deletionConditions(current: NamespaceCondition[], report: ContentReport, now: string): NamespaceCondition[] {
  const byType = new Map(current.map((c) => [c.type, c]));
  const ours = new Set(ENTRIES.map((e) => e.type));
  const out = current.filter((c) => !ours.has(c.type));
  for (const e of ENTRIES) {
    const fail = e.failMessage(report);
    const status = fail === undefined ? 'False' : 'True';
    const prev = byType.get(e.type);
    out.push({
      type: e.type,
      status,
      lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now,
      reason: fail === undefined ? e.okReason : e.failReason,
      message: fail ?? e.okMessage,
    });
  }
  return out;
}
