// Small readings of pods and nodes shared by the integration tests: whether a pod is ready,
// terminating, or running which image, and a node's Ready condition — the same reading
// kubectl's columns give.
import type { Node, Pod } from '../../src/api/core/v1/index.js';

export const terminating = (p: Pod): boolean => p.metadata?.deletionTimestamp !== undefined && p.metadata.deletionTimestamp !== null;

export const isReady = (p: Pod): boolean => !terminating(p) && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export const imageOf = (p: Pod): string | undefined => p.spec?.containers?.[0]?.image;

export const live = (pods: Iterable<Pod>): Pod[] => [...pods].filter((p) => !terminating(p));

export const nodeReadyStatus = (n: Node): string | undefined => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
