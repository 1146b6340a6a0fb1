// Renders the API model as OpenAPI 3.0, one document per group version (what /openapi/v3/apis/
// apps/v1 serves and `kubectl explain` reads). Each document holds only the schemas its paths
// reach. References become `#/components/schemas/<name>`; a reference that also carries a
// description or patch directive is wrapped in `allOf`, since OpenAPI 3.0 ignores siblings of
// `$ref` — kubectl's explain and strategic-merge-patch code both read that form.
import type { ApiModel } from './model.js';
import type { Operation, Param, Route } from './routes.js';
import { VERB_DEFINITIONS } from './routes.js';
import { reachable, REF_PREFIX, type OpenApiSchema } from './definitions.js';
import { scalarDefinitionsV3 } from './meta-schemas.js';
import { BEARER, PATCH_TYPES, REPLY_TYPES, STREAM_TYPES, type DocInfo } from './v2.js';

const V3_PREFIX = '#/components/schemas/';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const v3Ref = (v2ref: string): string => (v2ref.startsWith(REF_PREFIX) ? V3_PREFIX + v2ref.slice(REF_PREFIX.length) : v2ref);

/** Rewrites one schema; only keywords that hold schemas are walked, so defaults stay verbatim. */
function toV3Schema(s: OpenApiSchema): OpenApiSchema {
  const out: OpenApiSchema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref') continue;
    if (k === 'properties' && isObject(v)) {
      out.properties = Object.fromEntries(Object.entries(v).map(([n, p]) => [n, isObject(p) ? toV3Schema(p) : p]));
    } else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && isObject(v)) {
      out[k] = toV3Schema(v);
    } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) {
      out[k] = v.map((x: unknown) => (isObject(x) ? toV3Schema(x) : x));
    } else {
      out[k] = v;
    }
  }
  if (typeof s.$ref !== 'string') return out;
  const target = v3Ref(s.$ref);
  return Object.keys(out).length === 0 ? { $ref: target } : { allOf: [{ $ref: target }], ...out };
}

function param(p: Param): OpenApiSchema {
  const out: OpenApiSchema = { name: p.name, in: p.in, description: p.description };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}

const content = (types: readonly string[], definition: string): OpenApiSchema =>
  Object.fromEntries(types.map((t) => [t, { schema: { $ref: V3_PREFIX + definition } }]));

function operation(op: Operation): OpenApiSchema {
  const responses: OpenApiSchema = {};
  for (const r of op.responses) {
    const types = op.streams ? [...REPLY_TYPES, ...STREAM_TYPES] : REPLY_TYPES;
    responses[r.code] = r.body ? { description: r.description, content: content(types, r.body) } : { description: r.description };
  }
  const out: OpenApiSchema = { tags: [op.tag], description: op.description, operationId: op.operationId };
  if (op.params.length > 0) out.parameters = op.params.map(param);
  if (op.body) {
    out.requestBody = { content: content(op.method === 'patch' ? PATCH_TYPES : ['*/*'], op.body.definition) };
    if (op.body.required) (out.requestBody as OpenApiSchema).required = true;
  }
  out.responses = responses;
  if (op.action) out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = op.gvk;
  return out;
}

function pathItem(route: Route): OpenApiSchema {
  const out: OpenApiSchema = {};
  if (route.params.length > 0) out.parameters = route.params.map(param);
  for (const op of route.operations) out[op.method] = operation(op);
  return out;
}

function referencedDefinitions(routes: readonly Route[]): string[] {
  const out = new Set<string>(VERB_DEFINITIONS);
  for (const r of routes) {
    for (const op of r.operations) {
      if (op.body) out.add(op.body.definition);
      for (const res of op.responses) if (res.body) out.add(res.body);
    }
  }
  return [...out];
}

/** One OpenAPI 3.0 document per group version path (`api/v1`, `apis/apps/v1`). */
export function openApiV3Documents(model: ApiModel, info: DocInfo): Map<string, OpenApiSchema> {
  const docs = new Map<string, OpenApiSchema>();
  for (const gv of model.groupVersions) {
    const routes = model.routes.filter((r) => r.groupVersion === gv);
    const names = reachable(model.definitions, referencedDefinitions(routes));
    const schemas: OpenApiSchema = {};
    for (const [name, def] of model.definitions) {
      if (!names.has(name)) continue;
      schemas[name] = scalarDefinitionsV3[name] ?? toV3Schema(def);
    }
    const paths: OpenApiSchema = {};
    for (const r of routes) paths[r.path] = pathItem(r);
    docs.set(gv, {
      openapi: '3.0.0',
      info: { title: info.title, version: info.version },
      paths,
      components: { schemas, securitySchemes: BEARER },
      security: [{ BearerToken: [] }],
    });
  }
  return docs;
}
