// Update managers: a create, update, patch or status write of an object that has managedFields
// records the writer (operation Update) as the owner of the fields it changed, taking them from
// other managers. Objects without managedFields are not tracked at all — computing field sets
// on every write of every object would cost the busiest write paths (pod status, leases,
// endpoints) CPU for a record nobody reads; an object enters tracking when it is applied
// server-side or written with managedFields. A client's own managedFields are honoured when
// well formed (422 otherwise); `[]` or `[{}]` strips them.
import type { TSchema } from '@sinclair/typebox';
import { invalidError } from '../../../lib/field-errors.js';
import { createSchemaWalker } from '../schema-walk.js';
import { isJsonObject, jsonEqual, type JsonObject } from '../json-value.js';
import { difference, emptySet, isEmpty, union } from './field-set.js';
import { changesBetween } from './fields-of.js';
import { decodeManagedFields, encodeManagedFields, isReset, sameEntry, timestamp, validateManagedFields, type ManagerEntry } from './managers.js';
import { scoped, type Scope } from './scope.js';

export interface TrackOptions extends Scope {
  schema: TSchema;
  apiVersion: string;
  /** For 422 messages: `Deployment.apps "web" is invalid`. */
  target: { kind: string; group: string; name: string };
  manager: string;
  now: Date;
}

const metaOf = (o: JsonObject): JsonObject => (isJsonObject(o.metadata) ? o.metadata : {});

function withoutManagedFields(o: JsonObject): JsonObject {
  const meta = { ...metaOf(o) };
  delete meta.managedFields;
  return { ...o, metadata: meta };
}

/**
 * Sets next.metadata.managedFields for a write of `next` over `old` (undefined for a create).
 * `next` carries the managedFields the request asked for (absent: keep the stored ones).
 */
export function recordUpdate(old: JsonObject | undefined, next: JsonObject, o: TrackOptions): void {
  const meta = metaOf(next);
  const requested = meta.managedFields;
  const stored = old ? metaOf(old).managedFields : undefined;
  if (requested === undefined && stored === undefined) return;
  const keepStored = requested === undefined || jsonEqual(requested, stored);
  const before = old ? withoutManagedFields(old) : {};
  const changes = changesBetween(createSchemaWalker(o.schema), o.schema, before, withoutManagedFields(next));
  const changed = scoped(changes.changed, o);
  const removed = scoped(changes.removed, o);
  if (keepStored && isEmpty(changed) && isEmpty(removed)) {
    if (stored !== undefined) meta.managedFields = stored;
    next.metadata = meta;
    return;
  }
  let entries: ManagerEntry[];
  if (keepStored) {
    entries = decodeManagedFields(stored) ?? [];
  } else if (isReset(requested)) {
    entries = [];
  } else {
    const errs = validateManagedFields(requested);
    if (errs.length > 0) throw invalidError(o.target, errs);
    entries = decodeManagedFields(requested) ?? decodeManagedFields(stored) ?? [];
  }
  const mine = { manager: o.manager, operation: 'Update' as const, subresource: o.subresource };
  let entry = entries.find((e) => sameEntry(e, mine) && e.apiVersion === o.apiVersion);
  if (!isEmpty(changed)) {
    for (const e of entries) if (e !== entry) e.fields = difference(e.fields, changed);
    if (!entry) entries.push((entry = { ...mine, apiVersion: o.apiVersion, time: undefined, fields: emptySet() }));
    entry.fields = difference(union(entry.fields, changed), removed);
    entry.time = timestamp(o.now);
  } else if (entry && !isEmpty(removed)) {
    entry.fields = difference(entry.fields, removed);
  }
  const encoded = encodeManagedFields(entries);
  if (encoded.length > 0) meta.managedFields = encoded;
  else delete meta.managedFields;
  next.metadata = meta;
}
