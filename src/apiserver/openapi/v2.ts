// Renders the API model as the Swagger 2.0 document served at /openapi/v2 — the document kubectl
// reads (as protobuf) for client-side validation, strategic-merge-patch metadata and the
// server-side field validation probe. Parameters are written inline on each operation because
// kubectl's probe does not follow parameter references.
import type { ApiModel } from './model.js';
import type { Operation, Param, Route } from './routes.js';
import { ref, type OpenApiSchema } from './definitions.js';

export interface DocInfo {
  title: string;
  version: string;
}

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];
export const REPLY_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
export const STREAM_TYPES = ['application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

export const BEARER = { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer token authentication.' } };

function param(p: Param): OpenApiSchema {
  const out: OpenApiSchema = { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in };
  if (p.required) out.required = true;
  return out;
}

function operation(op: Operation): OpenApiSchema {
  const params: OpenApiSchema[] = [];
  if (op.body) params.push({ name: 'body', in: 'body', required: op.body.required, schema: { $ref: ref(op.body.definition) } });
  params.push(...op.params.map(param));
  const responses: OpenApiSchema = {};
  for (const r of op.responses) responses[r.code] = r.body ? { description: r.description, schema: { $ref: ref(r.body) } } : { description: r.description };
  const out: OpenApiSchema = {
    description: op.description,
    consumes: op.method === 'patch' ? PATCH_TYPES : ['*/*'],
    produces: op.streams ? [...REPLY_TYPES, ...STREAM_TYPES] : REPLY_TYPES,
    schemes: ['https'],
    tags: [op.tag],
    operationId: op.operationId,
    parameters: params,
    responses,
  };
  if (op.action) out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = op.gvk;
  return out;
}

function pathItem(route: Route): OpenApiSchema {
  const out: OpenApiSchema = {};
  for (const op of route.operations) out[op.method] = operation(op);
  if (route.params.length > 0) out.parameters = route.params.map(param);
  return out;
}

export function swaggerDocument(model: ApiModel, info: DocInfo): OpenApiSchema {
  const paths: OpenApiSchema = {};
  for (const r of model.routes) paths[r.path] = pathItem(r);
  return {
    swagger: '2.0',
    info: { title: info.title, version: info.version },
    paths,
    definitions: Object.fromEntries(model.definitions),
    securityDefinitions: BEARER,
    security: [{ BearerToken: [] }],
  };
}
