// Serves the REST verbs of one resource path: get/list/watch, create, update, patch, delete and
// deletecollection, plus the status, scale and finalize subresources. It reads the request
// (query parameters, body, Accept), calls the registry, and writes the response in the
// negotiated form. Everything Kubernetes-specific about objects happens in the registry.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TSchema } from '@sinclair/typebox';
import type { KindDef } from '../../api/kind.js';
import { Scale } from '../../api/autoscaling/v1/scale.js';
import { badRequest, noSuchResource, StatusError } from '../../lib/errors.js';
import type { UserInfo } from '../auth/tokens.js';
import type { Resource } from '../registry/registry.js';
import type { ListQuery, WatchQuery } from '../registry/reads.js';
import type { DeleteOptions, FieldValidation, WriteOptions } from '../registry/store.js';
import type { WriteContext } from '../registry/strategy.js';
import { boolParam, intParam, parseBody, queryOf, readBody, sendJson, successStatus } from './io.js';
import { includeObjectParam, negotiate, renderList, renderObject, type Form } from './negotiate.js';
import type { ResourcePath } from './paths.js';
import { scaleOf, writeScale } from './scale.js';
import { createBinding, isBindingSubresource } from './binding.js';
import { TokenRequest } from '../../api/authentication/v1/index.js';
import { Binding, DeleteOptions as DeleteOptionsSchema } from '../protobuf/index.js';
import type { TokenRequestHandler } from '../auth/serviceaccount/index.js';
import { serveWatch, type WatchStreamOptions } from './watch.js';
import { fieldManagerOf } from '../patch/index.js';

export interface HandlerEnv {
  revision(): number;
  onCacheReset(fn: () => void): () => void;
  bookmarkIntervalMs: number;
  signal: AbortSignal;
  /** serviceaccounts/{name}/token (auth/serviceaccount); absent, it is not served. */
  serviceAccountTokens?: TokenRequestHandler;
  /** pods/log, exec, attach and portforward (apiserver/proxy); absent, they are not served. */
  streaming?: {
    subresources: ReadonlySet<string>;
    handleRequest(req: IncomingMessage, res: ServerResponse, t: { namespace: string; name: string; subresource: string; query: URLSearchParams }): Promise<void>;
  };
}

const PATCH_TYPES = new Set(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);

function fieldValidation(v: string | undefined): FieldValidation {
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Ignore' || v === 'Warn' || v === 'Strict') return v;
  throw badRequest(`fieldValidation must be one of Ignore, Warn or Strict, not ${JSON.stringify(v)}`);
}

function dryRun(v: string | undefined): boolean {
  if (v === undefined || v === '') return false;
  if (v === 'All') return true;
  throw badRequest(`Invalid dry run value: ${JSON.stringify(v)}; supported values: "All"`);
}

function listQuery(q: Record<string, string>): WatchQuery {
  const out: ListQuery & WatchQuery = {};
  if (q.labelSelector) out.labelSelector = q.labelSelector;
  if (q.fieldSelector) out.fieldSelector = q.fieldSelector;
  const limit = intParam(q.limit, 'limit');
  if (limit !== undefined) out.limit = limit;
  if (q.continue) out.continue = q.continue;
  if (q.resourceVersion !== undefined) out.resourceVersion = q.resourceVersion;
  if (q.resourceVersionMatch) {
    if (q.resourceVersionMatch !== 'Exact' && q.resourceVersionMatch !== 'NotOlderThan')
      throw badRequest(`resourceVersionMatch: Unsupported value: ${JSON.stringify(q.resourceVersionMatch)}`);
    out.resourceVersionMatch = q.resourceVersionMatch;
  }
  if (boolParam(q.allowWatchBookmarks)) out.allowWatchBookmarks = true;
  if (q.sendInitialEvents !== undefined) out.sendInitialEvents = boolParam(q.sendInitialEvents);
  return out;
}

function deleteOptions(body: unknown, q: Record<string, string>): DeleteOptions {
  const o: DeleteOptions = {};
  const b = (body ?? {}) as Record<string, unknown>;
  const grace = b.gracePeriodSeconds ?? intParam(q.gracePeriodSeconds, 'gracePeriodSeconds');
  if (grace !== undefined && grace !== null) {
    if (typeof grace !== 'number' || !Number.isInteger(grace)) throw badRequest('gracePeriodSeconds must be an integer');
    o.gracePeriodSeconds = grace;
  }
  const policy = b.propagationPolicy ?? q.propagationPolicy;
  if (policy !== undefined && policy !== null) {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground')
      throw badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`);
    o.propagationPolicy = policy;
  }
  const orphan = b.orphanDependents ?? (q.orphanDependents !== undefined ? boolParam(q.orphanDependents) : undefined);
  if (typeof orphan === 'boolean') o.orphanDependents = orphan;
  if (b.preconditions && typeof b.preconditions === 'object') o.preconditions = b.preconditions as DeleteOptions['preconditions'] & object;
  return o;
}

export async function handleResource(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: { path: ResourcePath; url: URL; resource: Resource; user: UserInfo | undefined; env: HandlerEnv },
): Promise<void> {
  const { path, resource, env } = ctx;
  const { store, reader, kind } = resource;
  const q = queryOf(ctx.url);
  const method = req.method ?? 'GET';
  const ns = kind.namespaced ? path.namespace : undefined;
  if (kind.namespaced && path.name !== undefined && !ns && method !== 'GET')
    throw noSuchResource();
  if (!kind.namespaced && path.namespace !== undefined) throw noSuchResource();
  const sub = path.subresource;
  if (env.streaming && sub !== undefined && kind.group === '' && kind.plural === 'pods' && ns && path.name && env.streaming.subresources.has(sub))
    return env.streaming.handleRequest(req, res, { namespace: ns, name: path.name, subresource: sub, query: ctx.url.searchParams });
  if (sub !== undefined && !((sub === 'status' && kind.status) || (sub === 'scale' && kind.scale) || (sub === 'finalize' && kind.plural === 'namespaces' && kind.group === '') || isBindingSubresource(store, sub) || (sub === 'token' && isTokenSubresource(kind, env))))
    throw noSuchResource();
  const form: Form = negotiate(req.headers.accept);
  const render = { includeObject: includeObjectParam(q.includeObject), now: new Date() };
  const wctx: WriteContext = { now: new Date(), user: ctx.user, dryRun: dryRun(q.dryRun), warnings: [] };
  const send = (code: number, obj: object): void => sendJson(res, code, obj, wctx.warnings);
  const sendObj = (code: number, obj: Parameters<typeof renderObject>[2]): void => send(code, renderObject(form, kind, obj, render));

  if (method === 'GET') {
    if (sub === 'binding' || sub === 'token') throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const watching = path.legacyWatch || boolParam(q.watch);
    if (watching) {
      const wq = listQuery(q);
      if (path.name) wq.fieldSelector = [`metadata.name=${path.name}`, wq.fieldSelector].filter(Boolean).join(',');
      const opts: WatchStreamOptions = {
        form,
        includeObject: render.includeObject,
        timeoutSeconds: intParam(q.timeoutSeconds, 'timeoutSeconds'),
        bookmarkIntervalMs: env.bookmarkIntervalMs,
        revision: env.revision,
        onCacheReset: env.onCacheReset,
        signal: env.signal,
      };
      await serveWatch(req, res, { reader, kind, namespace: ns, query: wq }, opts);
      return;
    }
    if (path.name === undefined) {
      const page = await reader.list(ns, listQuery(q));
      const body = renderList(form, { kind, ...page }, render);
      sendJson(res, 200, body);
      return;
    }
    const obj = await reader.get(ns, path.name, q.resourceVersion || undefined);
    if (sub === 'scale') send(200, scaleOf(kind, obj));
    else sendObj(200, obj);
    return;
  }

  const body =
    method === 'DELETE'
      ? await optionalBody(req, DeleteOptionsSchema)
      : parseBody(await readBody(req), { contentType: req.headers['content-type'], schema: bodySchema(kind, { method, sub }) });
  const fv = fieldValidation(q.fieldValidation);
  const wopts: WriteOptions = { fieldValidation: fv, ...(sub === 'status' || sub === 'finalize' ? { subresource: sub } : {}) };
  wctx.fieldManager = fieldManagerOf({ query: q, method, contentType: req.headers['content-type'], userAgent: req.headers['user-agent'], subresource: sub });

  if (method === 'POST' && path.name === undefined) {
    sendObj(201, await store.create(ns, body, wctx, wopts));
    return;
  }
  if (path.name === undefined) {
    if (method === 'DELETE') {
      const opts = deleteOptions(body, q);
      if (body && typeof body === 'object' && Array.isArray((body as { dryRun?: unknown }).dryRun)) wctx.dryRun = ((body as { dryRun: string[] }).dryRun).includes('All');
      const page = await reader.list(ns, listQuery(q));
      const deleted = [];
      for (const item of page.items) {
        const name = item.object.metadata?.name ?? '';
        const r = await store.delete(item.object.metadata?.namespace, name, opts, wctx).catch((e: unknown) => {
          if (e instanceof StatusError && e.reason === 'NotFound') return undefined;
          throw e;
        });
        if (r) deleted.push(r.object);
      }
      send(200, { kind: kind.listKind, apiVersion: kind.apiVersion, metadata: { resourceVersion: String(env.revision()) }, items: deleted });
      return;
    }
    throw new StatusError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }
  const name = path.name;
  if (sub === 'binding') {
    send(201, await createBinding(store, { method, namespace: ns, name, body, ctx: wctx }));
    return;
  }
  if (sub === 'token' && env.serviceAccountTokens) {
    if (method !== 'POST') throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    send(201, await env.serviceAccountTokens.createToken({ namespace: ns ?? '', name, body, dryRun: wctx.dryRun, fieldValidation: fv, warnings: wctx.warnings }));
    return;
  }
  if (sub === 'scale' && (method === 'PUT' || method === 'PATCH')) {
    const write = method === 'PUT' ? { kind: 'update' as const, body } : { kind: 'patch' as const, contentType: patchType(req), body };
    send(200, await writeScale(store, { namespace: ns, name }, write, wctx));
    return;
  }
  if (method === 'PUT') {
    const r = await store.update(ns, name, body, wctx, wopts);
    sendObj(r.created ? 201 : 200, r.object);
    return;
  }
  if (method === 'PATCH') {
    sendObj(200, await store.patch(ns, name, { contentType: patchType(req), body }, wctx, wopts));
    return;
  }
  if (method === 'DELETE' && sub === undefined) {
    if (body && typeof body === 'object' && Array.isArray((body as { dryRun?: unknown }).dryRun)) wctx.dryRun = ((body as { dryRun: string[] }).dryRun).includes('All');
    const r = await store.delete(ns, name, deleteOptions(body, q), wctx);
    if (r.removed && !(kind.group === '' && (kind.plural === 'pods' || kind.plural === 'namespaces' || kind.plural === 'services')))
      send(200, successStatus({ name, group: kind.group, kind: kind.plural, uid: r.object.metadata?.uid ?? '' }));
    else sendObj(200, r.object);
    return;
  }
  throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** The type a create or update body holds, for decoding protobuf; patches are never protobuf. */
function bodySchema(kind: KindDef, req: { method: string; sub: string | undefined }): TSchema | undefined {
  if (req.method === 'PATCH') return undefined;
  if (req.sub === 'binding') return Binding;
  if (req.sub === 'token') return TokenRequest;
  return req.sub === 'scale' ? Scale : kind.schema;
}

const isTokenSubresource = (kind: KindDef, env: HandlerEnv): boolean =>
  kind.group === '' && kind.plural === 'serviceaccounts' && env.serviceAccountTokens !== undefined;

function patchType(req: IncomingMessage): string {
  const t = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  if (!PATCH_TYPES.has(t))
    throw new StatusError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
  return t;
}

async function optionalBody(req: IncomingMessage, schema: TSchema): Promise<unknown> {
  const raw = await readBody(req);
  return raw.length === 0 || raw.toString('utf8').trim() === '' ? undefined : parseBody(raw, { contentType: req.headers['content-type'], schema });
}
