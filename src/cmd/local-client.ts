// A Client for components that share a process with the API server (controllers, scheduler):
// it calls the registry directly, skipping TLS, HTTP and JSON, with the same semantics the REST
// handlers give (defaults, validation, admission, resourceVersion rules, watch windows). Objects
// handed out are the registry's cached objects: like every informer consumer, callers must clone
// before changing one. Lives in cmd/ because it joins the client interface to the API server.
import type { ApiObject, KindRef } from '../api/kind.js';
import { bindPod, type Registry, type Resource, type WriteContext } from '../apiserver/index.js';
import type { Client, DeleteOptions, ListOptions, ObjectList, PatchType, WatchEvent, WatchOptions, WriteOptions } from '../client/index.js';
import { noSuchResource, StatusError, toStatusError } from '../lib/errors.js';

const CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** Kinds whose DELETE answers with the deleted object rather than a Status, as over HTTP. */
const RETURNS_DELETED = new Set(['/pods', '/services', '/namespaces']);

export class LocalClient implements Client {
  constructor(
    private readonly registry: Registry,
    private readonly user = { name: 'system:kube-controller-manager', groups: ['system:masters'] },
  ) {}

  private res(kind: KindRef): Resource {
    const r = this.registry.resource(kind.group, kind.version, kind.plural);
    if (!r) throw noSuchResource();
    return r;
  }

  private ctx(dryRun = false): WriteContext {
    return { now: new Date(), user: this.user, dryRun, warnings: [] };
  }

  private ns(kind: KindRef, namespace: string | undefined): string | undefined {
    return kind.namespaced ? namespace : undefined;
  }

  async get<T extends ApiObject>(kind: KindRef, namespace: string | undefined, name: string): Promise<T> {
    return (await this.res(kind).reader.get(this.ns(kind, namespace), name)) as T;
  }

  async list<T extends ApiObject>(kind: KindRef, namespace: string | undefined, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const page = await this.res(kind).reader.list(this.ns(kind, namespace), opts);
    return {
      apiVersion: kind.apiVersion,
      kind: kind.listKind,
      metadata: {
        resourceVersion: String(page.resourceVersion),
        ...(page.continue ? { continue: page.continue } : {}),
        ...(page.remainingItemCount !== undefined ? { remainingItemCount: page.remainingItemCount } : {}),
      },
      items: page.items.map((i) => i.object as T),
    };
  }

  async watch<T extends ApiObject>(kind: KindRef, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Promise<void> {
    if (opts.signal.aborted) return;
    const { reader } = this.res(kind);
    await new Promise<void>((resolve) => {
      const cleanups: (() => void)[] = [];
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        for (const c of cleanups) c();
        resolve();
      };
      const onAbort = (): void => finish();
      opts.signal.addEventListener('abort', onAbort, { once: true });
      cleanups.push(() => opts.signal.removeEventListener('abort', onAbort));
      cleanups.push(this.registry.cache.onReset(finish));
      if (opts.timeoutSeconds) {
        const t = setTimeout(finish, opts.timeoutSeconds * 1000);
        cleanups.push(() => clearTimeout(t));
      }
      reader
        .watch(this.ns(kind, namespace), opts, {
          event: (type, obj) => {
            if (!done) onEvent({ type, object: obj.object as T });
          },
          initialEventsEnd: (rv) => {
            if (!done && opts.allowWatchBookmarks)
              onEvent({ type: 'BOOKMARK', object: { kind: kind.kind, apiVersion: kind.apiVersion, metadata: { resourceVersion: String(rv), annotations: { 'k8s.io/initial-events-end': 'true' } } } as unknown as T });
          },
        })
        .then((stop) => (done ? stop() : cleanups.push(stop)))
        .catch((err: unknown) => {
          if (!done) onEvent({ type: 'ERROR', object: toStatusError(err).toStatus() as unknown as T });
          finish();
        });
    });
  }

  async create<T extends ApiObject>(kind: KindRef, namespace: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    const ns = this.ns(kind, namespace ?? obj.metadata?.namespace);
    const created = await this.res(kind).store.create(ns, obj, this.ctx(opts.dryRun), { fieldValidation: opts.fieldValidation ?? 'Ignore' });
    return created as T;
  }

  async update<T extends ApiObject>(kind: KindRef, namespace: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    const ns = this.ns(kind, namespace ?? obj.metadata?.namespace);
    const sub = opts.subresource === 'status' || opts.subresource === 'finalize' ? opts.subresource : undefined;
    if (opts.subresource && !sub) throw new StatusError('NotFound', `subresource ${opts.subresource} is not served by the local client`);
    const r = await this.res(kind).store.update(ns, obj.metadata?.name ?? '', obj, this.ctx(opts.dryRun), {
      fieldValidation: opts.fieldValidation ?? 'Ignore',
      ...(sub ? { subresource: sub } : {}),
    });
    return r.object as T;
  }

  async patch<T extends ApiObject>(kind: KindRef, namespace: string | undefined, name: string, patch: { type: PatchType; body: unknown }, opts: WriteOptions = {}): Promise<T> {
    const sub = opts.subresource === 'status' ? 'status' : undefined;
    if (opts.subresource && !sub) throw new StatusError('NotFound', `subresource ${opts.subresource} is not served by the local client`);
    const out = await this.res(kind).store.patch(this.ns(kind, namespace), name, { contentType: CONTENT_TYPES[patch.type], body: patch.body }, this.ctx(opts.dryRun), {
      fieldValidation: opts.fieldValidation ?? 'Ignore',
      ...(sub ? { subresource: sub } : {}),
    });
    return out as T;
  }

  async delete<T extends ApiObject>(kind: KindRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<T | undefined> {
    const { dryRun, ...options } = opts;
    const r = await this.res(kind).store.delete(this.ns(kind, namespace), name, options, this.ctx(dryRun));
    return !r.removed || RETURNS_DELETED.has(`${kind.group}/${kind.plural}`) ? (r.object as T) : undefined;
  }

  async createSubresource<R>(kind: KindRef, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<R> {
    if (kind.group === '' && kind.plural === 'pods' && subresource === 'binding') {
      const ctx = this.ctx();
      return (await bindPod(this.res(kind).store, { namespace: namespace ?? '', name, body, now: ctx.now, dryRun: false })) as R;
    }
    throw new StatusError('NotFound', `subresource ${subresource} is not served by the local client`);
  }
}
