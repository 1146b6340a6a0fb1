// Server-side table printing: the meta.k8s.io/v1 Table that `kubectl get` renders, with the same
// columns and cell text as Kubernetes' own printers for the kinds Tugboat serves.
export { tableFor, tableRowsFor, type RowOptions } from './table.js';
export { printerFor, printedResources } from './registry.js';
export { humanDuration } from './duration.js';
export type {
  Cell,
  ColumnType,
  IncludeObject,
  PartialObjectMetadata,
  Printer,
  Table,
  TableColumnDefinition,
  TableOptions,
  TableRow,
  TableRowCondition,
} from './types.js';
