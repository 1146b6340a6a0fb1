// Scenario steps, part 1: what kubectl discovers (`api-resources`) and `apply -f` of one
// multi-document file holding every kind: each object `created`, then after a change only the
// changed ones `configured` and the rest `unchanged`, then everything `unchanged`.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { allKindsManifest, CHANGED, NS, OBJECTS } from './manifests.js';
import { lines, type KubectlSession } from './session.js';

interface ApiResource {
  name: string;
  shortName?: string;
  apiVersion: string;
  namespaced: boolean;
  kind: string;
}

const API_RESOURCES: readonly ApiResource[] = [
  { name: 'namespaces', shortName: 'ns', apiVersion: 'v1', namespaced: false, kind: 'Namespace' },
  { name: 'pods', shortName: 'po', apiVersion: 'v1', namespaced: true, kind: 'Pod' },
  { name: 'services', shortName: 'svc', apiVersion: 'v1', namespaced: true, kind: 'Service' },
  { name: 'endpoints', shortName: 'ep', apiVersion: 'v1', namespaced: true, kind: 'Endpoints' },
  { name: 'configmaps', shortName: 'cm', apiVersion: 'v1', namespaced: true, kind: 'ConfigMap' },
  { name: 'secrets', apiVersion: 'v1', namespaced: true, kind: 'Secret' },
  { name: 'nodes', shortName: 'no', apiVersion: 'v1', namespaced: false, kind: 'Node' },
  { name: 'events', shortName: 'ev', apiVersion: 'v1', namespaced: true, kind: 'Event' },
  { name: 'serviceaccounts', shortName: 'sa', apiVersion: 'v1', namespaced: true, kind: 'ServiceAccount' },
  { name: 'persistentvolumes', shortName: 'pv', apiVersion: 'v1', namespaced: false, kind: 'PersistentVolume' },
  { name: 'persistentvolumeclaims', shortName: 'pvc', apiVersion: 'v1', namespaced: true, kind: 'PersistentVolumeClaim' },
  { name: 'deployments', shortName: 'deploy', apiVersion: 'apps/v1', namespaced: true, kind: 'Deployment' },
  { name: 'replicasets', shortName: 'rs', apiVersion: 'apps/v1', namespaced: true, kind: 'ReplicaSet' },
  { name: 'statefulsets', shortName: 'sts', apiVersion: 'apps/v1', namespaced: true, kind: 'StatefulSet' },
  { name: 'daemonsets', shortName: 'ds', apiVersion: 'apps/v1', namespaced: true, kind: 'DaemonSet' },
  { name: 'controllerrevisions', apiVersion: 'apps/v1', namespaced: true, kind: 'ControllerRevision' },
  { name: 'jobs', apiVersion: 'batch/v1', namespaced: true, kind: 'Job' },
  { name: 'cronjobs', shortName: 'cj', apiVersion: 'batch/v1', namespaced: true, kind: 'CronJob' },
  { name: 'ingresses', shortName: 'ing', apiVersion: 'networking.k8s.io/v1', namespaced: true, kind: 'Ingress' },
  { name: 'ingressclasses', apiVersion: 'networking.k8s.io/v1', namespaced: false, kind: 'IngressClass' },
  { name: 'endpointslices', apiVersion: 'discovery.k8s.io/v1', namespaced: true, kind: 'EndpointSlice' },
  { name: 'leases', apiVersion: 'coordination.k8s.io/v1', namespaced: true, kind: 'Lease' },
  { name: 'storageclasses', shortName: 'sc', apiVersion: 'storage.k8s.io/v1', namespaced: false, kind: 'StorageClass' },
];

const ref = (o: { resource: string; name: string }): string => `${o.resource}/${o.name}`;

/** Asserts apply printed exactly one `<ref> <verb>` line per object and nothing else. */
function assertApplyOutput(out: string, verbOf: (ref: string) => string): void {
  const printed = lines(out).sort();
  const expected = OBJECTS.map((o) => `${ref(o)} ${verbOf(ref(o))}`).sort();
  assert.deepEqual(printed, expected);
}

export function applySteps(k: KubectlSession): void {
  it('api-resources lists every kind with its short names, version, scope and kind', async () => {
    const out = await k.ok(['api-resources']);
    const rows = lines(out)
      .slice(1)
      .map((l) => l.trim().split(/\s+/));
    for (const want of API_RESOURCES) {
      const r = rows.find((cells) => cells[0] === want.name && cells.at(-1) === want.kind);
      assert.ok(r, `api-resources has no row for ${want.name}:\n${out}`);
      assert.ok(r.includes(want.apiVersion), `${want.name}: apiVersion ${want.apiVersion} missing in ${r.join(' ')}`);
      assert.ok(r.includes(String(want.namespaced)), `${want.name}: namespaced ${want.namespaced} missing in ${r.join(' ')}`);
      if (want.shortName) assert.ok((r[1] ?? '').split(',').includes(want.shortName), `${want.name}: short name ${want.shortName} missing in ${r.join(' ')}`);
    }
    const apps = lines(await k.ok(['api-resources', '--api-group=apps', '-o', 'name']));
    for (const name of ['deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps', 'controllerrevisions.apps'])
      assert.ok(apps.includes(name), `--api-group=apps lacks ${name}: ${apps.join(' ')}`);
    const cluster = lines(await k.ok(['api-resources', '--namespaced=false', '-o', 'name']));
    assert.ok(cluster.includes('nodes') && cluster.includes('storageclasses.storage.k8s.io'), cluster.join(' '));
    assert.ok(!cluster.includes('pods'), 'pods listed as cluster-scoped');
  });

  it('apply -f creates every kind from one multi-document file', async () => {
    const file = await k.file('all.yaml', allKindsManifest({ changed: false }));
    assertApplyOutput(await k.ok(['apply', '-f', file]), () => 'created');
  });

  it('every applied object can be read back by kind, in tables and by name', async () => {
    const resources = [...new Set(OBJECTS.map((o) => o.resource))];
    const names = lines(await k.ok(['get', resources.join(','), '-n', NS, '-o', 'name']));
    for (const o of OBJECTS) assert.ok(names.includes(ref(o)), `get -o name lacks ${ref(o)}:\n${names.join('\n')}`);
    // Default output: one server-side table per kind, each row prefixed with its kind. Events
    // have no NAME column, so they are checked by name above only.
    const tables = await k.ok(['get', resources.filter((r) => r !== 'event').join(','), '-n', NS]);
    const starts = new Set(lines(tables).map((l) => l.split(/\s+/)[0]));
    for (const o of OBJECTS.filter((x) => x.resource !== 'event')) assert.ok(starts.has(ref(o)), `table output lacks ${ref(o)}:\n${tables}`);
  });

  it('apply -f after a change reports configured for changed objects and unchanged for the rest', async () => {
    const file = await k.file('all-changed.yaml', allKindsManifest({ changed: true }));
    assertApplyOutput(await k.ok(['apply', '-f', file]), (r) => (CHANGED.has(r) ? 'configured' : 'unchanged'));
    assert.equal(await k.jsonpath(['deployment', 'web', '-n', NS], '{.spec.template.spec.containers[0].image}'), 'nginx:1.26');
    assert.equal(await k.jsonpath(['deployment', 'web', '-n', NS], '{.metadata.generation}'), '2');
    assert.equal(await k.jsonpath(['configmap', 'app-config', '-n', NS], '{.data.mode}'), 'green');
  });

  it('apply -f of the same file again reports every object unchanged', async () => {
    const file = await k.file('all-changed.yaml', allKindsManifest({ changed: true }));
    assertApplyOutput(await k.ok(['apply', '-f', file]), () => 'unchanged');
    assert.equal(await k.jsonpath(['deployment', 'web', '-n', NS], '{.metadata.generation}'), '2');
  });
}
