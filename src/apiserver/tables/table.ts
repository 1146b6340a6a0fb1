// Assembles the Table a client asked for: the resource's columns, one row per object, and each
// row's `object` cut down to what `includeObject` asks for (the default, Metadata, sends only
// metadata so kubectl can still name and sort rows without the full objects).
import type { ApiObject } from '../../api/kind.js';
import { printerFor } from './registry.js';
import type { IncludeObject, PartialObjectMetadata, Table, TableOptions, TableRow } from './types.js';

function rowObject(obj: ApiObject, include: IncludeObject): TableRow['object'] {
  switch (include) {
    case 'None':
      return null;
    case 'Object':
      return obj;
    case 'Metadata': {
      const partial: PartialObjectMetadata = {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { ...(obj.metadata ?? {}) },
      };
      return partial;
    }
  }
}

export interface RowOptions {
  now: Date;
  includeObject: IncludeObject;
}

/** Rows only: what a Table-form watch event carries for its one object. */
export function tableRowsFor(resource: string, objs: readonly ApiObject[], opts: RowOptions): TableRow[] {
  const printer = printerFor(resource);
  return objs.map((obj) => {
    const conditions = printer.conditions?.(obj);
    return {
      cells: printer.cells(obj, opts.now),
      ...(conditions ? { conditions } : {}),
      object: rowObject(obj, opts.includeObject),
    };
  });
}

/** The full Table for a list (or a single object) of `resource`, e.g. `deployments`. */
export function tableFor(resource: string, objs: readonly ApiObject[], opts: TableOptions): Table {
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.noHeaders ? [] : printerFor(resource).columns.map((c) => ({ ...c })),
    rows: tableRowsFor(resource, objs, opts),
  };
}
