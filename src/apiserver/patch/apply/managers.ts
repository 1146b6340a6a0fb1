// `metadata.managedFields` as server-side apply works with it: entries decoded into field sets
// and encoded back (Apply entries first, then updates oldest first, empty entries dropped), the
// shape checks a client's own managedFields must pass, the "reset" value (`[]` or `[{}]`) that
// strips them, and the default manager name Kubernetes derives from the User-Agent.
import { notSupported, required, tooLong, type FieldError } from '../../../lib/field-errors.js';
import { isJsonObject, type JsonObject } from '../json-value.js';
import { fromFieldsV1, isEmpty, toFieldsV1, type FieldSet } from './field-set.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time: string | undefined;
  subresource: string | undefined;
  fields: FieldSet;
}

export const MAX_MANAGER_LENGTH = 128;
const FIELDS_V1 = 'FieldsV1';

/** Entries of one manager writing one way through one subresource are one entry. */
export const sameEntry = (e: ManagerEntry, o: { manager: string; operation: Operation; subresource: string | undefined }): boolean =>
  e.manager === o.manager && e.operation === o.operation && (e.subresource ?? '') === (o.subresource ?? '');

/** `[]` and `[{}]` ask for managedFields to be stripped. */
export function isReset(raw: unknown): boolean {
  return Array.isArray(raw) && (raw.length === 0 || (raw.length === 1 && isJsonObject(raw[0]) && Object.keys(raw[0]).length === 0));
}

/** What is wrong with the shape of managedFields a client sent (422 causes). */
export function validateManagedFields(raw: unknown): FieldError[] {
  if (raw === undefined || isReset(raw)) return [];
  const errs: FieldError[] = [];
  if (!Array.isArray(raw)) return [{ type: 'FieldValueTypeInvalid', field: 'metadata.managedFields', value: raw, detail: 'must be a list' }];
  raw.forEach((e: unknown, i) => {
    const at = `metadata.managedFields[${i}]`;
    const entry = isJsonObject(e) ? e : {};
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') errs.push(notSupported(`${at}.operation`, entry.operation ?? '', ['Apply', 'Update']));
    if (entry.fieldsType !== FIELDS_V1) errs.push(notSupported(`${at}.fieldsType`, entry.fieldsType ?? '', [FIELDS_V1]));
    if (typeof entry.manager === 'string' && entry.manager.length > MAX_MANAGER_LENGTH) errs.push(tooLong(`${at}.manager`, entry.manager, MAX_MANAGER_LENGTH));
    if (entry.operation === 'Apply' && !entry.manager) errs.push(required(`${at}.manager`, 'an Apply entry must name its manager'));
  });
  return errs;
}

/** Decoded entries, or undefined when any entry's fields cannot be read. */
export function decodeManagedFields(raw: unknown): ManagerEntry[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: ManagerEntry[] = [];
  for (const e of raw as unknown[]) {
    if (!isJsonObject(e)) return undefined;
    const fields = fromFieldsV1(e.fieldsV1 ?? {});
    if (!fields || (e.operation !== 'Apply' && e.operation !== 'Update')) return undefined;
    out.push({
      manager: typeof e.manager === 'string' ? e.manager : '',
      operation: e.operation,
      apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : '',
      time: typeof e.time === 'string' ? e.time : undefined,
      subresource: typeof e.subresource === 'string' && e.subresource !== '' ? e.subresource : undefined,
      fields,
    });
  }
  return out;
}

/** Entries as stored: Apply entries first, then updates by time; entries owning nothing dropped. */
export function encodeManagedFields(entries: readonly ManagerEntry[]): JsonObject[] {
  return entries
    .filter((e) => !isEmpty(e.fields))
    .map((e, i) => ({ e, i }))
    .sort((x, y) => {
      if (x.e.operation !== y.e.operation) return x.e.operation === 'Apply' ? -1 : 1;
      const tx = x.e.time ?? '';
      const ty = y.e.time ?? '';
      return tx !== ty && x.e.operation === 'Update' ? (tx < ty ? -1 : 1) : x.i - y.i;
    })
    .map(({ e }) => {
      const out: JsonObject = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
      if (e.time !== undefined) out.time = e.time;
      out.fieldsType = FIELDS_V1;
      out.fieldsV1 = toFieldsV1(e.fields);
      if (e.subresource) out.subresource = e.subresource;
      return out;
    });
}

/** `kubectl-edit/v1.32.0 (linux/amd64) kubernetes/abc` → `kubectl-edit`, as Kubernetes names updaters. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const name = (userAgent ?? '').split('/')[0]!.trim();
  return name.slice(0, MAX_MANAGER_LENGTH);
}

/** RFC 3339 to the second, as Kubernetes writes managedFields times. */
export const timestamp = (now: Date): string => now.toISOString().replace(/\.\d+Z$/, 'Z');
