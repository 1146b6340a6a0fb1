// Server-side apply as kubectl users meet it, with kubectl 1.32 and 1.27 against a fresh
// `tug server` on sqlite: `apply --server-side` creates and re-applies, managedFields are shown
// only on request, a scale then an apply conflicts with kubectl's hint and `--force-conflicts`
// wins, dropped fields are removed, dry runs and `diff --server-side` change nothing, a
// client-side apply upgrades to server-side without spurious conflicts, /status takes its own
// apply, updates of tracked objects record their managers, and the API refuses malformed
// apply requests as Kubernetes does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubectlSession } from './session.js';
import { rawRequest, type StatusBody } from '../support/raw-https.js';

interface Entry {
  manager: string;
  operation: string;
  subresource?: string;
  fieldsV1: Record<string, unknown>;
}

const deployment = (o: { name: string; replicas: number; env?: string[]; image?: string }): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${o.name}
  labels: {app: ${o.name}}
spec:
  replicas: ${o.replicas}
  selector: {matchLabels: {app: ${o.name}}}
  template:
    metadata: {labels: {app: ${o.name}}}
    spec:
      containers:
      - name: main
        image: ${o.image ?? 'busybox:1'}
        ports: [{containerPort: 80}]
        env: [${(o.env ?? ['A']).map((n) => `{name: ${n}, value: v${n}}`).join(', ')}]
`;

function serverSideApplySuite(version: string): void {
  describe(`kubectl ${version} apply --server-side against tug server on sqlite`, { timeout: 600_000 }, () => {
    const s = new KubectlSession({ datastore: 'sqlite', kubectlVersion: version });
    before(() => s.start());
    after(() => s.stop());
    // kubectl names itself after its binary (kubectl.1.32) in the User-Agent; Kubernetes makes
    // the default manager from that.
    const uaManager = `kubectl.${version}`;
    const managed = async (what: string[]): Promise<Entry[]> =>
      (JSON.parse(await s.ok(['get', ...what, '-o', 'json', '--show-managed-fields'])) as { metadata: { managedFields?: Entry[] } }).metadata.managedFields ?? [];
    const apply = async (name: string, text: string, extra: string[] = []): Promise<string> => s.ok(['apply', '--server-side', '-f', await s.file(name, text), ...extra]);

    it('creates with apply --server-side and records the kubectl Apply manager, hidden unless asked', async () => {
      const out = await apply('web.yaml', deployment({ name: 'web', replicas: 2, env: ['A', 'B'] }));
      assert.equal(out.trim(), 'deployment.apps/web serverside-applied');
      assert.doesNotMatch(await s.ok(['get', 'deployment', 'web', '-o', 'yaml']), /managedFields/);
      const shown = await s.ok(['get', 'deployment', 'web', '-o', 'yaml', '--show-managed-fields']);
      assert.match(shown, /manager: kubectl\n\s+operation: Apply/);
      assert.match(shown, /fieldsType: FieldsV1/);
      const [e] = await managed(['deployment', 'web']);
      const spec = e!.fieldsV1['f:spec'] as Record<string, Record<string, unknown>>;
      assert.deepEqual(spec['f:replicas'], {});
      const c = JSON.stringify(spec['f:template']);
      assert.match(c, /"k:\{\\"name\\":\\"main\\"\}":\{"\.":\{\}/);
      assert.match(c, /"k:\{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"\}"/);
      assert.match(c, /"k:\{\\"name\\":\\"B\\"\}"/);
    });

    it('re-applying the same file changes nothing', async () => {
      const rv = await s.jsonpath(['deployment', 'web'], '{.metadata.resourceVersion}');
      await apply('web.yaml', deployment({ name: 'web', replicas: 2, env: ['A', 'B'] }));
      assert.equal(await s.jsonpath(['deployment', 'web'], '{.metadata.resourceVersion}'), rv);
    });

    it('conflicts after kubectl scale, with kubectl\'s hint, until --force-conflicts', async () => {
      await s.ok(['scale', 'deployment', 'web', '--replicas=5']);
      const scaler = (await managed(['deployment', 'web'])).find((e) => e.operation === 'Update');
      assert.deepEqual([scaler?.manager, scaler?.subresource, scaler?.fieldsV1], [uaManager, 'scale', { 'f:spec': { 'f:replicas': {} } }]);
      const r = await s.fails(['apply', '--server-side', '-f', `${s.dir}/web.yaml`]);
      assert.match(r.stderr, new RegExp(`Apply failed with 1 conflict: conflict with "kubectl\\.${version.replace('.', '\\.')}" with subresource "scale" using apps/v1: \\.spec\\.replicas`));
      assert.match(r.stderr, /--force-conflicts/);
      assert.equal(await s.jsonpath(['deployment', 'web'], '{.spec.replicas}'), '5');
      await s.ok(['apply', '--server-side', '--force-conflicts', '-f', `${s.dir}/web.yaml`]);
      assert.equal(await s.jsonpath(['deployment', 'web'], '{.spec.replicas}'), '2');
      assert.deepEqual((await managed(['deployment', 'web'])).map((e) => e.manager), ['kubectl'], 'the scaler owned nothing else');
    });

    it('removes what the applier stops applying, and keeps what another manager co-owns', async () => {
      // Another applier co-owns env A with the same value.
      const other = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: main
        env: [{name: A, value: vA}]
`;
      await apply('other.yaml', other, ['--field-manager=team-b']);
      await apply('web.yaml', deployment({ name: 'web', replicas: 2, env: [] }));
      assert.equal(await s.jsonpath(['deployment', 'web'], '{.spec.template.spec.containers[0].env[*].name}'), 'A');
    });

    it('conflicts between appliers name the field by key, and dry runs and diff --server-side change nothing', async () => {
      const r = await s.fails(['apply', '--server-side', '--field-manager=team-b', '-f', await s.file('img.yaml', deployment({ name: 'web', replicas: 2, env: [], image: 'busybox:2' }))]);
      assert.match(r.stderr, /conflict with "kubectl": \.spec\.template\.spec\.containers\[name="main"\]\.image/);
      const dry = await s.ok(['apply', '--server-side', '--dry-run=server', '-f', await s.file('three.yaml', deployment({ name: 'web', replicas: 3, env: [] })), '-o', 'jsonpath={.spec.replicas}']);
      assert.equal(dry, '3');
      const diff = await s.run(['diff', '--server-side', '-f', `${s.dir}/three.yaml`]);
      assert.equal(diff.code, 1, diff.stderr);
      assert.match(diff.stdout, /-  replicas: 2\n\+  replicas: 3/);
      assert.equal(await s.jsonpath(['deployment', 'web'], '{.spec.replicas}'), '2');
    });

    it('upgrades from client-side apply without spurious conflicts', async () => {
      await s.ok(['apply', '-f', await s.file('csa.yaml', deployment({ name: 'csa', replicas: 1 }))]);
      const ssa = await s.ok(['apply', '--server-side', '-f', `${s.dir}/csa.yaml`]);
      assert.equal(ssa.trim(), 'deployment.apps/csa serverside-applied');
      await apply('csa2.yaml', deployment({ name: 'csa', replicas: 3 }));
      assert.equal(await s.jsonpath(['deployment', 'csa'], '{.spec.replicas}'), '3');
      assert.equal(await s.jsonpath(['deployment', 'csa'], '{.spec.template.metadata.labels.app}'), 'csa');
      assert.ok((await managed(['deployment', 'csa'])).some((e) => e.manager === 'kubectl' && e.operation === 'Apply'));
    });

    it('applies to /status with --subresource=status, owned apart from the spec', async () => {
      await apply('ing.yaml', `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
`);
      const status = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site}
status:
  loadBalancer:
    ingress: [{ip: 10.0.0.9}]
`;
      if (version === '1.27') {
        // kubectl 1.27's apply has no --subresource: send what 1.32 sends.
        const target = { url: s.server.url, caCertPem: s.server.caCertPem, token: s.server.token };
        const path = '/apis/networking.k8s.io/v1/namespaces/default/ingresses/site/status?fieldManager=lb';
        const r = await rawRequest(target, { method: 'PATCH', path, body: status, contentType: 'application/apply-patch+yaml' });
        assert.equal(r.status, 200, r.text);
      } else {
        await apply('ing-status.yaml', status, ['--subresource=status', '--field-manager=lb']);
      }
      assert.equal(await s.jsonpath(['ingress', 'site'], '{.status.loadBalancer.ingress[0].ip}'), '10.0.0.9');
      const lb = (await managed(['ingress', 'site'])).find((e) => e.manager === 'lb');
      assert.deepEqual([lb?.operation, lb?.subresource, Object.keys(lb?.fieldsV1 ?? {})], ['Apply', 'status', ['f:status']]);
    });

    it('records Update managers on applied objects only, and [{}] strips managedFields', async () => {
      await s.ok(['label', 'deployment', 'web', 'tier=front']);
      const label = (await managed(['deployment', 'web'])).find((e) => e.manager === 'kubectl-label');
      assert.deepEqual(label?.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:tier': {} } } });
      await s.ok(['create', 'configmap', 'plain', '--from-literal=a=1']);
      await s.ok(['label', 'configmap', 'plain', 'x=y']);
      assert.deepEqual(await managed(['configmap', 'plain']), [], 'objects never applied are not tracked');
      await s.ok(['patch', 'deployment', 'web', '--type=merge', '-p', '{"metadata":{"managedFields":[{}]}}']);
      assert.deepEqual(await managed(['deployment', 'web']), []);
      const bad = await s.fails(['patch', 'configmap', 'plain', '--type=merge', '-p', '{"metadata":{"managedFields":[{"manager":"x","operation":"Delete","fieldsType":"FieldsV1","fieldsV1":{}}]}}']);
      assert.match(bad.stderr, /metadata\.managedFields\[0\]\.operation: Unsupported value: "Delete"/);
    });

    it('refuses apply requests without fieldManager (422) or of the wrong kind or name (400)', async () => {
      const target = { url: s.server.url, caCertPem: s.server.caCertPem, token: s.server.token };
      const path = '/api/v1/namespaces/default/configmaps/applied';
      const body = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied}\ndata: {k: v}\n';
      const noManager = await rawRequest(target, { method: 'PATCH', path, body, contentType: 'application/apply-patch+yaml' });
      assert.equal(noManager.status, 422);
      assert.equal((noManager.json as StatusBody).message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
      const wrongKind = await rawRequest(target, { method: 'PATCH', path: `${path}?fieldManager=t`, body: body.replace('ConfigMap', 'Secret'), contentType: 'application/apply-patch+yaml' });
      assert.equal(wrongKind.status, 400);
      const wrongName = await rawRequest(target, { method: 'PATCH', path: `${path}?fieldManager=t`, body: body.replace('name: applied', 'name: other'), contentType: 'application/apply-patch+yaml' });
      assert.equal(wrongName.status, 400);
      const json = await rawRequest(target, { method: 'PATCH', path: `${path}?fieldManager=t`, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { k: 'v' } }, contentType: 'application/apply-patch+yaml' });
      assert.equal(json.status, 200, json.text);
      const forceOnMerge = await rawRequest(target, { method: 'PATCH', path: `${path}?force=true`, body: {}, contentType: 'application/merge-patch+json' });
      assert.equal(forceOnMerge.status, 422);
    });
  });
}

serverSideApplySuite('1.32');
serverSideApplySuite('1.27');
