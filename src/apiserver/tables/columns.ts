// Building blocks shared by the printers: column definitions (with the NAME and AGE columns every
// kind has), a typed read-only view of a plain JSON object, and the small formatting rules
// Kubernetes applies in many tables (container lists, `+ N more...` truncation, booleans).
import type { ApiObject } from '../../api/kind.js';
import type { ObjectMeta } from '../../api/meta/v1.js';
import { formatQuantity, parseQuantity } from '../../lib/quantity.js';
import type { ColumnType, TableColumnDefinition } from './types.js';

export interface ColumnOptions {
  priority?: number;
  format?: string;
}

export const column = (name: string, type: ColumnType, description: string, opts: ColumnOptions = {}): TableColumnDefinition => ({
  name,
  type,
  format: opts.format ?? '',
  description,
  priority: opts.priority ?? 0,
});

/** Shown by `-o wide` only. */
export const wide = (name: string, type: ColumnType, description: string): TableColumnDefinition =>
  column(name, type, description, { priority: 1 });

export const NAME = column('Name', 'string', 'Name of the object, unique among objects of its kind in its namespace (or cluster-wide).', {
  format: 'name',
});
export const AGE = column('Age', 'string', 'Time since the object was created, from metadata.creationTimestamp.');
export const CONTAINERS = wide('Containers', 'string', 'Names of the containers in the pod template.');
export const IMAGES = wide('Images', 'string', 'Images of the containers in the pod template.');

/**
 * Reads an object through a printer's own read-only interface. Objects reach the printers after
 * schema validation, so present fields have their declared types; every field of a view is
 * optional, so absent ones are handled where they are read.
 */
export const view = <T>(obj: ApiObject): T => obj as unknown as T;

export interface WithMeta {
  metadata?: ObjectMeta;
}

export const nameOf = (obj: WithMeta): string => obj.metadata?.name ?? '';
export const createdOf = (obj: WithMeta): string | undefined => obj.metadata?.creationTimestamp;

export interface ContainerLike {
  name?: string;
  image?: string;
}

/** Container names and images, each comma-joined, for the CONTAINERS and IMAGES columns. */
export function containerCells(containers: readonly ContainerLike[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** At most `max` entries, then `+ N more...`; `<unset>` for none (discovery-style lists). */
export function listWithMore(items: readonly string[], max = 3): string {
  if (items.length === 0) return '<unset>';
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}

export const printBool = (b: boolean): string => (b ? 'True' : 'False');

/** `True`/`False`, or `<unset>` for a field left out. */
export const printOptionalBool = (b: boolean | undefined | null): string => (b === undefined || b === null ? '<unset>' : printBool(b));

/**
 * A quantity in Kubernetes' canonical text (`1536Mi` for `1.5Gi`, `1G` for `1000M`), since
 * tables show canonical values while stored objects keep what the user wrote. Exponent forms
 * and anything unparsable print as given.
 */
export function canonicalQuantity(q: string | number | undefined): string {
  if (q === undefined) return '0';
  if (typeof q === 'string' && /[eE][-+]?\d+$/.test(q)) return q;
  const parsed = parseQuantity(q);
  if (!parsed) return String(q);
  const binary = typeof q === 'string' && /i$/.test(q);
  if (binary && !Number.isInteger(parsed.value)) return String(q);
  return formatQuantity(parsed.value, { format: binary ? 'BinarySI' : 'DecimalSI' });
}

/** A unique, sorted list: how Kubernetes lists load-balancer addresses and node roles. */
export const sortedUnique = (items: Iterable<string>): string[] => [...new Set(items)].sort();
