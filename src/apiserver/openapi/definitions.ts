// Turns our TypeBox schemas into OpenAPI (Swagger 2.0 form) schemas: every schema node with an
// `$id` becomes a named definition referenced by `$ref`, TypeBox records become
// `additionalProperties`, int-or-string and quantities point at the shared IntOrString and
// Quantity definitions Kubernetes publishes, and TypeBox's own keywords are dropped.
//
// Patch directives (`x-kubernetes-patch-strategy`, `-merge-key`) describe a field, not a type, so
// when a named object carries them they move to the fields that reference it — which is where
// kubectl's strategic-merge-patch code looks (e.g. DeploymentSpec.strategy: retainKeys).
import type { TSchema } from '@sinclair/typebox';

export type OpenApiSchema = Record<string, unknown>;
type Json = Readonly<Record<string, unknown>>;

export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const REF_PREFIX = '#/definitions/';

/** Keywords copied as they are; everything else (TypeBox internals, patternProperties, $id) is not. */
const PLAIN_KEYWORDS = [
  'description',
  'type',
  'format',
  'enum',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
];

/** Extensions that belong to the referencing field rather than the named type. */
const FIELD_EXTENSIONS = ['x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key'];
/** Our own markers that say how a value decodes; they have no meaning for clients. */
const PRIVATE_EXTENSIONS = new Set(['x-kubernetes-quantity', 'x-kubernetes-int-or-string']);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const ref = (id: string): string => `${REF_PREFIX}${id}`;

/** Collects named definitions while converting schemas; one instance per published document set. */
export class DefinitionSet {
  readonly definitions = new Map<string, OpenApiSchema>();
  /** Definitions some field refers to with the type's own description... */
  private readonly echoed = new Set<string>();
  /** ...and those also reached without it (list items, map values, other text). */
  private readonly described = new Set<string>();

  /** Adds a definition under its own name (used for the top-level kind schemas and list kinds). */
  define(id: string, schema: OpenApiSchema): void {
    this.definitions.set(id, schema);
  }

  /**
   * Converts a schema node; a named node becomes a definition and the result a `$ref` to it.
   * `at` says where the node sits: only object properties (`field`) repeat their type's
   * description at the reference (list items and map values do not, as in Kubernetes);
   * `root` is a document's own entry point, not a reference anyone reads.
   */
  convert(schema: TSchema | Json, at: 'root' | 'field' | 'value' = 'root'): OpenApiSchema {
    const s = schema as Json;
    const id = typeof s.$id === 'string' ? s.$id : undefined;
    if (id === undefined) {
      const out = this.body(s);
      // A scalar list item or map value is described by its list or map.
      if (at === 'value' && out.properties === undefined) delete out.description;
      return out;
    }
    if (!this.definitions.has(id)) {
      this.definitions.set(id, {}); // placeholder: a schema may reach itself
      this.definitions.set(id, this.namedBody(s));
    }
    const out: OpenApiSchema = { $ref: ref(id) };
    const description = at === 'field' && typeof s.description === 'string' ? s.description : undefined;
    if (description !== undefined) out.description = description;
    if (at === 'root') return out;
    if (description !== undefined && description === this.definitions.get(id)?.description) this.echoed.add(id);
    else this.described.add(id);
    for (const k of FIELD_EXTENSIONS) if (s[k] !== undefined) out[k] = s[k];
    return out;
  }

  /**
   * Drops a type's description where every field referring to it already shows the same text,
   * so readers such as `kubectl explain` (which print a field's description and then its
   * type's) say it once. Kinds keep theirs: they are looked up directly.
   */
  dropEchoedDescriptions(): void {
    for (const id of this.echoed) {
      const def = this.definitions.get(id);
      if (!def || this.described.has(id) || def['x-kubernetes-group-version-kind'] !== undefined) continue;
      delete def.description;
    }
  }

  /** Converts a named schema into its definition body (what `convert` stores under the `$id`). */
  namedBody(s: TSchema | Json): OpenApiSchema {
    const out = this.body(s as Json);
    for (const k of FIELD_EXTENSIONS) delete out[k];
    return out;
  }

  private sharedRef(s: Json, id: string): OpenApiSchema {
    const out: OpenApiSchema = { $ref: ref(id) };
    if (typeof s.description === 'string') out.description = s.description;
    return out;
  }

  private body(s: Json): OpenApiSchema {
    if (typeof s.$ref === 'string') return { $ref: ref(s.$ref.slice(s.$ref.lastIndexOf('/') + 1)) };
    if (s['x-kubernetes-int-or-string'] === true) return this.sharedRef(s, INT_OR_STRING);
    if (s['x-kubernetes-quantity'] === true) return this.sharedRef(s, QUANTITY);
    const out: OpenApiSchema = {};
    for (const k of PLAIN_KEYWORDS) if (s[k] !== undefined) out[k] = s[k];
    for (const [k, v] of Object.entries(s)) if (k.startsWith('x-') && !PRIVATE_EXTENSIONS.has(k)) out[k] = v;
    if (s.type === 'object') this.objectBody(s, out);
    else if (s.type === 'array') out.items = isObject(s.items) ? this.convert(s.items, 'value') : {};
    else if (s.type === undefined && (Array.isArray(s.anyOf) || Array.isArray(s.oneOf))) {
      // Swagger 2.0 has no unions; an untyped schema tells clients to accept any value.
      out['x-kubernetes-preserve-unknown-fields'] ??= true;
    }
    return out;
  }

  private objectBody(s: Json, out: OpenApiSchema): void {
    if (isObject(s.properties) && Object.keys(s.properties).length > 0) {
      const props: OpenApiSchema = {};
      for (const [name, p] of Object.entries(s.properties)) if (isObject(p)) props[name] = this.convert(p, 'field');
      out.properties = props;
      if (Array.isArray(s.required) && s.required.length > 0) out.required = [...(s.required as unknown[])];
    }
    const value = isObject(s.patternProperties) ? Object.values(s.patternProperties)[0] : s.additionalProperties;
    if (isObject(value)) out.additionalProperties = this.convert(value, 'value');
    else if (value === true && out.properties === undefined) out.additionalProperties = {};
  }
}

/** The names of every definition reachable from `roots` through `$ref`s, roots included. */
export function reachable(definitions: ReadonlyMap<string, OpenApiSchema>, roots: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string' && x.startsWith(REF_PREFIX)) stack.push(x.slice(REF_PREFIX.length));
        else if (typeof x === 'object') visit(x);
      }
    }
  };
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    visit(definitions.get(id));
  }
  return seen;
}
