// Discovery: which resources the server serves, read from /api and /apis the way kubectl does.
// Each listable resource gets a short URL token for the dashboard's routes: its plural when no
// earlier group uses that plural (core first, then groups in the server's order), otherwise
// `plural.group` — the same names `kubectl get` accepts.
import type { ApiClient } from './client.ts';
import type { ResourceRef } from './paths.ts';

export interface ApiResourceJson {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
}
interface ApiResourceListJson {
  groupVersion: string;
  resources: ApiResourceJson[];
}
interface ApiGroupListJson {
  groups: { name: string; preferredVersion?: { version: string }; versions: { version: string }[] }[];
}

export interface ResourceInfo extends ResourceRef {
  kind: string;
  verbs: string[];
  shortNames: string[];
  /** Route token: `deployments`, or `events.events.k8s.io` when the plural is taken. */
  token: string;
}

export interface GroupVersionResources {
  group: string;
  version: string;
  resources: ApiResourceJson[];
}

/** Builds the catalogue from per-group-version lists, core first; subresources are dropped. */
export function buildCatalog(lists: readonly GroupVersionResources[]): ResourceInfo[] {
  const seen = new Set<string>();
  const out: ResourceInfo[] = [];
  for (const l of lists) {
    for (const r of l.resources) {
      if (r.name.includes('/') || !r.verbs.includes('list')) continue;
      const token = seen.has(r.name) ? `${r.name}.${l.group}` : r.name;
      seen.add(r.name);
      out.push({ group: l.group, version: l.version, plural: r.name, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, shortNames: r.shortNames ?? [], token });
    }
  }
  return out;
}

export function resolveToken(catalog: readonly ResourceInfo[], token: string): ResourceInfo | undefined {
  return catalog.find((r) => r.token === token) ?? catalog.find((r) => `${r.plural}.${r.group}` === token);
}

/** The resource for a kind in an API version (`apps/v1`, `v1`), as found in ownerReferences. */
export function resourceForKind(catalog: readonly ResourceInfo[], apiVersion: string, kind: string): ResourceInfo | undefined {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return catalog.find((r) => r.group === group && r.kind === kind);
}

export async function loadCatalog(api: ApiClient, signal?: AbortSignal): Promise<ResourceInfo[]> {
  const core = await api.get<ApiResourceListJson>('/api/v1', signal);
  const groups = await api.get<ApiGroupListJson>('/apis', signal);
  const lists = await Promise.all(
    groups.groups.map(async (g): Promise<GroupVersionResources | null> => {
      const version = g.preferredVersion?.version ?? g.versions[0]?.version;
      if (!version) return null;
      try {
        const l = await api.get<ApiResourceListJson>(`/apis/${g.name}/${version}`, signal);
        return { group: g.name, version, resources: l.resources };
      } catch {
        return null; // a group that fails discovery is left out rather than breaking the app
      }
    }),
  );
  return buildCatalog([{ group: '', version: 'v1', resources: core.resources }, ...lists.filter((l): l is GroupVersionResources => l !== null)]);
}
