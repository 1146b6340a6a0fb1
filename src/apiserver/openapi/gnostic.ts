// The protobuf messages kubectl and client-go expect from `/openapi/v2` when they ask for
// `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`: the `openapi.v2.Document` of
// the gnostic project. We declare only the subset of messages and fields we fill in; field
// numbers follow the public gnostic OpenAPIv2 definition, since those are the wire format.
// Field names here are ours (camelCase); only numbers and types reach the wire.
//
// The descriptor is built in code (protobufjs JSON form) rather than loaded from a .proto file,
// so the compiled output needs nothing besides the .js files.
import type protobuf from 'protobufjs/light.js';
import { protobufLight } from '../lazy-modules.js';

/** [field number, type, repeated?] */
type Field = readonly [number, string, 'repeated'?];
interface MessageSpec {
  fields: Record<string, Field>;
  /** Members of the message's single `oneof`, as gnostic models alternatives. */
  oneof?: readonly string[];
}

/** Every gnostic message keeps `x-` extensions in a repeated NamedAny field. */
const ext = (n: number): Field => [n, 'NamedAny', 'repeated'];

const MESSAGES: Record<string, MessageSpec> = {
  Document: {
    fields: {
      swagger: [1, 'string'],
      info: [2, 'Info'],
      host: [3, 'string'],
      basePath: [4, 'string'],
      schemes: [5, 'string', 'repeated'],
      consumes: [6, 'string', 'repeated'],
      produces: [7, 'string', 'repeated'],
      paths: [8, 'Paths'],
      definitions: [9, 'Definitions'],
      security: [12, 'SecurityRequirement', 'repeated'],
      securityDefinitions: [13, 'SecurityDefinitions'],
      vendorExtension: ext(16),
    },
  },
  Info: { fields: { title: [1, 'string'], version: [2, 'string'], description: [3, 'string'], vendorExtension: ext(7) } },
  Any: { fields: { yaml: [2, 'string'] } },
  NamedAny: { fields: { name: [1, 'string'], value: [2, 'Any'] } },
  Paths: { fields: { vendorExtension: ext(1), path: [2, 'NamedPathItem', 'repeated'] } },
  NamedPathItem: { fields: { name: [1, 'string'], value: [2, 'PathItem'] } },
  PathItem: {
    fields: {
      ref: [1, 'string'],
      get: [2, 'Operation'],
      put: [3, 'Operation'],
      post: [4, 'Operation'],
      delete: [5, 'Operation'],
      options: [6, 'Operation'],
      head: [7, 'Operation'],
      patch: [8, 'Operation'],
      parameters: [9, 'ParametersItem', 'repeated'],
      vendorExtension: ext(10),
    },
  },
  Operation: {
    fields: {
      tags: [1, 'string', 'repeated'],
      summary: [2, 'string'],
      description: [3, 'string'],
      operationId: [5, 'string'],
      produces: [6, 'string', 'repeated'],
      consumes: [7, 'string', 'repeated'],
      parameters: [8, 'ParametersItem', 'repeated'],
      responses: [9, 'Responses'],
      schemes: [10, 'string', 'repeated'],
      deprecated: [11, 'bool'],
      vendorExtension: ext(13),
    },
  },
  ParametersItem: { fields: { parameter: [1, 'Parameter'], jsonReference: [2, 'JsonReference'] }, oneof: ['parameter', 'jsonReference'] },
  JsonReference: { fields: { ref: [1, 'string'], description: [2, 'string'] } },
  Parameter: { fields: { bodyParameter: [1, 'BodyParameter'], nonBodyParameter: [2, 'NonBodyParameter'] }, oneof: ['bodyParameter', 'nonBodyParameter'] },
  BodyParameter: {
    fields: { description: [1, 'string'], name: [2, 'string'], in: [3, 'string'], required: [4, 'bool'], schema: [5, 'Schema'], vendorExtension: ext(6) },
  },
  NonBodyParameter: {
    fields: { queryParameterSubSchema: [3, 'QueryParameterSubSchema'], pathParameterSubSchema: [4, 'PathParameterSubSchema'] },
    oneof: ['queryParameterSubSchema', 'pathParameterSubSchema'],
  },
  QueryParameterSubSchema: {
    fields: {
      required: [1, 'bool'],
      in: [2, 'string'],
      description: [3, 'string'],
      name: [4, 'string'],
      allowEmptyValue: [5, 'bool'],
      type: [6, 'string'],
      format: [7, 'string'],
      uniqueItems: [20, 'bool'],
      vendorExtension: ext(23),
    },
  },
  PathParameterSubSchema: {
    fields: {
      required: [1, 'bool'],
      in: [2, 'string'],
      description: [3, 'string'],
      name: [4, 'string'],
      type: [5, 'string'],
      format: [6, 'string'],
      uniqueItems: [19, 'bool'],
      vendorExtension: ext(22),
    },
  },
  Responses: { fields: { responseCode: [1, 'NamedResponseValue', 'repeated'], vendorExtension: ext(2) } },
  NamedResponseValue: { fields: { name: [1, 'string'], value: [2, 'ResponseValue'] } },
  ResponseValue: { fields: { response: [1, 'Response'], jsonReference: [2, 'JsonReference'] }, oneof: ['response', 'jsonReference'] },
  Response: { fields: { description: [1, 'string'], schema: [2, 'SchemaItem'], vendorExtension: ext(5) } },
  SchemaItem: { fields: { schema: [1, 'Schema'] }, oneof: ['schema'] },
  Schema: {
    fields: {
      ref: [1, 'string'],
      format: [2, 'string'],
      title: [3, 'string'],
      description: [4, 'string'],
      default: [5, 'Any'],
      multipleOf: [6, 'double'],
      maximum: [7, 'double'],
      exclusiveMaximum: [8, 'bool'],
      minimum: [9, 'double'],
      exclusiveMinimum: [10, 'bool'],
      maxLength: [11, 'int64'],
      minLength: [12, 'int64'],
      pattern: [13, 'string'],
      maxItems: [14, 'int64'],
      minItems: [15, 'int64'],
      uniqueItems: [16, 'bool'],
      maxProperties: [17, 'int64'],
      minProperties: [18, 'int64'],
      required: [19, 'string', 'repeated'],
      enum: [20, 'Any', 'repeated'],
      additionalProperties: [21, 'AdditionalPropertiesItem'],
      type: [22, 'TypeItem'],
      items: [23, 'ItemsItem'],
      allOf: [24, 'Schema', 'repeated'],
      properties: [25, 'Properties'],
      discriminator: [26, 'string'],
      readOnly: [27, 'bool'],
      example: [30, 'Any'],
      vendorExtension: ext(31),
    },
  },
  AdditionalPropertiesItem: { fields: { schema: [1, 'Schema'], boolean: [2, 'bool'] }, oneof: ['schema', 'boolean'] },
  TypeItem: { fields: { value: [1, 'string', 'repeated'] } },
  ItemsItem: { fields: { schema: [1, 'Schema', 'repeated'] } },
  Properties: { fields: { additionalProperties: [1, 'NamedSchema', 'repeated'] } },
  NamedSchema: { fields: { name: [1, 'string'], value: [2, 'Schema'] } },
  Definitions: { fields: { additionalProperties: [1, 'NamedSchema', 'repeated'] } },
  SecurityDefinitions: { fields: { additionalProperties: [1, 'NamedSecurityDefinitionsItem', 'repeated'] } },
  NamedSecurityDefinitionsItem: { fields: { name: [1, 'string'], value: [2, 'SecurityDefinitionsItem'] } },
  SecurityDefinitionsItem: { fields: { apiKeySecurity: [2, 'ApiKeySecurity'] }, oneof: ['apiKeySecurity'] },
  ApiKeySecurity: { fields: { type: [1, 'string'], name: [2, 'string'], in: [3, 'string'], description: [4, 'string'], vendorExtension: ext(5) } },
  SecurityRequirement: { fields: { additionalProperties: [1, 'NamedStringArray', 'repeated'] } },
  NamedStringArray: { fields: { name: [1, 'string'], value: [2, 'StringArray'] } },
  StringArray: { fields: { value: [1, 'string', 'repeated'] } },
};

function descriptor(): protobuf.INamespace {
  const nested: Record<string, protobuf.IType> = {};
  for (const [name, spec] of Object.entries(MESSAGES)) {
    const fields: Record<string, protobuf.IField> = {};
    for (const [field, [id, type, rule]] of Object.entries(spec.fields)) fields[field] = rule ? { id, type, rule } : { id, type };
    nested[name] = spec.oneof ? { fields, oneofs: { oneof: { oneof: [...spec.oneof] } } } : { fields };
  }
  return { nested: { openapi: { nested: { v2: { nested } } } } };
}

let root: protobuf.Root | undefined;

/** The `openapi.v2.Document` message type (also used by tests to decode what we serve). */
export function documentType(): protobuf.Type {
  root ??= protobufLight().Root.fromJSON(descriptor());
  return root.lookupType('openapi.v2.Document');
}
