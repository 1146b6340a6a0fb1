// Scenario steps, part 4: invalid manifests rejected with the field named (and the server still
// answering afterwards), `delete -f`, graceful pod deletion followed by `wait --for=delete`, and
// `delete ns`, which must empty the namespace before the namespace itself goes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { EXTRA_MANIFEST, NS, OBJECTS } from './manifests.js';
import { INVALID_MANIFESTS } from './invalid-manifests.js';
import { lines, row, table, type KubectlSession } from './session.js';

export function deleteSteps(k: KubectlSession): void {
  it('invalid manifests fail with the offending field named, and nothing is stored', async () => {
    const problems: string[] = [];
    for (const m of INVALID_MANIFESTS) {
      const r = await k.run([m.verb, '-f', '-'], { stdin: m.yaml });
      if (r.code === 0) {
        problems.push(`${m.title}: kubectl ${m.verb} succeeded: ${r.stdout.trim()}`);
      } else {
        for (const re of m.expect) if (!re.test(r.stderr)) problems.push(`${m.title}: stderr does not match ${re}: ${r.stderr.trim()}`);
      }
      if (m.absent) {
        const g = await k.run(['get', ...m.absent, '-o', 'name']);
        if (g.code === 0) problems.push(`${m.title}: the object was stored anyway`);
      }
    }
    assert.deepEqual(problems, []);
    // The server keeps answering after all those rejections.
    assert.equal((await k.ok(['get', 'namespace', NS, '-o', 'name'])).trim(), `namespace/${NS}`);
  });

  it('delete -f removes what the file lists', async () => {
    const file = await k.file('extra.yaml', EXTRA_MANIFEST);
    assert.deepEqual(lines(await k.ok(['apply', '-f', file])).sort(), ['configmap/extra created', 'deployment.apps/extra created', 'service/extra created']);
    const out = lines(await k.ok(['delete', '-f', file])).sort();
    assert.deepEqual(out, ['configmap "extra" deleted', 'deployment.apps "extra" deleted', 'service "extra" deleted']);
    for (const [res, plural] of [['configmap', 'configmaps'], ['deployment', 'deployments.apps'], ['service', 'services']] as const) {
      const r = await k.fails(['get', res, 'extra', '-n', NS]);
      assert.match(r.stderr, new RegExp(`Error from server \\(NotFound\\): ${plural.replace('.', '\\.')} "extra" not found`));
    }
    const again = await k.fails(['delete', '-f', file]);
    assert.match(again.stderr, /\(NotFound\)/);
    const ignored = await k.ok(['delete', '-f', file, '--ignore-not-found']);
    assert.equal(ignored.trim(), '');
  });

  it('a gracefully deleted pod shows Terminating and wait --for=delete returns once it is gone', async () => {
    // A node name with no Node behind it: deletion is graceful, and finishes when the grace
    // period runs out (there is no kubelet to confirm).
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: doomed\n  namespace: ${NS}\nspec:\n  nodeName: ghost-node\n  containers:\n  - name: c\n    image: busybox:1.36\n`;
    assert.equal((await k.ok(['apply', '-f', '-'], { stdin: pod })).trim(), 'pod/doomed created');
    assert.equal((await k.ok(['delete', 'pod', 'doomed', '-n', NS, '--grace-period=4', '--wait=false'])).trim(), 'pod "doomed" deleted');
    assert.notEqual(await k.jsonpath(['pod', 'doomed', '-n', NS], '{.metadata.deletionTimestamp}'), '');
    assert.equal(row(table(await k.ok(['get', 'pods', '-n', NS])), 'doomed')[2], 'Terminating');
    const waited = await k.ok(['wait', '--for=delete', 'pod/doomed', '-n', NS, '--timeout=60s']);
    assert.match(waited, /pod\/doomed condition met/);
    const gone = await k.fails(['get', 'pod', 'doomed', '-n', NS]);
    assert.match(gone.stderr, /pods "doomed" not found/);
    // A pod never scheduled goes at once.
    assert.equal((await k.ok(['delete', 'pod', 'solo', '-n', NS])).trim(), 'pod "solo" deleted');
    await k.fails(['get', 'pod', 'solo', '-n', NS]);
  });

  it('delete ns empties the namespace, then removes it; cluster-scoped objects stay', async () => {
    const before = lines(await k.ok(['get', 'configmaps,secrets,deployments,services', '-n', NS, '-o', 'name']));
    assert.ok(before.includes('configmap/app-config') && before.includes('deployment.apps/web'), before.join(' '));
    assert.equal((await k.ok(['delete', 'namespace', NS, '--wait=false'])).trim(), `namespace "${NS}" deleted`);
    const waited = await k.ok(['wait', '--for=delete', `namespace/${NS}`, '--timeout=90s'], { timeoutMs: 120_000 });
    // kubectl prints nothing when the namespace is already gone by the time it looks, which the
    // namespace controller can manage on a fast datastore; otherwise it waits and says so.
    if (waited.trim() !== '') assert.match(waited, new RegExp(`namespace/${NS} condition met`));
    const gone = await k.fails(['get', 'namespace', NS]);
    assert.match(gone.stderr, new RegExp(`namespaces "${NS}" not found`));
    const namespaced = [...new Set(OBJECTS.filter((o) => o.namespaced).map((o) => o.resource))].join(',');
    const left = await k.run(['get', namespaced, '-n', NS, '-o', 'name']);
    assert.equal(left.code, 0, left.stderr);
    assert.equal(left.stdout.trim(), '', `objects left in the deleted namespace:\n${left.stdout}`);
    const everywhere = await k.ok(['get', namespaced, '-A', '-o', 'custom-columns=NS:.metadata.namespace', '--no-headers']);
    assert.ok(!lines(everywhere).includes(NS), 'an object of the deleted namespace is still listed with -A');
    const cluster = lines(await k.ok(['get', 'node/e2e-node-1', 'pv/pv-e2e', 'storageclass/manual', 'ingressclass/e2e', '-o', 'name']));
    assert.equal(cluster.length, 4, cluster.join(' '));
    const late = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n  namespace: ${NS}\n`;
    const create = await k.fails(['apply', '-f', '-'], { stdin: late });
    assert.match(create.stderr, new RegExp(`namespaces "${NS}" not found`));
  });
}
