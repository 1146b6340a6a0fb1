// ControllerRevisions as the DaemonSet and StatefulSet controllers keep them: each holds the
// owner's pod template as a strategic-merge patch (`{"spec":{"template":{...,"$patch":"replace"}}}`)
// that `kubectl rollout undo` sends back to the owner unchanged, is named `<owner>-<hash>`, and
// carries an increasing `revision` number that `kubectl rollout history` lists. The patch is
// written the way kubectl itself re-encodes a template (sorted keys, Go's always-present empty
// fields), so kubectl can tell when a rollback target already matches the live template.
import type { ApiObject, KindDef } from '../../api/kind.js';
import type { ControllerRevision } from '../../api/apps/v1/index.js';
import type { PodTemplateSpec } from '../../api/core/v1/index.js';
import { sameJson } from '../../lib/json.js';
import { controllerRefOf } from '../runtime/index.js';
import { hashOf, sortKeys } from './hash.js';

export const REVISION_HASH_LABEL = 'controller-revision-hash';

type Json = Record<string, unknown>;

/** Lists Go always prints, even empty; every other empty list is left out as `omitempty` does. */
const KEPT_EMPTY_LISTS = new Set(['containers', 'nodeSelectorTerms']);
/** String maps Go leaves out when empty (other `{}` values are structs it prints). */
const OMITTED_EMPTY_MAPS = new Set(['labels', 'annotations', 'nodeSelector', 'limits', 'requests']);

function dropOmittedEmpties(value: unknown): void {
  if (Array.isArray(value)) {
    for (const v of value) dropOmittedEmpties(v);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const o = value as Json;
  for (const [k, v] of Object.entries(o)) {
    if (Array.isArray(v) && v.length === 0 && !KEPT_EMPTY_LISTS.has(k)) delete o[k];
    else if (OMITTED_EMPTY_MAPS.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) delete o[k];
    else dropOmittedEmpties(v);
  }
}

/**
 * The template as Go's encoder would print it after a decode: template metadata always carries
 * `creationTimestamp: null`, every container a `resources` object, and empty lists and label
 * maps are left out. kubectl compares revision data with its own re-encoding of the live
 * template byte for byte, so the closer this is, the more often it recognises a no-op rollback.
 */
export function normalizeTemplate(template: PodTemplateSpec | undefined): Json {
  const t = structuredClone((template ?? {}) as Json);
  dropOmittedEmpties(t);
  const meta = (t.metadata ??= {}) as Json;
  if (!('creationTimestamp' in meta) || meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  const spec = (t.spec ??= {}) as Json;
  for (const field of ['initContainers', 'containers']) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    for (const c of list as Json[]) c.resources ??= {};
  }
  return t;
}

/** The revision data: a patch that replaces the owner's whole pod template with this one. */
export function templatePatch(template: PodTemplateSpec | undefined): Json {
  return sortKeys({ spec: { template: { ...normalizeTemplate(template), $patch: 'replace' } } }) as Json;
}

/** The pod template a revision restores (the patch without its directive). */
export function templateOf(revision: ControllerRevision): PodTemplateSpec {
  const data = revision.data as { spec?: { template?: Json } } | undefined;
  const t = structuredClone(data?.spec?.template ?? {});
  delete t.$patch;
  const meta = t.metadata as Json | undefined;
  if (meta && meta.creationTimestamp === null) delete meta.creationTimestamp;
  return t as PodTemplateSpec;
}

/** The hash naming a template's revision (and, for DaemonSets, labelling its pods). */
export function templateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  return hashOf(templatePatch(template), collisionCount);
}

/** Kubernetes keeps revision names within the 253-character limit by shortening the owner part. */
export function revisionName(ownerName: string, hash: string): string {
  return `${ownerName.slice(0, 223)}-${hash}`;
}

export interface NewRevisionOptions {
  owner: ApiObject;
  ownerKind: KindDef;
  template: PodTemplateSpec | undefined;
  revision: number;
  collisionCount?: number;
}

/**
 * A ControllerRevision (not yet created) for the owner's template: the template's labels plus
 * the hash label, the owner's annotations (so `kubernetes.io/change-cause` shows in history),
 * and a controller reference to the owner.
 */
export function newRevision(o: NewRevisionOptions): ControllerRevision {
  const hash = templateHash(o.template, o.collisionCount);
  const m = o.owner.metadata ?? {};
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: revisionName(m.name ?? '', hash),
      namespace: m.namespace,
      labels: { ...(o.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ...(m.annotations && Object.keys(m.annotations).length > 0 ? { annotations: { ...m.annotations } } : {}),
      ownerReferences: [controllerRefOf(o.owner, o.ownerKind)],
    },
    data: templatePatch(o.template),
    revision: o.revision,
  };
}

/** Same restored state: equal data, whatever the key order. */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  return sameJson(sortKeys(a.data), sortKeys(b.data));
}

/** Oldest first: by revision number, then creation time, then name. */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort(
    (a, b) =>
      (a.revision ?? 0) - (b.revision ?? 0) ||
      (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') ||
      (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
  );
}

/** One more than the highest revision number so far (1 for the first). */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision ?? 0), 0) + 1;
}

/**
 * Which old revisions to delete so that at most `limit` remain besides the live ones (those a pod
 * still runs or the owner currently uses); the oldest go first.
 */
export function revisionsToPrune(o: { revisions: readonly ControllerRevision[]; live: ReadonlySet<string>; limit: number }): ControllerRevision[] {
  const history = sortRevisions(o.revisions).filter((r) => !o.live.has(r.metadata?.name ?? ''));
  const excess = history.length - Math.max(0, o.limit);
  return excess > 0 ? history.slice(0, excess) : [];
}
