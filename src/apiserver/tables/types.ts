// The meta.k8s.io/v1 Table that `kubectl get` asks for (`Accept: application/json;as=Table;
// v=v1;g=meta.k8s.io`): column definitions plus one row of cells per object. The server decides
// the columns, so kubectl prints exactly what these printers produce; priority-0 columns are the
// default view and priority-1 columns appear only with `-o wide`.
import type { ApiObject } from '../../api/kind.js';

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface TableColumnDefinition {
  name: string;
  type: ColumnType;
  /** `name` for the object-name column; otherwise empty. */
  format: string;
  description: string;
  /** 0: always shown; 1: shown with `-o wide`. */
  priority: number;
}

export type Cell = string | number | boolean;

export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: Record<string, unknown>;
}

export interface TableRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
  /** Per `includeObject`: the whole object, only its metadata, or null. */
  object: ApiObject | PartialObjectMetadata | null;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** The clock every age in the table is measured against; injected so output is reproducible. */
  now: Date;
  includeObject: IncludeObject;
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
  /** Leave the column definitions out, as watch events after the first do to save bandwidth. */
  noHeaders?: boolean;
}

/** How one resource is printed: its columns and the cells (all columns, wide ones included). */
export interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  cells(obj: ApiObject, now: Date): Cell[];
  /** Row conditions; kubectl uses `Completed` to recognise finished pods. */
  conditions?(obj: ApiObject): TableRowCondition[] | undefined;
}
