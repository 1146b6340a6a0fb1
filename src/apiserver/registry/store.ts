// The generic store for one kind: create, update (main resource and /status), patch and delete,
// with the object semantics every kind shares — uid and creationTimestamp, generateName,
// generation tracking, resourceVersion preconditions (409 Conflict), defaults and validation,
// finalizers and deletionTimestamp, graceful deletion. Kind differences come from the kind's
// definition (src/api) and its write strategy; reads live in reads.ts.
import { randomUUID } from 'node:crypto';
import type { ApiObject, KindDef } from '../../api/kind.js';
import { decodeObject as decodeInput, applySchemaDefaults } from '../../api/check.js';
import { alreadyExists, badRequest, conflict, notFound, OBJECT_MODIFIED, StatusError } from '../../lib/errors.js';
import { invalidError, formatFieldError } from '../../lib/field-errors.js';
import {
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
  type Backend,
  type KeyValue,
} from '../../storage/index.js';
import { applyConfiguration, applyPatch, isApplyPatch, recordWrite } from '../patch/index.js';
import type { ResourceCache } from '../cache/resource-cache.js';
import { fromStorage, toStorage, withResourceVersion } from './codec.js';
import { objectKey } from './keys.js';
import type { Strategy, WriteContext } from './strategy.js';
import { nowTimestamp, generateNameSuffix, sameJson, spec } from './object-util.js';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export interface WriteOptions {
  fieldValidation: FieldValidation;
  /**
   * `status` writes only status; `finalize` only spec.finalizers (namespaces); undefined writes
   * everything but status (when the kind has /status).
   */
  subresource?: 'status' | 'finalize';
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: ApiObject;
  /** False when deletion only started (finalizers or graceful termination pending). */
  removed: boolean;
}

const MAX_RETRIES = 16;

/** An object as an update starts from; cached copies are shared and must not be changed. */
interface Current {
  key: string;
  modRevision: number;
  obj: ApiObject;
  cached: boolean;
}

const STATUS_PATCH_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/** Whether a status-subresource patch body is an object touching only status and metadata. */
function statusOnly(body: unknown, opts: WriteOptions): boolean {
  if (opts.subresource !== 'status' || body === null || typeof body !== 'object' || Array.isArray(body) || body instanceof Uint8Array) return false;
  for (const k of Object.keys(body)) if (!STATUS_PATCH_KEYS.has(k)) return false;
  return true;
}

/** The parts of a patched object a status write reads. */
function statusPart(patched: unknown): unknown {
  const o = patched as Record<string, unknown>;
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata, status: o.status };
}

export class Store {
  readonly ref: { group: string; resource: string };

  constructor(
    readonly kind: KindDef,
    readonly strategy: Strategy,
    private readonly backend: Backend,
    /** The kind's watch cache; updates start from it to save a storage read. */
    private readonly cache?: ResourceCache,
  ) {
    this.ref = { group: kind.group, resource: kind.plural };
  }

  key(namespace: string | undefined, name: string): string {
    return objectKey(this.kind, namespace, name);
  }

  /** The current object: from the watch cache when allowed and present, else from storage. */
  private async readCurrent(key: string, o: { fresh: boolean }): Promise<Current | undefined> {
    if (!o.fresh && this.cache) {
      const c = this.cache.get(key);
      if (c) return { key, modRevision: c.revision, obj: c.object, cached: true };
    }
    const kv = await this.backend.get(key);
    return kv ? { key, modRevision: kv.modRevision, obj: fromStorage(kv), cached: false } : undefined;
  }

  /** Reads one object straight from storage (a consistent read). */
  async getStored(namespace: string | undefined, name: string): Promise<{ obj: ApiObject; kv: KeyValue }> {
    const kv = await this.backend.get(this.key(namespace, name));
    if (!kv) throw notFound(this.ref, name);
    return { obj: fromStorage(kv), kv };
  }

  /**
   * The object to base a subresource write on, with the revision to compare-and-swap against:
   * from the watch cache unless `fresh` (a stale copy only costs a failed swap, after which the
   * caller reads fresh), else from storage.
   */
  async current(namespace: string | undefined, name: string, o: { fresh: boolean }): Promise<{ obj: ApiObject; kv: Pick<KeyValue, 'key' | 'modRevision'> }> {
    const c = await this.readCurrent(this.key(namespace, name), o);
    if (!c) throw notFound(this.ref, name);
    return { obj: c.obj, kv: { key: c.key, modRevision: c.modRevision } };
  }

  /**
   * Writes `next` over the stored value `kv` exactly as given (no strategy, defaults or
   * validation) if nobody wrote since; undefined when someone did. For subresources with rules of
   * their own, such as pods/binding setting the otherwise immutable spec.nodeName. The result is
   * `next` with its new resourceVersion (the written bytes are not parsed back).
   */
  async replaceStored(kv: Pick<KeyValue, 'key' | 'modRevision'>, next: ApiObject): Promise<ApiObject | undefined> {
    try {
      return withResourceVersion(next, (await this.backend.update(kv.key, toStorage(next), { expectedRevision: kv.modRevision })).modRevision);
    } catch (err) {
      if (err instanceof RevisionMismatchError) return undefined;
      if (err instanceof KeyNotFoundError) throw notFound(this.ref, next.metadata?.name ?? '');
      throw err;
    }
  }

  /** Turns a request body into a typed object of this kind, or a 400 naming what is wrong. */
  decodeBody(body: unknown, opts: { fieldValidation: FieldValidation; warnings: string[] }): ApiObject {
    const k = this.kind;
    const what = `${k.kind} in version "${k.version}" cannot be handled as a ${k.kind}`;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest(`${what}: the body must be a JSON object`);
    const raw = body as ApiObject;
    if (raw.apiVersion !== undefined && raw.apiVersion !== k.apiVersion)
      throw badRequest(`the API version in the data (${String(raw.apiVersion)}) does not match the expected API version (${k.apiVersion})`);
    if (raw.kind !== undefined && raw.kind !== k.kind)
      throw badRequest(`the kind in the data (${String(raw.kind)}) does not match the expected kind (${k.kind})`);
    const { object, unknownFields, errors } = decodeInput(k.schema, raw);
    if (errors.length > 0) throw badRequest(`${what}: ${errors.map(formatFieldError).join('; ')}`);
    if (unknownFields.length > 0) {
      const list = unknownFields.map((f) => `unknown field "${f}"`);
      if (opts.fieldValidation === 'Strict') throw badRequest(`${what}: strict decoding error: ${list.join(', ')}`);
      if (opts.fieldValidation === 'Warn') opts.warnings.push(...list);
    }
    object.apiVersion = k.apiVersion;
    object.kind = k.kind;
    object.metadata ??= {};
    return object;
  }

  private validate(obj: ApiObject, old: ApiObject | undefined): void {
    const errs = this.kind.validate(obj, old);
    if (errs.length > 0) throw invalidError({ kind: this.kind.kind, group: this.kind.group, name: obj.metadata?.name ?? '' }, errs);
  }

  private applyDefaults(obj: ApiObject): void {
    applySchemaDefaults(this.kind.schema, obj);
    this.kind.defaults(obj);
  }

  async create(namespace: string | undefined, body: unknown, ctx: WriteContext, opts: WriteOptions): Promise<ApiObject> {
    const obj = this.decodeBody(body, { fieldValidation: opts.fieldValidation, warnings: ctx.warnings });
    const meta = obj.metadata ?? {};
    if (this.kind.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      meta.namespace = namespace ?? meta.namespace;
    } else if (meta.namespace) {
      delete meta.namespace;
    }
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${generateNameSuffix()}`;
    meta.uid = randomUUID();
    meta.creationTimestamp = nowTimestamp(ctx.now);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    delete meta.selfLink;
    if (this.strategy.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    obj.metadata = meta;
    if (this.kind.status) delete obj.status;
    this.applyDefaults(obj);
    await this.strategy.prepareForCreate?.(obj, ctx);
    recordWrite(undefined, obj, { kind: this.kind, input: obj, manager: ctx.fieldManager, subresource: opts.subresource, now: ctx.now });
    this.validate(obj, undefined);
    await this.strategy.admit?.(obj, ctx);
    if (ctx.dryRun) return obj;
    try {
      const kv = await this.backend.create(this.key(meta.namespace, meta.name ?? ''), toStorage(obj));
      return withResourceVersion(obj, kv.modRevision);
    } catch (err) {
      if (err instanceof KeyExistsError) throw alreadyExists(this.ref, meta.name ?? '');
      throw err;
    }
  }

  /** PUT: replace the object (or its status), honouring a resourceVersion precondition in the body. */
  async update(namespace: string | undefined, name: string, body: unknown, ctx: WriteContext, opts: WriteOptions): Promise<{ object: ApiObject; created: boolean }> {
    const input = this.decodeBody(body, { fieldValidation: opts.fieldValidation, warnings: ctx.warnings });
    const inMeta = input.metadata ?? {};
    if (inMeta.name && inMeta.name !== name)
      throw badRequest(`the name of the object (${inMeta.name}) does not match the name on the URL (${name})`);
    if (this.kind.namespaced && inMeta.namespace && namespace && inMeta.namespace !== namespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    inMeta.name = name;
    if (this.kind.namespaced) inMeta.namespace = namespace;
    const precondition = inMeta.resourceVersion;
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      // The first attempt trusts the watch cache; a stale copy only costs a failed CAS, after
      // which the object is read from storage.
      const current = await this.readCurrent(this.key(namespace, name), { fresh: attempt > 0 });
      if (!current) {
        if (!this.strategy.allowCreateOnUpdate || opts.subresource) throw notFound(this.ref, name);
        delete inMeta.resourceVersion;
        return { object: await this.create(namespace, input, ctx, { fieldValidation: 'Ignore' }), created: true };
      }
      if (precondition && precondition !== String(current.modRevision)) {
        if (current.cached) continue;
        throw conflict(this.ref, name, OBJECT_MODIFIED);
      }
      const result = await this.tryUpdate(current, structuredClone(input), ctx, opts);
      if (result) return { object: result, created: false };
    }
    throw conflict(this.ref, name, 'too many concurrent updates; please try again');
  }

  /** PATCH: applies the patch to the current object and writes the result as an update. */
  async patch(
    namespace: string | undefined,
    name: string,
    patch: { contentType: string; body: unknown },
    ctx: WriteContext,
    opts: WriteOptions,
  ): Promise<ApiObject> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const current = await this.readCurrent(this.key(namespace, name), { fresh: attempt > 0 });
      const apply = isApplyPatch(patch.contentType)
        ? (live: ApiObject | undefined): ApiObject => applyConfiguration(live, patch.body, { kind: this.kind, name, manager: ctx.fieldManager, subresource: opts.subresource, now: ctx.now })
        : undefined;
      if (!current && apply && !opts.subresource) return this.create(namespace, apply(undefined), ctx, opts);
      if (!current) throw notFound(this.ref, name);
      const patched = apply ? apply(current.obj) : applyPatch(patch.contentType, current.obj, patch.body, this.kind.schema);
      // A status patch that names nothing but status and metadata leaves the rest as stored (and
      // a status write keeps only status anyway), so only those parts are decoded: kubelets'
      // pod status patches are the busiest write of a cluster starting pods.
      const input = this.decodeBody(statusOnly(patch.body, opts) ? statusPart(patched) : patched, { fieldValidation: opts.fieldValidation, warnings: ctx.warnings });
      const inMeta = input.metadata ?? {};
      if (inMeta.name !== undefined && inMeta.name !== name)
        throw badRequest(`the name of the object (${inMeta.name}) does not match the name on the URL (${name})`);
      // The patched object carries the current resourceVersion unless the patch set one: a
      // mismatch is the client's precondition failing (or, from the cache, a stale read).
      if (inMeta.resourceVersion && inMeta.resourceVersion !== String(current.modRevision)) {
        if (current.cached) continue;
        throw conflict(this.ref, name, OBJECT_MODIFIED);
      }
      const result = await this.tryUpdate(current, input, ctx, opts);
      if (result) return result;
    }
    throw conflict(this.ref, name, 'too many concurrent updates; please try again');
  }

  /**
   * One optimistic attempt at writing `input` over the stored `kv`. Returns undefined when
   * someone else wrote first (the caller retries or reports a conflict).
   */
  private async tryUpdate(current: Current, input: ApiObject, ctx: WriteContext, opts: WriteOptions): Promise<ApiObject | undefined> {
    const old = current.obj;
    const kv = { key: current.key, modRevision: current.modRevision };
    const next = this.merge(old, input, opts);
    this.applyDefaults(next);
    if (!opts.subresource) await this.strategy.prepareForUpdate?.(next, old, ctx);
    if (this.strategy.tracksGeneration && !sameJson(spec(next), spec(old)))
      next.metadata = { ...next.metadata, generation: (old.metadata?.generation ?? 0) + 1 };
    recordWrite(old, next, { kind: this.kind, input, manager: ctx.fieldManager, subresource: opts.subresource, now: ctx.now });
    this.validate(next, old);
    if (sameJson(next, old)) return old;
    if (this.finalized(next)) return ctx.dryRun ? next : this.removeIfUnchanged(kv, next);
    if (ctx.dryRun) return next;
    try {
      const written = await this.backend.update(kv.key, toStorage(next), { expectedRevision: kv.modRevision });
      return withResourceVersion(next, written.modRevision);
    } catch (err) {
      if (err instanceof RevisionMismatchError) return undefined;
      if (err instanceof KeyNotFoundError) throw notFound(this.ref, old.metadata?.name ?? '');
      throw err;
    }
  }

  /** What a write produces from the stored object and the client's input. */
  private merge(old: ApiObject, input: ApiObject, opts: WriteOptions): ApiObject {
    const om = old.metadata ?? {};
    if (opts.subresource === 'status') {
      // A status write changes status only; everything else stays as stored.
      return { ...structuredClone(old), status: input.status };
    }
    if (opts.subresource === 'finalize') {
      const finalizers = (input.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
      const kept = structuredClone(old);
      return { ...kept, spec: { ...(kept.spec as object | undefined), finalizers } };
    }
    const next: ApiObject = { ...input };
    const im = { ...(input.metadata ?? {}) };
    // Fields only the server sets are carried over from the stored object.
    im.uid = om.uid;
    im.creationTimestamp = om.creationTimestamp;
    im.namespace = om.namespace;
    im.name = om.name;
    if (om.deletionTimestamp) im.deletionTimestamp = om.deletionTimestamp;
    else delete im.deletionTimestamp;
    if (om.deletionGracePeriodSeconds !== undefined) im.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
    else delete im.deletionGracePeriodSeconds;
    if (om.generation !== undefined) im.generation = om.generation;
    else delete im.generation;
    im.resourceVersion = om.resourceVersion;
    next.metadata = im;
    if (this.kind.status) {
      if (old.status === undefined) delete next.status;
      else next.status = structuredClone(old.status);
    }
    return next;
  }

  /** An object being deleted whose last finalizer was just removed. */
  private finalized(obj: ApiObject): boolean {
    const m = obj.metadata ?? {};
    return m.deletionTimestamp !== undefined && (m.finalizers ?? []).length === 0 && !this.strategy.pendingOnDelete?.(obj);
  }

  private async removeIfUnchanged(kv: { key: string; modRevision: number }, last: ApiObject): Promise<ApiObject | undefined> {
    try {
      const deleted = await this.backend.delete(kv.key, { expectedRevision: kv.modRevision });
      return { ...last, metadata: { ...last.metadata, resourceVersion: String(deleted.modRevision) } };
    } catch (err) {
      if (err instanceof RevisionMismatchError) return undefined;
      if (err instanceof KeyNotFoundError) throw notFound(this.ref, last.metadata?.name ?? '');
      throw err;
    }
  }

  async delete(namespace: string | undefined, name: string, options: DeleteOptions, ctx: WriteContext): Promise<DeleteResult> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const { obj, kv } = await this.getStored(namespace, name);
      const m = obj.metadata ?? {};
      const pre = options.preconditions ?? {};
      if (pre.uid && pre.uid !== m.uid)
        throw conflict(this.ref, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid ?? ''}`);
      if (pre.resourceVersion && pre.resourceVersion !== m.resourceVersion)
        throw conflict(this.ref, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion ?? ''}`);
      const next = this.beginDeletion(obj, options, ctx);
      if (!next) {
        if (ctx.dryRun) return { object: obj, removed: true };
        const removed = await this.removeIfUnchanged(kv, obj);
        if (removed) return { object: removed, removed: true };
        continue;
      }
      if (sameJson(next, obj) || ctx.dryRun) return { object: next, removed: false };
      try {
        const written = await this.backend.update(kv.key, toStorage(next), { expectedRevision: kv.modRevision });
        return { object: fromStorage(written), removed: false };
      } catch (err) {
        if (!(err instanceof RevisionMismatchError)) throw err;
      }
    }
    throw conflict(this.ref, name, 'too many concurrent updates; please try again');
  }

  /**
   * Marks an object as being deleted, or returns undefined when it can go at once: no
   * finalizers to wait for and no grace period to honour.
   */
  private beginDeletion(obj: ApiObject, options: DeleteOptions, ctx: WriteContext): ApiObject | undefined {
    if (options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds < 0)
      throw new StatusError('Invalid', 'gracePeriodSeconds must be greater than or equal to 0');
    const next = structuredClone(obj);
    const m = (next.metadata ??= {});
    const finalizers = new Set(m.finalizers ?? []);
    const policy = options.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : undefined);
    const hasDependentsPolicy = policy === 'Orphan' || policy === 'Foreground';
    if (!m.deletionTimestamp) {
      if (policy === 'Orphan') finalizers.add('orphan');
      if (policy === 'Foreground') finalizers.add('foregroundDeletion');
    }
    const grace = this.strategy.gracePeriod?.(obj, options.gracePeriodSeconds) ?? 0;
    const pending = finalizers.size > 0 || this.strategy.pendingOnDelete?.(obj) === true;
    if (grace === 0 && !pending) return undefined;
    if (m.deletionTimestamp) {
      // Already terminating: a shorter grace period may still hurry it along.
      if (grace === 0 && !pending) return undefined;
      if (grace > 0 && grace < (m.deletionGracePeriodSeconds ?? Infinity)) {
        m.deletionGracePeriodSeconds = grace;
        m.deletionTimestamp = nowTimestamp(new Date(ctx.now.getTime() + grace * 1000));
      } else if (grace === 0 && m.deletionGracePeriodSeconds) {
        m.deletionGracePeriodSeconds = 0;
      }
      return next;
    }
    m.deletionTimestamp = nowTimestamp(new Date(ctx.now.getTime() + grace * 1000));
    m.deletionGracePeriodSeconds = grace;
    if (hasDependentsPolicy || finalizers.size !== (m.finalizers ?? []).length) m.finalizers = [...finalizers];
    this.strategy.beginDelete?.(next, ctx);
    return next;
  }
}
