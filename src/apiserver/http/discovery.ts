// API discovery documents, built once from the kinds list: /api (APIVersions), /apis
// (APIGroupList), /apis/<group> (APIGroup) and /api/v1 or /apis/<group>/<version>
// (APIResourceList with verbs, short names, categories and subresources). kubectl reads these to
// map `deploy` to apps/v1 deployments and to know that `all` means pods, services, deployments...
// Served as plain JSON: clients asking for aggregated discovery fall back to these documents.
import { createHash } from 'node:crypto';
import type { KindDef } from '../../api/kind.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

const hash = (s: string): string => createHash('sha256').update(s).digest('base64').slice(0, 11);

function resourcesOf(kinds: KindDef[]): ApiResource[] {
  const out: ApiResource[] = [];
  for (const k of kinds) {
    out.push({
      name: k.plural,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: VERBS,
      ...(k.shortNames.length ? { shortNames: k.shortNames } : {}),
      ...(k.categories.length ? { categories: k.categories } : {}),
      storageVersionHash: hash(`${k.apiVersion}/${k.kind}`),
    });
    if (k.status) out.push({ name: `${k.plural}/status`, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: ['get', 'patch', 'update'] });
    if (k.scale)
      out.push({ name: `${k.plural}/scale`, singularName: '', namespaced: k.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    if (k.group === '' && k.plural === 'pods') {
      out.push({ name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] });
      // Streaming subresources, served by apiserver/proxy through the node's agent.
      out.push({ name: 'pods/attach', singularName: '', namespaced: true, kind: 'PodAttachOptions', verbs: ['create', 'get'] });
      out.push({ name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] });
      out.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
      out.push({ name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] });
    }
    if (k.group === '' && k.plural === 'namespaces')
      out.push({ name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] });
    if (k.group === '' && k.plural === 'serviceaccounts')
      out.push({ name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const review = (name: string, kind: string): ApiResource => ({ name, singularName: name.slice(0, -1), namespaced: false, kind, verbs: ['create'] });

/** Group versions served without storage (create-only reviews, auth/serviceaccount), so not in the kinds list. */
const UNSTORED: { group: string; version: string; resources: ApiResource[] }[] = [
  { group: 'authentication.k8s.io', version: 'v1', resources: [review('selfsubjectreviews', 'SelfSubjectReview'), review('tokenreviews', 'TokenReview')] },
  // kubectl 1.27's `auth whoami` only knows v1beta1.
  { group: 'authentication.k8s.io', version: 'v1beta1', resources: [review('selfsubjectreviews', 'SelfSubjectReview')] },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    resources: [
      { ...review('localsubjectaccessreviews', 'LocalSubjectAccessReview'), namespaced: true },
      review('selfsubjectaccessreviews', 'SelfSubjectAccessReview'),
      review('selfsubjectrulesreviews', 'SelfSubjectRulesReview'),
      review('subjectaccessreviews', 'SubjectAccessReview'),
    ],
  },
];

export class Discovery {
  readonly apiVersions: string;
  readonly groupList: string;
  private readonly groups = new Map<string, string>();
  private readonly resourceLists = new Map<string, string>();

  constructor(kinds: readonly KindDef[], serverAddress: () => string) {
    const byGv = new Map<string, KindDef[]>();
    for (const k of kinds) byGv.set(k.apiVersion, [...(byGv.get(k.apiVersion) ?? []), k]);
    for (const [gv, ks] of byGv) {
      this.resourceLists.set(gv, JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: resourcesOf(ks) }));
    }
    for (const u of UNSTORED)
      this.resourceLists.set(`${u.group}/${u.version}`, JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${u.group}/${u.version}`, resources: u.resources }));
    this.apiVersions = JSON.stringify({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: serverAddress() }],
    });
    const groupNames = [...new Set([...kinds.filter((k) => k.group !== '').map((k) => k.group), ...UNSTORED.map((u) => u.group)])];
    const groupDocs = groupNames.map((g) => {
      const served = [...kinds.filter((k) => k.group === g).map((k) => k.version), ...UNSTORED.filter((u) => u.group === g).map((u) => u.version)];
      const versions = [...new Set(served)].map((v) => ({ groupVersion: `${g}/${v}`, version: v }));
      return { name: g, versions, preferredVersion: versions[0] };
    });
    for (const g of groupDocs) this.groups.set(g.name, JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', ...g }));
    this.groupList = JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: groupDocs });
  }

  group(name: string): string | undefined {
    return this.groups.get(name);
  }

  resources(groupVersion: string): string | undefined {
    return this.resourceLists.get(groupVersion);
  }
}
