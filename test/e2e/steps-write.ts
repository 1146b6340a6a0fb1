// Scenario steps, part 3: changing objects the ways kubectl offers — `label`, `annotate`,
// `patch` with all three patch types, `scale`, `edit` through a scripted EDITOR, `replace`
// (fresh, and stale for a Conflict), `diff` (a server-side dry run that must not write), and the
// `create configmap` / `create secret generic` generators.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { allKindsManifest, NS } from './manifests.js';
import { lines, row, table, type KubectlSession } from './session.js';

const MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export function writeSteps(k: KubectlSession): void {
  const deploy = ['deployment', 'web', '-n', NS];
  const cm = ['configmap', 'app-config', '-n', NS];

  it('label adds, refuses to overwrite without --overwrite, overwrites and removes labels', async () => {
    assert.equal((await k.ok(['label', ...deploy, 'env=prod'])).trim(), 'deployment.apps/web labeled');
    assert.deepEqual(lines(await k.ok(['get', 'deploy', '-n', NS, '-l', 'env=prod', '-o', 'name'])), ['deployment.apps/web']);
    const refused = await k.fails(['label', ...deploy, 'env=staging']);
    assert.match(refused.stderr, /'env' already has a value \(prod\), and --overwrite is false/);
    await k.ok(['label', ...deploy, 'env=staging', '--overwrite']);
    assert.equal(await k.jsonpath(deploy, '{.metadata.labels.env}'), 'staging');
    assert.equal((await k.ok(['label', ...deploy, 'env-'])).trim(), 'deployment.apps/web unlabeled');
    assert.equal(await k.jsonpath(deploy, '{.metadata.labels}'), '{"app":"web"}');
    const many = lines(await k.ok(['label', 'configmaps', '-n', NS, '-l', 'tier', 'audited=yes'])).sort();
    assert.deepEqual(many, ['configmap/app-config labeled', 'configmap/other-config labeled']);
  });

  it('annotate adds and removes annotations', async () => {
    // kubectl 1.27 itself prints `annotate` (fixed in later versions); the server is not involved.
    assert.match((await k.ok(['annotate', ...cm, 'owner=alice'])).trim(), /^configmap\/app-config annotated?$/);
    assert.equal(await k.jsonpath(cm, '{.metadata.annotations.owner}'), 'alice');
    await k.ok(['annotate', ...cm, 'owner-']);
    assert.equal(await k.jsonpath(cm, '{.metadata.annotations.owner}'), '');
  });

  it('patch applies strategic merge, JSON merge and JSON patches', async () => {
    const strategic = { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'MODE', value: 'fast' }] }] } } } };
    assert.equal((await k.ok(['patch', ...deploy, '-p', JSON.stringify(strategic)])).trim(), 'deployment.apps/web patched');
    // Strategic merge merges the containers list by name: the image survives, env is added.
    assert.equal(await k.jsonpath(deploy, '{.spec.template.spec.containers[*].name}'), 'web');
    assert.equal(await k.jsonpath(deploy, '{.spec.template.spec.containers[0].image}'), 'nginx:1.26');
    assert.equal(await k.jsonpath(deploy, '{.spec.template.spec.containers[0].env[0].value}'), 'fast');
    assert.equal(await k.jsonpath(deploy, '{.metadata.generation}'), '3');

    assert.equal((await k.ok(['patch', ...deploy, '-p', JSON.stringify(strategic)])).trim(), 'deployment.apps/web patched (no change)');

    assert.equal((await k.ok(['patch', ...cm, '--type', 'merge', '-p', '{"data":{"extra":"x"}}'])).trim(), 'configmap/app-config patched');
    assert.equal(await k.jsonpath(cm, '{.data}'), '{"extra":"x","mode":"green"}');
    await k.ok(['patch', ...cm, '--type', 'merge', '-p', '{"data":{"extra":null}}']);
    assert.equal(await k.jsonpath(cm, '{.data}'), '{"mode":"green"}');

    const ops = [
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels/patched', value: 'json' },
    ];
    assert.equal((await k.ok(['patch', ...deploy, '--type', 'json', '-p', JSON.stringify(ops)])).trim(), 'deployment.apps/web patched');
    assert.equal(await k.jsonpath(deploy, '{.spec.replicas}'), '3');
    assert.equal(await k.jsonpath(deploy, '{.metadata.labels.patched}'), 'json');

    const failedTest = await k.fails(['patch', ...deploy, '--type', 'json', '-p', '[{"op":"test","path":"/spec/replicas","value":99}]']);
    assert.match(failedTest.stderr, /Error from server|The request is invalid/);
    const invalid = await k.fails(['patch', ...deploy, '--type', 'merge', '-p', '{"spec":{"replicas":-5}}']);
    assert.match(invalid.stderr, /spec\.replicas/);
    assert.equal(await k.jsonpath(deploy, '{.spec.replicas}'), '3');
  });

  it('scale changes replicas through the scale subresource and honours --current-replicas', async () => {
    assert.equal((await k.ok(['scale', 'deployment', 'web', '-n', NS, '--replicas=4'])).trim(), 'deployment.apps/web scaled');
    assert.equal(await k.jsonpath(deploy, '{.spec.replicas}'), '4');
    assert.equal((await k.ok(['scale', 'statefulset', 'db', '-n', NS, '--replicas=2'])).trim(), 'statefulset.apps/db scaled');
    assert.equal(await k.jsonpath(['statefulset', 'db', '-n', NS], '{.spec.replicas}'), '2');
    assert.equal((await k.ok(['scale', 'replicaset', 'cache', '-n', NS, '--replicas=1'])).trim(), 'replicaset.apps/cache scaled');
    const stale = await k.fails(['scale', 'deployment', 'web', '-n', NS, '--current-replicas=1', '--replicas=5']);
    assert.match(stale.stderr, /Expected replicas to be 1, was 4/);
    assert.equal(await k.jsonpath(deploy, '{.spec.replicas}'), '4');
  });

  it('edit saves what a scripted EDITOR changed', async () => {
    const editor = await k.file('editor.sh', "#!/bin/sh\nsed -i 's/^  replicas: 4$/  replicas: 2/' \"$1\"\n", 0o755);
    const out = await k.ok(['edit', ...deploy], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    assert.equal(out.trim(), 'deployment.apps/web edited');
    assert.equal(await k.jsonpath(deploy, '{.spec.replicas}'), '2');
    const untouched = await k.run(['edit', ...deploy], { env: { EDITOR: '/bin/true', KUBE_EDITOR: '/bin/true' } });
    assert.equal(untouched.code, 0, untouched.stderr);
    assert.match(untouched.stdout + untouched.stderr, /Edit cancelled, no changes made\./);
  });

  it('replace with a stale resourceVersion fails with a Conflict; a fresh one succeeds', async () => {
    const stale = await k.ok(['get', ...cm, '-o', 'yaml']);
    await k.ok(['annotate', ...cm, 'bump=1']);
    const file = await k.file('stale.yaml', stale.replace('mode: green', 'mode: purple'));
    const r = await k.fails(['replace', '-f', file]);
    assert.match(r.stderr, /Operation cannot be fulfilled on configmaps "app-config"/);
    assert.ok(r.stderr.includes(MODIFIED), r.stderr);
    assert.equal(await k.jsonpath(cm, '{.data.mode}'), 'green');

    const fresh = await k.ok(['get', ...cm, '-o', 'yaml']);
    const ok = await k.file('fresh.yaml', fresh.replace('mode: green', 'mode: purple'));
    assert.equal((await k.ok(['replace', '-f', ok])).trim(), 'configmap/app-config replaced');
    assert.equal(await k.jsonpath(cm, '{.data.mode}'), 'purple');
  });

  it('diff shows the changed line, exits 1, and writes nothing', async () => {
    const rvBefore = await k.jsonpath(deploy, '{.metadata.resourceVersion}');
    const file = await k.file('diff.yaml', allKindsManifest({ changed: true, deploymentImage: 'nginx:1.27' }));
    const r = await k.run(['diff', '-f', file]);
    assert.equal(r.code, 1, `diff should exit 1 when there are differences:\n${r.stderr}${r.stdout}`);
    assert.match(r.stdout, /^-\s+image: nginx:1\.26$/m);
    assert.match(r.stdout, /^\+\s+image: nginx:1\.27$/m);
    assert.equal(await k.jsonpath(deploy, '{.spec.template.spec.containers[0].image}'), 'nginx:1.26');
    assert.equal(await k.jsonpath(deploy, '{.metadata.resourceVersion}'), rvBefore);

    const docs = allKindsManifest({ changed: true }).split('\n---\n');
    const ingressClass = docs.find((d) => d.includes('kind: IngressClass'));
    assert.ok(ingressClass);
    const same = await k.run(['diff', '-f', await k.file('same.yaml', ingressClass)]);
    assert.equal(same.code, 0, `diff of an unchanged object should exit 0:\n${same.stderr}${same.stdout}`);
    assert.equal(same.stdout, '');
  });

  it('create configmap --from-literal builds the data map', async () => {
    const out = await k.ok(['create', 'configmap', 'lit', '-n', NS, '--from-literal=a=1', '--from-literal=b=two words']);
    assert.equal(out.trim(), 'configmap/lit created');
    assert.equal(await k.jsonpath(['configmap', 'lit', '-n', NS], '{.data.a}/{.data.b}'), '1/two words');
    const again = await k.fails(['create', 'configmap', 'lit', '-n', NS, '--from-literal=a=1']);
    assert.match(again.stderr, /configmaps "lit" already exists/);
    const dry = await k.ok(['create', 'configmap', 'dry', '-n', NS, '--from-literal=a=1', '--dry-run=server']);
    assert.equal(dry.trim(), 'configmap/dry created (server dry run)');
    const missing = await k.fails(['get', 'configmap', 'dry', '-n', NS]);
    assert.match(missing.stderr, /configmaps "dry" not found/);
  });

  it('create secret generic stores base64 data of type Opaque', async () => {
    const out = await k.ok(['create', 'secret', 'generic', 'creds', '-n', NS, '--from-literal=user=admin', '--from-literal=pass=s3cr3t']);
    assert.equal(out.trim(), 'secret/creds created');
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    assert.equal(await k.jsonpath(['secret', 'creds', '-n', NS], '{.type} {.data.user} {.data.pass}'), `Opaque ${b64('admin')} ${b64('s3cr3t')}`);
    const t = table(await k.ok(['get', 'secrets', '-n', NS]));
    assert.deepEqual(row(t, 'creds').slice(0, 3), ['creds', 'Opaque', '2']);
  });
}
