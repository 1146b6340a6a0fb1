// Encodes the Swagger 2.0 document as the gnostic `openapi.v2.Document` protobuf. Values that
// JSON Schema leaves free-form (defaults, enum members, vendor extensions) travel as YAML text
// in gnostic's `Any.yaml`; kubectl parses them back with a YAML decoder (that is how it reads
// `x-kubernetes-group-version-kind` and the patch directives).
import { documentType } from './gnostic.js';
import { yaml } from '../lazy-modules.js';
import type { OpenApiSchema } from './definitions.js';

type Msg = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const anyOf = (v: unknown): Msg => ({ yaml: yaml().stringify(v) });

function extensions(o: Record<string, unknown>): Msg[] {
  return Object.entries(o)
    .filter(([k]) => k.startsWith('x-'))
    .map(([name, v]) => ({ name, value: anyOf(v) }));
}

const STRINGS = ['format', 'title', 'description', 'pattern', 'discriminator'];
const NUMBERS = ['multipleOf', 'maximum', 'minimum', 'maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties'];
const BOOLEANS = ['exclusiveMaximum', 'exclusiveMinimum', 'uniqueItems', 'readOnly'];

function schemaMessage(s: Record<string, unknown>): Msg {
  const m: Msg = {};
  if (typeof s.$ref === 'string') m.ref = s.$ref;
  for (const k of STRINGS) if (typeof s[k] === 'string') m[k] = s[k];
  for (const k of NUMBERS) if (typeof s[k] === 'number') m[k] = s[k];
  for (const k of BOOLEANS) if (typeof s[k] === 'boolean') m[k] = s[k];
  if (s.default !== undefined) m.default = anyOf(s.default);
  if (s.example !== undefined) m.example = anyOf(s.example);
  if (Array.isArray(s.enum)) m.enum = s.enum.map(anyOf);
  if (Array.isArray(s.required)) m.required = s.required.filter((x): x is string => typeof x === 'string');
  if (typeof s.type === 'string') m.type = { value: [s.type] };
  else if (Array.isArray(s.type)) m.type = { value: s.type };
  if (isObject(s.additionalProperties)) m.additionalProperties = { schema: schemaMessage(s.additionalProperties) };
  else if (typeof s.additionalProperties === 'boolean') m.additionalProperties = { boolean: s.additionalProperties };
  if (isObject(s.items)) m.items = { schema: [schemaMessage(s.items)] };
  if (Array.isArray(s.allOf)) m.allOf = s.allOf.filter(isObject).map(schemaMessage);
  if (isObject(s.properties)) {
    m.properties = {
      additionalProperties: Object.entries(s.properties)
        .filter((e): e is [string, Record<string, unknown>] => isObject(e[1]))
        .map(([name, p]) => ({ name, value: schemaMessage(p) })),
    };
  }
  const x = extensions(s);
  if (x.length > 0) m.vendorExtension = x;
  return m;
}

function parameterMessage(p: Record<string, unknown>): Msg {
  if (p.in === 'body') {
    const body: Msg = { name: p.name, in: 'body', required: p.required === true };
    if (typeof p.description === 'string') body.description = p.description;
    if (isObject(p.schema)) body.schema = schemaMessage(p.schema);
    return { parameter: { bodyParameter: body } };
  }
  const sub: Msg = { in: p.in, name: p.name, type: p.type };
  if (p.required === true) sub.required = true;
  if (typeof p.description === 'string') sub.description = p.description;
  if (p.uniqueItems === true) sub.uniqueItems = true;
  const which = p.in === 'path' ? 'pathParameterSubSchema' : 'queryParameterSubSchema';
  return { parameter: { nonBodyParameter: { [which]: sub } } };
}

function operationMessage(op: Record<string, unknown>): Msg {
  const m: Msg = {};
  for (const k of ['tags', 'produces', 'consumes', 'schemes']) if (Array.isArray(op[k])) m[k] = op[k];
  for (const k of ['summary', 'description', 'operationId']) if (typeof op[k] === 'string') m[k] = op[k];
  if (Array.isArray(op.parameters)) m.parameters = op.parameters.filter(isObject).map(parameterMessage);
  if (isObject(op.responses)) {
    m.responses = {
      responseCode: Object.entries(op.responses)
        .filter((e): e is [string, Record<string, unknown>] => isObject(e[1]))
        .map(([name, r]) => {
          const response: Msg = { description: String(r.description ?? '') };
          if (isObject(r.schema)) response.schema = { schema: schemaMessage(r.schema) };
          return { name, value: { response } };
        }),
    };
  }
  const x = extensions(op);
  if (x.length > 0) m.vendorExtension = x;
  return m;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function pathItemMessage(item: Record<string, unknown>): Msg {
  const m: Msg = {};
  for (const method of METHODS) {
    const op = item[method];
    if (isObject(op)) m[method] = operationMessage(op);
  }
  if (Array.isArray(item.parameters)) m.parameters = item.parameters.filter(isObject).map(parameterMessage);
  return m;
}

/** The protobuf encoding of a Swagger 2.0 document as built by `swaggerDocument`. */
export function encodeSwagger(doc: OpenApiSchema): Buffer {
  const info = isObject(doc.info) ? doc.info : {};
  const paths = isObject(doc.paths) ? doc.paths : {};
  const definitions = isObject(doc.definitions) ? doc.definitions : {};
  const security = isObject(doc.securityDefinitions) ? doc.securityDefinitions : {};
  const message: Msg = {
    swagger: String(doc.swagger ?? '2.0'),
    info: { title: String(info.title ?? ''), version: String(info.version ?? '') },
    paths: {
      path: Object.entries(paths)
        .filter((e): e is [string, Record<string, unknown>] => isObject(e[1]))
        .map(([name, item]) => ({ name, value: pathItemMessage(item) })),
    },
    definitions: {
      additionalProperties: Object.entries(definitions)
        .filter((e): e is [string, Record<string, unknown>] => isObject(e[1]))
        .map(([name, s]) => ({ name, value: schemaMessage(s) })),
    },
    securityDefinitions: {
      additionalProperties: Object.entries(security)
        .filter((e): e is [string, Record<string, unknown>] => isObject(e[1]))
        .map(([name, s]) => ({ name, value: { apiKeySecurity: { type: s.type, name: s.name, in: s.in, description: s.description } } })),
    },
    security: (Array.isArray(doc.security) ? doc.security : []).filter(isObject).map((req) => ({
      additionalProperties: Object.entries(req).map(([name, scopes]) => ({ name, value: { value: Array.isArray(scopes) ? scopes : [] } })),
    })),
  };
  const type = documentType();
  return Buffer.from(type.encode(type.fromObject(message)).finish());
}
