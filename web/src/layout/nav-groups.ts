// How the sidebar groups resources: the usual kinds under familiar headings in a fixed order,
// then whatever else discovery reports (custom or newer kinds) under "Other".
import type { ResourceInfo } from '../api/discovery.ts';

const SECTIONS: [string, string[]][] = [
  ['Workloads', ['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'horizontalpodautoscalers', 'poddisruptionbudgets']],
  ['Network', ['services', 'endpointslices', 'endpoints', 'ingresses', 'ingressclasses', 'networkpolicies']],
  ['Config & storage', ['configmaps', 'secrets', 'persistentvolumeclaims', 'persistentvolumes', 'storageclasses', 'csidrivers', 'csinodes', 'volumeattachments']],
  ['Cluster', ['nodes', 'namespaces', 'events', 'leases', 'serviceaccounts', 'limitranges', 'resourcequotas', 'priorityclasses', 'runtimeclasses']],
  ['Access control', ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']],
];

export interface NavSection {
  title: string;
  items: ResourceInfo[];
}

export function navSections(catalog: readonly ResourceInfo[]): NavSection[] {
  const used = new Set<ResourceInfo>();
  const out: NavSection[] = [];
  for (const [title, plurals] of SECTIONS) {
    const items: ResourceInfo[] = [];
    for (const p of plurals) {
      // the first (preferred) group serving this plural, e.g. core events over events.k8s.io
      const r = catalog.find((c) => c.plural === p && !used.has(c));
      if (r) {
        items.push(r);
        used.add(r);
      }
    }
    if (items.length) out.push({ title, items });
  }
  const rest = catalog.filter((c) => !used.has(c) && c.verbs.includes('watch'));
  if (rest.length) out.push({ title: 'Other', items: rest });
  return out;
}

/** "deployments" → "Deployments"; "events.events.k8s.io" keeps its group visible. */
export function navLabel(r: ResourceInfo): string {
  const words = r.kind.replace(/([a-z])([A-Z])/g, '$1 $2');
  const plural = words.endsWith('ss') ? `${words}es` : words.endsWith('s') ? words : /[^aeiou]y$/.test(words) ? `${words.slice(0, -1)}ies` : `${words}s`;
  return r.token.includes('.') ? `${plural} (${r.group})` : plural;
}
