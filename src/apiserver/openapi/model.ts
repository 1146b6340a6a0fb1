// The API as one neutral model, built from the kind list: every named schema as a definition
// (Swagger 2.0 form), a `<Kind>List` definition per kind, the generic verb bodies, and the REST
// routes. The Swagger 2.0 and OpenAPI 3 renderers both start from this.
import type { KindDef } from '../../api/kind.js';
import { ListMeta } from '../../api/meta/v1.js';
import { Scale } from '../../api/autoscaling/v1/scale.js';
import { DefinitionSet, ref, type OpenApiSchema } from './definitions.js';
import { verbSchemas, scalarDefinitionsV2, PER_GROUP_VERSION } from './meta-schemas.js';
import { kindRoutes, groupVersionRoute, groupVersionPath, type Route, type Gvk } from './routes.js';

export interface ApiModel {
  /** Definitions by name, sorted by name; references are `#/definitions/<name>`. */
  definitions: ReadonlyMap<string, OpenApiSchema>;
  /** Routes sorted by path. */
  routes: readonly Route[];
  /** `api/v1`, `apis/apps/v1`, ... in the order the kinds are listed. */
  groupVersions: readonly string[];
}

const GVK_EXTENSION = 'x-kubernetes-group-version-kind';

/** Kubernetes' definition names: io.k8s.api.<first label of the group, or core>.<version>.<Kind>. */
function defaultDefinitionName(k: KindDef): string {
  const g = k.group ? (k.group.split('.')[0] as string) : 'core';
  return `io.k8s.api.${g}.${k.version}.${k.kind}`;
}

function listDefinition(k: KindDef, itemName: string): OpenApiSchema {
  return {
    description: `A list of ${k.kind} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { description: 'Versioned schema of this representation of the object.', type: 'string' },
      items: { description: `The ${k.kind} objects.`, type: 'array', items: { $ref: ref(itemName) } },
      kind: { description: 'Kind of object this is, in CamelCase.', type: 'string' },
      metadata: { $ref: ref(String(ListMeta.$id)), description: 'Metadata of the list.' },
    },
    [GVK_EXTENSION]: [{ group: k.group, version: k.version, kind: k.listKind }],
  };
}

export function buildModel(kinds: readonly KindDef[]): ApiModel {
  const defs = new DefinitionSet();
  const routes: Route[] = [];
  const groupVersions: { group: string; version: string; path: string }[] = [];
  defs.convert(ListMeta);
  for (const schema of verbSchemas) defs.convert(schema);
  if (kinds.some((k) => k.scale)) defs.convert(Scale);

  for (const k of kinds) {
    const gv = groupVersionPath(k.group, k.version);
    if (!groupVersions.some((g) => g.path === gv)) groupVersions.push({ group: k.group, version: k.version, path: gv });
    const name = typeof k.schema.$id === 'string' ? k.schema.$id : defaultDefinitionName(k);
    const gvk: Gvk = { group: k.group, version: k.version, kind: k.kind };
    if (typeof k.schema.$id === 'string') defs.convert(k.schema);
    else defs.define(name, defs.namedBody(k.schema));
    const body = defs.definitions.get(name) as OpenApiSchema;
    const listed = Array.isArray(body[GVK_EXTENSION]) ? (body[GVK_EXTENSION] as Gvk[]) : [];
    const same = (g: Gvk): boolean => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind;
    if (!listed.some(same)) body[GVK_EXTENSION] = [...listed, gvk];
    const listName = `${name}List`;
    defs.define(listName, listDefinition(k, name));
    routes.push(...kindRoutes(k, { definition: name, listDefinition: listName }));
  }

  for (const { group, version } of groupVersions) routes.push(groupVersionRoute(group, version));
  // DeleteOptions and WatchEvent are served by every group version and say so.
  for (const id of PER_GROUP_VERSION) {
    const def = defs.definitions.get(id);
    const kind = id.slice(id.lastIndexOf('.') + 1);
    if (def) def[GVK_EXTENSION] = groupVersions.map(({ group, version }) => ({ group, version, kind }));
  }
  for (const [id, def] of Object.entries(scalarDefinitionsV2)) defs.define(id, def);
  defs.dropEchoedDescriptions();

  const sorted = new Map([...defs.definitions.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  routes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { definitions: sorted, routes, groupVersions: groupVersions.map((g) => g.path) };
}
