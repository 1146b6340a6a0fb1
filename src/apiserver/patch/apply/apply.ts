// Server-side apply of one configuration to one object: merge the applied fields into the live
// object, refuse (409) changes to fields other managers own unless forced, remove what this
// manager applied last time and no longer applies (unless someone else owns it too), and record
// the manager's Apply entry. An object that has no managedFields yet is treated, as Kubernetes
// does, as if a manager called `before-first-apply` had set all its fields; and kubectl's own
// manager (`kubectl`) may take over fields it set with client-side apply (named in the
// last-applied-configuration annotation) without a conflict, and keeps that annotation current.
import type { TSchema } from '@sinclair/typebox';
import { badRequest } from '../../../lib/errors.js';
import { createSchemaWalker } from '../schema-walk.js';
import { cloneJson, isJsonObject, type JsonObject } from '../json-value.js';
import { difference, emptySet, find, has, insert, members, union, type FieldSet } from './field-set.js';
import { appliedFields, changesBetween } from './fields-of.js';
import { mergeApplied, removeFields } from './merge.js';
import { decodeManagedFields, encodeManagedFields, sameEntry, timestamp, type ManagerEntry } from './managers.js';
import { conflictError, findConflicts } from './conflicts.js';
import { scoped, type Scope } from './scope.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const BEFORE_FIRST_APPLY = 'before-first-apply';
const KUBECTL = 'kubectl';

export interface ApplyOptions extends Scope {
  schema: TSchema;
  apiVersion: string;
  kind: string;
  /** The name on the URL. */
  name: string;
  manager: string;
  force: boolean;
  now: Date;
}

/** Checks an applied configuration is one object of this kind named as the URL says. */
function checkConfig(body: unknown, o: ApplyOptions): JsonObject {
  if (!isJsonObject(body)) throw badRequest('the applied configuration must be an object');
  if (body.apiVersion !== o.apiVersion)
    throw badRequest(`the API version in the data (${String(body.apiVersion ?? '')}) does not match the expected API version (${o.apiVersion})`);
  if (body.kind !== o.kind) throw badRequest(`the kind in the data (${String(body.kind ?? '')}) does not match the expected kind (${o.kind})`);
  const meta = isJsonObject(body.metadata) ? body.metadata : {};
  if (meta.name !== o.name) throw badRequest(`the name of the object (${String(meta.name ?? '')}) does not match the name on the URL (${o.name})`);
  if (meta.managedFields !== undefined && meta.managedFields !== null) throw badRequest('metadata.managedFields must be nil');
  return body;
}

/** The live object's managers; one that has none gets `before-first-apply` owning everything. */
function liveManagers(live: JsonObject | undefined, o: ApplyOptions, walker: ReturnType<typeof createSchemaWalker>): ManagerEntry[] {
  if (!live) return [];
  const meta = isJsonObject(live.metadata) ? live.metadata : {};
  const decoded = meta.managedFields === undefined ? undefined : decodeManagedFields(meta.managedFields);
  if (decoded && decoded.length > 0) return decoded;
  const bare = { ...live, metadata: { ...meta, managedFields: undefined } };
  const all = changesBetween(walker, o.schema, {}, bare).changed;
  return [
    { manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: o.apiVersion, time: timestamp(o.now), subresource: undefined, fields: scoped(all, { hasStatus: o.hasStatus, subresource: undefined }) },
  ];
}

/** Fields kubectl set with client-side apply, from the live object's annotation. */
function lastAppliedFields(live: JsonObject, o: ApplyOptions, walker: ReturnType<typeof createSchemaWalker>): FieldSet {
  const annotations = isJsonObject(live.metadata) && isJsonObject(live.metadata.annotations) ? live.metadata.annotations : {};
  const text = annotations[LAST_APPLIED];
  if (typeof text !== 'string') return emptySet();
  try {
    return scoped(appliedFields(walker, o.schema, JSON.parse(text) as unknown), o);
  } catch {
    return emptySet();
  }
}

/**
 * The object after applying `body` over `live` (undefined: the object does not exist yet),
 * with metadata.managedFields updated. Throws 400 for a malformed configuration and 409 for
 * conflicts. Neither input is changed.
 */
export function serverSideApply(live: JsonObject | undefined, body: unknown, o: ApplyOptions): JsonObject {
  const config = checkConfig(body, o);
  const walker = createSchemaWalker(o.schema);
  const entries = liveManagers(live, o, walker);
  const base = live ? { ...live, metadata: { ...(live.metadata as JsonObject), managedFields: undefined } } : {};
  const merged = mergeApplied(walker, o.schema, base, config);
  const applied = scoped(appliedFields(walker, o.schema, config), o);
  const mine = { manager: o.manager, operation: 'Apply' as const, subresource: o.subresource };
  const others = entries.filter((e) => !sameEntry(e, mine));

  const changed = scoped(changesBetween(walker, o.schema, base, merged).changed, o);
  let conflicts = findConflicts(others, changed);
  if (conflicts.length > 0 && !o.force) {
    const allowed = o.manager === KUBECTL && live ? lastAppliedFields(live, o, walker) : emptySet();
    conflicts = conflicts.map((c) => ({ ...c, paths: c.paths.filter((p) => !has(allowed, p)) })).filter((c) => c.paths.length > 0);
    if (conflicts.length > 0) throw conflictError(conflicts);
    conflicts = findConflicts(others, changed);
  }
  for (const c of conflicts) {
    const taken = emptySet();
    for (const p of c.paths) insert(taken, p);
    c.entry.fields = difference(c.entry.fields, taken);
  }

  // What this manager applied before and dropped now goes, unless it (or something under it,
  // such as a label of a labels map) is still applied or another manager owns it.
  const previous = entries.find((e) => sameEntry(e, mine));
  const keep = others.reduce((acc, e) => union(acc, e.fields), applied);
  const dropped = emptySet();
  for (const p of members(difference(previous?.fields ?? emptySet(), applied))) if (!find(keep, p)) insert(dropped, p);
  removeFields(walker, o.schema, merged, dropped);

  const unchanged = previous !== undefined && members(previous.fields).join('\n') === members(applied).join('\n');
  const entry: ManagerEntry = {
    ...mine,
    apiVersion: o.apiVersion,
    time: unchanged ? previous.time : timestamp(o.now),
    fields: applied,
  };
  const next = previous ? entries.map((e) => (e === previous ? entry : e)) : [entry, ...entries];
  const meta = (merged.metadata = isJsonObject(merged.metadata) ? merged.metadata : {});
  keepLastAppliedCurrent(meta, live, config, o);
  meta.managedFields = encodeManagedFields(next);
  return merged;
}

/** kubectl's own applies keep an existing last-applied-configuration annotation in step. */
function keepLastAppliedCurrent(meta: JsonObject, live: JsonObject | undefined, config: JsonObject, o: ApplyOptions): void {
  if (o.manager !== KUBECTL || !live || !isJsonObject(meta.annotations) || typeof meta.annotations[LAST_APPLIED] !== 'string') return;
  const copy = cloneJson(config);
  const cm = isJsonObject(copy.metadata) ? copy.metadata : undefined;
  if (cm && isJsonObject(cm.annotations)) {
    delete cm.annotations[LAST_APPLIED];
    if (Object.keys(cm.annotations).length === 0) delete cm.annotations;
  }
  meta.annotations[LAST_APPLIED] = `${JSON.stringify(copy)}\n`;
}
