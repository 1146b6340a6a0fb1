// Response content negotiation: kubectl asks for a server-rendered Table
// (`application/json;as=Table;v=v1;g=meta.k8s.io`), metadata-only clients for
// PartialObjectMetadata(List); everyone else gets the objects as JSON. This module turns the
// Accept header into one of those forms and renders objects and lists accordingly.
import type { ApiObject, KindDef } from '../../api/kind.js';
import { StatusError } from '../../lib/errors.js';
import type { CachedObject } from '../cache/resource-cache.js';
import { tableFor } from '../tables/index.js';
import type { IncludeObject } from '../tables/index.js';

export type Form = 'object' | 'table' | 'metadata';

export function negotiate(accept: string | undefined): Form {
  if (!accept) return 'object';
  let sawJson = false;
  for (const raw of accept.split(',')) {
    const [type, ...params] = raw.split(';').map((s) => s.trim());
    const p = new Map(params.map((kv) => kv.split('=') as [string, string]));
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') continue;
    const as = p.get('as');
    if (!as) {
      sawJson = true;
      continue;
    }
    if (p.get('g') !== 'meta.k8s.io' || p.get('v') !== 'v1') continue;
    if (as === 'Table') return 'table';
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return 'metadata';
  }
  if (sawJson || /application\/(vnd\.kubernetes\.protobuf|yaml)|\*\/\*/.test(accept)) return 'object';
  throw new StatusError('NotAcceptable', 'only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io');
}

export function includeObjectParam(v: string | undefined): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

const partial = (obj: ApiObject): object => ({
  kind: 'PartialObjectMetadata',
  apiVersion: 'meta.k8s.io/v1',
  metadata: obj.metadata ?? {},
});

export interface RenderListInput {
  kind: KindDef;
  items: CachedObject[];
  resourceVersion: number;
  continue?: string;
  remainingItemCount?: number;
}

/** A list body; plain JSON lists splice the cached per-object JSON instead of re-serializing. */
export function renderList(form: Form, l: RenderListInput, opts: { includeObject: IncludeObject; now: Date }): string {
  const meta: Record<string, unknown> = { resourceVersion: String(l.resourceVersion) };
  if (l.continue) meta.continue = l.continue;
  if (l.remainingItemCount !== undefined) meta.remainingItemCount = l.remainingItemCount;
  if (form === 'table')
    return JSON.stringify(
      tableFor(
        l.kind.plural,
        l.items.map((i) => i.object),
        {
          now: opts.now,
          includeObject: opts.includeObject,
          resourceVersion: String(l.resourceVersion),
          ...(l.continue ? { continue: l.continue } : {}),
          ...(l.remainingItemCount !== undefined ? { remainingItemCount: l.remainingItemCount } : {}),
        },
      ),
    );
  if (form === 'metadata')
    return JSON.stringify({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items: l.items.map((i) => partial(i.object)) });
  const head = JSON.stringify({ kind: l.kind.listKind, apiVersion: l.kind.apiVersion, metadata: meta });
  return `${head.slice(0, -1)},"items":[${l.items.map((i) => i.json()).join(',')}]}`;
}

export function renderObject(form: Form, kind: KindDef, obj: ApiObject, opts: { includeObject: IncludeObject; now: Date; noHeaders?: boolean }): object {
  if (form === 'table')
    return tableFor(kind.plural, [obj], {
      now: opts.now,
      includeObject: opts.includeObject,
      resourceVersion: obj.metadata?.resourceVersion ?? '',
      ...(opts.noHeaders ? { noHeaders: true } : {}),
    });
  if (form === 'metadata') return partial(obj);
  return obj;
}
