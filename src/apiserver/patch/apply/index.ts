// Server-side apply and field management, as the HTTP handler and the registry store use them:
// who is writing (the `fieldManager` parameter, else the User-Agent's product name, else our
// in-process controllers' `kube-controller-manager`), the apply of one configuration, and the
// Update bookkeeping a write does on an object that has managedFields. See
// docs/design/server-side-apply.md.
import type { TSchema } from '@sinclair/typebox';
import type { ApiObject } from '../../../api/kind.js';
import { StatusError } from '../../../lib/errors.js';
import { forbidden, invalidError, required, tooLong, type FieldError } from '../../../lib/field-errors.js';
import { isJsonObject, type JsonObject } from '../json-value.js';
import { serverSideApply } from './apply.js';
import { managerFromUserAgent, MAX_MANAGER_LENGTH } from './managers.js';
import { recordUpdate } from './track.js';

export { BEFORE_FIRST_APPLY, LAST_APPLIED } from './apply.js';

export const APPLY_PATCH = 'application/apply-patch+yaml';
/** Writers that name themselves nowhere: the control plane's own components in this process. */
export const DEFAULT_MANAGER = 'kube-controller-manager';

/** Who is writing, carried in the request's write context. */
export interface FieldManager {
  name: string;
  /** The subresource written through (status, scale), recorded in the manager's entry. */
  subresource?: string;
  /** Present for server-side apply requests. */
  apply?: { force: boolean };
}

/** The kind being written, as field management needs it. */
export interface ManagedKind {
  readonly schema: TSchema;
  readonly apiVersion: string;
  readonly kind: string;
  readonly group: string;
  readonly status: boolean;
}

const mediaOf = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

export const isApplyPatch = (contentType: string | undefined): boolean => mediaOf(contentType) === APPLY_PATCH;

/**
 * The field manager of a request, checking the parameters as Kubernetes' PatchOptions
 * validation does (422): apply needs `fieldManager`; `force` is for apply only.
 */
export function fieldManagerOf(req: {
  query: Readonly<Record<string, string>>;
  method: string;
  contentType: string | undefined;
  userAgent: string | undefined;
  subresource: string | undefined;
}): FieldManager {
  const apply = req.method === 'PATCH' && isApplyPatch(req.contentType);
  const given = req.query.fieldManager ?? '';
  const errs: FieldError[] = [];
  if (apply && given === '') errs.push(required('fieldManager', 'is required for apply patch'));
  if (!apply && req.method === 'PATCH' && req.query.force !== undefined) errs.push(forbidden('force', 'may not be specified for non-apply patch'));
  if (given.length > MAX_MANAGER_LENGTH) errs.push(tooLong('fieldManager', given, MAX_MANAGER_LENGTH));
  if (errs.length > 0) {
    const kind = req.method === 'PATCH' ? 'PatchOptions' : req.method === 'POST' ? 'CreateOptions' : 'UpdateOptions';
    throw invalidError({ kind, group: 'meta.k8s.io', name: '' }, errs);
  }
  const out: FieldManager = { name: given || managerFromUserAgent(req.userAgent) || DEFAULT_MANAGER };
  if (req.subresource === 'status' || req.subresource === 'scale') out.subresource = req.subresource;
  if (apply) out.apply = { force: req.query.force === 'true' };
  return out;
}

function scopeOf(kind: ManagedKind, manager: FieldManager | undefined, subresource: string | undefined): { hasStatus: boolean; subresource: string | undefined } {
  return { hasStatus: kind.status, subresource: subresource ?? manager?.subresource };
}

/**
 * The object an apply request produces from the live object (undefined: it does not exist),
 * managedFields included; it is then written like any update or create.
 */
export function applyConfiguration(
  live: object | undefined,
  body: unknown,
  o: { kind: ManagedKind; name: string; manager: FieldManager | undefined; subresource: string | undefined; now: Date },
): ApiObject {
  const manager = o.manager;
  if (!manager?.apply) throw invalidError({ kind: 'PatchOptions', group: 'meta.k8s.io', name: '' }, [required('fieldManager', 'is required for apply patch')]);
  if (body instanceof Uint8Array || typeof body === 'string') throw new StatusError('BadRequest', 'the applied configuration must be YAML or JSON');
  return serverSideApply(live as JsonObject | undefined, body, {
    ...scopeOf(o.kind, manager, o.subresource),
    schema: o.kind.schema,
    apiVersion: o.kind.apiVersion,
    kind: o.kind.kind,
    name: o.name,
    manager: manager.name,
    force: manager.apply.force,
    now: o.now,
  }) as ApiObject;
}

/**
 * Records the writer of `next` (over `old`; undefined for a create) in next.metadata.managedFields
 * when the object is tracked. An apply has recorded itself already: its entries are kept from
 * `input` (a /status write starts from the stored object, so they are put back here).
 */
export function recordWrite(
  old: object | undefined,
  next: object,
  o: { kind: ManagedKind; input: object; manager: FieldManager | undefined; subresource: string | undefined; now: Date },
): void {
  const n = next as JsonObject;
  if (o.manager?.apply) {
    const applied = (o.input as JsonObject).metadata;
    if (isJsonObject(applied) && isJsonObject(n.metadata)) n.metadata.managedFields = applied.managedFields;
    return;
  }
  const stored = old === undefined ? undefined : (old as JsonObject).metadata;
  if (!(isJsonObject(n.metadata) && n.metadata.managedFields !== undefined) && !(isJsonObject(stored) && stored.managedFields !== undefined)) return;
  const name = isJsonObject(n.metadata) && typeof n.metadata.name === 'string' ? n.metadata.name : '';
  recordUpdate(old as JsonObject | undefined, n, {
    ...scopeOf(o.kind, o.manager, o.subresource),
    schema: o.kind.schema,
    apiVersion: o.kind.apiVersion,
    target: { kind: o.kind.kind, group: o.kind.group, name },
    manager: o.manager?.name ?? DEFAULT_MANAGER,
    now: o.now,
  });
}
