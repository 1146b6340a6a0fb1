// The Client over HTTPS: builds REST paths from kind definitions, sends JSON, and reads watch
// streams line by line. This is also what the CLI uses.
import type { ApiObject, KindRef } from '../../api/kind.js';
import type { Client, DeleteOptions, ListOptions, ObjectList, PatchType, WatchEvent, WatchOptions, WriteOptions } from '../client.js';
import { Transport, type TransportConfig } from './transport.js';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export function resourcePath(kind: KindRef, namespace: string | undefined, name?: string, subresource?: string): string {
  const root = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
  const ns = kind.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const n = name !== undefined ? `/${encodeURIComponent(name)}` : '';
  const s = subresource ? `/${subresource}` : '';
  return `${root}${ns}/${kind.plural}${n}${s}`;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const listParams = (o: ListOptions = {}): Record<string, string | number | undefined> => ({
  labelSelector: o.labelSelector,
  fieldSelector: o.fieldSelector,
  limit: o.limit,
  continue: o.continue,
  resourceVersion: o.resourceVersion,
  resourceVersionMatch: o.resourceVersionMatch,
});

const writeParams = (o: WriteOptions = {}): Record<string, string | undefined> => ({
  dryRun: o.dryRun ? 'All' : undefined,
  fieldValidation: o.fieldValidation,
});

export class HttpClient implements Client {
  readonly transport: Transport;

  constructor(cfg: TransportConfig) {
    this.transport = new Transport(cfg);
  }

  get<T extends ApiObject>(kind: KindRef, namespace: string | undefined, name: string): Promise<T> {
    return this.transport.json<T>('GET', resourcePath(kind, namespace, name));
  }

  list<T extends ApiObject>(kind: KindRef, namespace: string | undefined, opts?: ListOptions): Promise<ObjectList<T>> {
    return this.transport.json<ObjectList<T>>('GET', resourcePath(kind, namespace) + query(listParams(opts)));
  }

  async watch<T extends ApiObject>(kind: KindRef, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Promise<void> {
    const path =
      resourcePath(kind, namespace) +
      query({ ...listParams(opts), watch: 'true', allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined, timeoutSeconds: opts.timeoutSeconds });
    let res;
    try {
      res = await this.transport.stream(path, opts.signal);
    } catch (err) {
      if (opts.signal.aborted) return;
      throw err;
    }
    let buf = '';
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        buf += chunk.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) onEvent(JSON.parse(line) as WatchEvent<T>);
        }
      }
    } catch (err) {
      if (opts.signal.aborted) return;
      throw err;
    }
  }

  create<T extends ApiObject>(kind: KindRef, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T> {
    const ns = namespace ?? obj.metadata?.namespace;
    return this.transport.json<T>('POST', resourcePath(kind, ns) + query(writeParams(opts)), { contentType: 'application/json', data: JSON.stringify(obj) });
  }

  update<T extends ApiObject>(kind: KindRef, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T> {
    const ns = namespace ?? obj.metadata?.namespace;
    const path = resourcePath(kind, ns, obj.metadata?.name ?? '', opts?.subresource) + query(writeParams(opts));
    return this.transport.json<T>('PUT', path, { contentType: 'application/json', data: JSON.stringify(obj) });
  }

  patch<T extends ApiObject>(kind: KindRef, namespace: string | undefined, name: string, patch: { type: PatchType; body: unknown }, opts?: WriteOptions): Promise<T> {
    const path = resourcePath(kind, namespace, name, opts?.subresource) + query(writeParams(opts));
    return this.transport.json<T>('PATCH', path, { contentType: PATCH_CONTENT_TYPES[patch.type], data: JSON.stringify(patch.body) });
  }

  async delete<T extends ApiObject>(kind: KindRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<T | undefined> {
    const body = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
      ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
      ...(opts.preconditions ? { preconditions: opts.preconditions } : {}),
      ...(opts.dryRun ? { dryRun: ['All'] } : {}),
    };
    const res = await this.transport.json<ApiObject>('DELETE', resourcePath(kind, namespace, name), { contentType: 'application/json', data: JSON.stringify(body) });
    return res.kind === 'Status' ? undefined : (res as T);
  }

  createSubresource<R>(kind: KindRef, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<R> {
    return this.transport.json<R>('POST', resourcePath(kind, namespace, name, subresource), { contentType: 'application/json', data: JSON.stringify(body) });
  }

  close(): void {
    this.transport.close();
  }
}
