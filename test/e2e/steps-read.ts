// Scenario steps, part 2: reading. `get` in every output a user reaches for (default table,
// `-o wide`, `-o yaml`, `-o jsonpath`), with label and field selectors and across namespaces;
// `describe` of a few kinds; and `explain`, which kubectl builds from the server's OpenAPI.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { DeploymentStrategy } from '../../src/api/apps/v1/deployment.js';
import { NS } from './manifests.js';
import { lines, row, table, type KubectlSession } from './session.js';

interface DeploymentYaml {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; generation: number; annotations?: Record<string, string> };
  spec: {
    replicas: number;
    revisionHistoryLimit: number;
    progressDeadlineSeconds: number;
    strategy: { type: string; rollingUpdate: { maxSurge: string; maxUnavailable: string } };
    template: { spec: { restartPolicy: string; dnsPolicy: string; containers: { image: string; imagePullPolicy: string; terminationMessagePath: string }[] } };
  };
}

const squash = (s: string): string => s.replace(/\s+/g, ' ');

export function readSteps(k: KubectlSession): void {
  it('get prints the default table columns', async () => {
    const deploy = table(await k.ok(['get', 'deployments', '-n', NS]));
    assert.deepEqual(deploy.header, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    // No kubelet runs here, so nothing is ready or available; UP-TO-DATE depends on whether a
    // deployment controller has made a ReplicaSet yet.
    const web = row(deploy, 'web');
    assert.deepEqual([web[0], web[1], web[3]], ['web', '0/1', '0']);
    assert.match(web[2] ?? '', /^[01]$/);
    const pods = table(await k.ok(['get', 'pods', '-n', NS]));
    assert.deepEqual(pods.header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(row(pods, 'solo').slice(0, 4), ['solo', '0/1', 'Pending', '0']);
    const svc = table(await k.ok(['get', 'services', '-n', NS]));
    assert.deepEqual(svc.header, ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    const svcWeb = row(svc, 'web');
    assert.equal(svcWeb[1], 'ClusterIP');
    assert.match(svcWeb[2] ?? '', /^10\.43\.\d+\.\d+$/);
    assert.equal(svcWeb[4], '80/TCP');
    const cm = table(await k.ok(['get', 'configmaps', '-n', NS]));
    assert.deepEqual(cm.header, ['NAME', 'DATA', 'AGE']);
    assert.equal(row(cm, 'app-config')[1], '1');
    const secrets = table(await k.ok(['get', 'secrets', '-n', NS]));
    assert.deepEqual(row(secrets, 'app-secret').slice(0, 3), ['app-secret', 'Opaque', '1']);
    const pv = table(await k.ok(['get', 'pv']));
    assert.deepEqual(row(pv, 'pv-e2e').slice(0, 4), ['pv-e2e', '1Gi', 'RWO', 'Retain']);
  });

  it('get -o wide adds the wide columns', async () => {
    const deploy = table(await k.ok(['get', 'deployments', '-n', NS, '-o', 'wide']));
    assert.deepEqual(deploy.header.slice(-3), ['CONTAINERS', 'IMAGES', 'SELECTOR']);
    assert.deepEqual(row(deploy, 'web').slice(-3), ['web', 'nginx:1.26', 'app=web']);
    const pods = table(await k.ok(['get', 'pods', '-n', NS, '-o', 'wide']));
    for (const col of ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']) assert.ok(pods.header.includes(col), `pods -o wide lacks ${col}: ${pods.header.join('|')}`);
    const svc = table(await k.ok(['get', 'services', '-n', NS, '-o', 'wide']));
    assert.equal(svc.header.at(-1), 'SELECTOR');
    assert.equal(row(svc, 'web').at(-1), 'app=web');
  });

  it('get -o yaml shows the stored object with server defaults', async () => {
    const d = parseYaml(await k.ok(['get', 'deployment', 'web', '-n', NS, '-o', 'yaml'])) as DeploymentYaml;
    assert.equal(d.apiVersion, 'apps/v1');
    assert.equal(d.kind, 'Deployment');
    assert.equal(d.metadata.name, 'web');
    assert.equal(d.metadata.namespace, NS);
    assert.match(d.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(d.metadata.resourceVersion, /^\d+$/);
    assert.equal(d.metadata.generation, 2);
    assert.ok(d.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], 'no last-applied-configuration annotation');
    assert.equal(d.spec.strategy.type, 'RollingUpdate');
    assert.deepEqual(d.spec.strategy.rollingUpdate, { maxSurge: '25%', maxUnavailable: '25%' });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    const c = d.spec.template.spec.containers[0];
    assert.equal(c?.image, 'nginx:1.26');
    assert.equal(c?.imagePullPolicy, 'IfNotPresent');
    assert.equal(c?.terminationMessagePath, '/dev/termination-log');
    assert.equal(d.spec.template.spec.restartPolicy, 'Always');
    assert.equal(d.spec.template.spec.dnsPolicy, 'ClusterFirst');
    const list = parseYaml(await k.ok(['get', 'configmaps', '-n', NS, '-o', 'yaml'])) as { kind: string; items: { metadata: { name: string } }[] };
    assert.equal(list.kind, 'List');
    assert.ok(list.items.some((i) => i.metadata.name === 'app-config'));
  });

  it('get -o jsonpath extracts values', async () => {
    assert.equal(await k.jsonpath(['deployment', 'web', '-n', NS], '{.spec.replicas}'), '1');
    assert.equal(await k.jsonpath(['secret', 'app-secret', '-n', NS], '{.data.password}'), Buffer.from('hunter2').toString('base64'));
    assert.equal(await k.jsonpath(['service', 'web', '-n', NS], '{.spec.ports[0].targetPort}'), '8080');
    assert.equal(await k.jsonpath(['pod', 'solo', '-n', NS], '{.status.phase}'), 'Pending');
    const modes = await k.jsonpath(['configmaps', '-n', NS, '-l', 'tier'], '{range .items[*]}{.metadata.name}={.metadata.labels.tier};{end}');
    assert.equal(modes, 'app-config=frontend;other-config=backend;');
  });

  it('get -l filters by label selector', async () => {
    const names = async (args: string[]): Promise<string[]> => lines(await k.ok(['get', ...args, '-o', 'name'])).sort();
    assert.deepEqual(await names(['cm', '-n', NS, '-l', 'tier=frontend']), ['configmap/app-config']);
    assert.deepEqual(await names(['cm', '-n', NS, '-l', 'tier in (frontend,backend)']), ['configmap/app-config', 'configmap/other-config']);
    assert.deepEqual(await names(['cm', '-n', NS, '-l', 'tier,tier notin (frontend)']), ['configmap/other-config']);
    assert.deepEqual(await names(['services,deployments,statefulsets', '-n', NS, '-l', 'app=web']), ['deployment.apps/web', 'service/web']);
    assert.deepEqual(await names(['nodes', '-l', 'disk=ssd']), ['node/e2e-node-1']);
    assert.deepEqual(await names(['cm', '-n', NS, '-l', 'tier=nothing']), []);
  });

  it('get --field-selector filters by fields', async () => {
    const names = async (args: string[]): Promise<string[]> => lines(await k.ok(['get', ...args, '-o', 'name'])).sort();
    assert.deepEqual(await names(['cm', '-n', NS, '--field-selector', 'metadata.name=other-config']), ['configmap/other-config']);
    assert.deepEqual(await names(['pods', '-A', '-l', 'app=solo', '--field-selector', `status.phase=Pending,metadata.namespace=${NS}`]), ['pod/solo']);
    assert.deepEqual(await names(['pods', '-A', '--field-selector', `metadata.namespace=${NS},metadata.name=solo`]), ['pod/solo']);
    assert.deepEqual(await names(['pods', '-A', '--field-selector', 'status.phase=Running']), []);
    assert.deepEqual(await names(['events', '-n', NS, '--field-selector', 'involvedObject.name=solo,reason=Tested']), ['event/solo.e2e-1']);
    assert.deepEqual(await names(['secrets', '-n', NS, '--field-selector', 'type=Opaque']), ['secret/app-secret']);
    const bad = await k.fails(['get', 'pods', '-n', NS, '--field-selector', 'spec.bogus=x']);
    assert.match(bad.stderr, /spec\.bogus/);
  });

  it('get -A lists across namespaces with a NAMESPACE column', async () => {
    const cm = table(await k.ok(['get', 'configmaps', '-A']));
    assert.deepEqual(cm.header.slice(0, 2), ['NAMESPACE', 'NAME']);
    assert.equal(row(cm, 'app-config')[0], NS);
    const ns = lines(await k.ok(['get', 'namespaces', '-o', 'name']));
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease', NS]) assert.ok(ns.includes(`namespace/${n}`), ns.join(' '));
    const svc = table(await k.ok(['get', 'services', '--all-namespaces']));
    assert.deepEqual(row(svc, 'kubernetes').slice(0, 3), ['default', 'kubernetes', 'ClusterIP']);
  });

  it('describe shows labels, fields and nested details', async () => {
    const d = await k.ok(['describe', 'deployment', 'web', '-n', NS]);
    assert.match(d, /^Name:\s+web$/m);
    assert.match(d, /^Namespace:\s+e2e$/m);
    assert.match(d, /^Labels:\s+app=web$/m);
    assert.match(d, /^Selector:\s+app=web$/m);
    assert.match(d, /^Replicas:\s+1 desired \| [01] updated \| [01] total \| 0 available \| [01] unavailable$/m);
    assert.match(d, /^StrategyType:\s+RollingUpdate$/m);
    assert.match(d, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
    assert.match(d, /Image:\s+nginx:1\.26/);
    assert.match(d, /Port:\s+8080\/TCP/);
    const p = await k.ok(['describe', 'pod', 'solo', '-n', NS]);
    assert.match(p, /^Labels:\s+app=solo$/m);
    assert.match(p, /^Status:\s+Pending$/m);
    assert.match(p, /Image:\s+busybox:1\.36/);
    assert.match(p, /QoS Class:\s+BestEffort/);
    const cm = await k.ok(['describe', 'configmap', 'app-config', '-n', NS]);
    assert.match(cm, /^Labels:\s+tier=frontend$/m);
    assert.match(cm, /^mode:\n-+\ngreen$/m);
    const svc = await k.ok(['describe', 'service', 'web', '-n', NS]);
    assert.match(svc, /^Selector:\s+app=web$/m);
    assert.match(svc, /^TargetPort:\s+8080\/TCP$/m);
    const node = await k.ok(['describe', 'node', 'e2e-node-1']);
    assert.match(node, /^Name:\s+e2e-node-1$/m);
    assert.match(node, /^Labels:\s+disk=ssd$/m);
    assert.match(node, /^Taints:\s+e2e\/no-kubelet=true:NoSchedule$/m);
    assert.match(node, /^Unschedulable:\s+true$/m);
    const ns = await k.ok(['describe', 'namespace', NS]);
    assert.match(ns, /^(Labels:)?\s+team=e2e$/m);
    assert.match(ns, /^Status:\s+Active$/m);
  });

  it('explain deployment.spec.strategy prints the field description and its fields', async () => {
    const out = await k.ok(['explain', 'deployment.spec.strategy']);
    assert.match(out, /KIND:\s+Deployment/);
    assert.match(out, /VERSION:\s+(apps\/)?v1/);
    assert.match(out, /(FIELD|RESOURCE):\s+strategy/);
    assert.match(out, /DESCRIPTION:/);
    const description = DeploymentStrategy.description ?? '';
    assert.ok(description.length > 20, 'the schema has no strategy description');
    // kubectl wraps descriptions; compare with whitespace folded.
    assert.ok(squash(out).includes(squash(description).slice(0, 60)), `explain lacks the strategy description:\n${out}`);
    assert.match(out, /^\s+rollingUpdate\s+<\w+>/m);
    assert.match(out, /^\s+type\s+<string>/m);
    const nested = await k.ok(['explain', 'deployment.spec.strategy.rollingUpdate.maxSurge']);
    assert.match(nested, /maxSurge/);
    const unknown = await k.fails(['explain', 'deployment.spec.nosuchfield']);
    assert.match(unknown.stderr, /nosuchfield/);
  });
}
