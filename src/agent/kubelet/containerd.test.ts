// The kubelet running real pods (root only): a real `tug server`, our own containerd with its own
// bridge (cri/containerd's test node), and a kubelet built in-process on the ContainerdRuntime with
// real-node options. Shown: a pod with a configMap volume, env from a ConfigMap and pod fields,
// service variables, its own hostname, resolv.conf, /etc/hosts and service-account files, served
// over HTTP on its pod IP; a configMap update reaching the running pod; a readiness probe flipping
// Ready; securityContext, cgroup limits and tmpfs volumes as the container sees them; a liveness
// probe restarting a container; preStop before SIGTERM on graceful deletion; OOMKilled; data of a
// claim outliving its pod; pulls from a registry with pull secrets and ImagePullBackOff; and an
// agent restart adopting running pods.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configMapKind, nodeKind, persistentVolumeClaimKind, persistentVolumeKind, podKind, secretKind, type ConfigMap, type Node, type Pod } from '../../api/core/v1/index.js';
import { ApiEventRecorder, HttpClient, Informer } from '../../client/index.js';
import { eventually } from '../../../test/support/eventually.js';
import { kubectlOk } from '../../../test/support/kubectl.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';
import { startTestNode, type TestNode } from '../cri/containerd/test-node.js';
import { TEST_IMAGE } from '../images/index.js';
import { PULLED_MARKER, pushTestImage, startTestRegistry, type TestRegistry } from '../images/test-registry.js';
import { parseNodeToken } from '../join.js';
import { Kubelet } from './kubelet.js';
import { machineNodeSettings } from './machine.js';
import { NodeScoped } from './node-scoped.js';
import type { PodContainer } from './pod-config.js';
import { systemMounter } from './volumes/index.js';

const isRoot = process.getuid?.() === 0;
const NS = 'default';
const NODE = 'kubelet-ctr';

describe('kubelet on containerd', { skip: !isRoot }, () => {
  let srv: TugServer;
  let client: HttpClient;
  let node: TestNode;
  let registry: TestRegistry | undefined;
  let dataDir: string;
  let ac = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const logs: string[] = [];

  const startKubelet = async (): Promise<void> => {
    ac = new AbortController();
    const token = parseNodeToken(await readFile(join(srv.dataDir, 'node-token'), 'utf8'));
    const kc = new HttpClient({ server: srv.url, caCertPem: srv.caCertPem, token: token.secret });
    const pods = new Informer<Pod>(kc, podKind, { fieldSelector: `spec.nodeName=${NODE}` });
    const nodes = new Informer<Node>(kc, nodeKind, { fieldSelector: `metadata.name=${NODE}` });
    pods.start(ac.signal);
    nodes.start(ac.signal);
    const kubelet = new Kubelet({
      nodeName: NODE,
      client: kc,
      runtime: node.runtime,
      pods: new NodeScoped(pods, (p) => p.spec?.nodeName ?? ''),
      nodes: new NodeScoped(nodes, (n) => n.metadata?.name ?? ''),
      recorder: new ApiEventRecorder(kc, 'kubelet', { host: NODE }),
      node: machineNodeSettings({ dataDir, nodeIP: '127.0.0.1' }),
      host: { dataDir, caCertPem: srv.caCertPem },
      clusterDNS: ['10.43.0.10'],
      timing: { crashLoopBackoff: { initialMs: 500, maxMs: 2_000 } },
      log: (m) => logs.push(m),
    });
    running = kubelet.start(ac.signal).finally(() => kc.close());
    await kubelet.ready;
  };

  const stopKubelet = async (): Promise<void> => {
    ac.abort();
    await running;
  };

  before(async () => {
    srv = await startTugServer({ extraArgs: ['--controllers=serviceaccount', '--disable-scheduler'] });
    client = new HttpClient({ server: srv.url, caCertPem: srv.caCertPem, token: srv.token });
    dataDir = await mkdtemp(join(tmpdir(), 'tug-kubelet-'));
    node = await startTestNode();
    await startKubelet();
  });

  after(async () => {
    if (process.env.KUBELET_TEST_LOGS) console.log(logs.join('\n'));
    await stopKubelet();
    await node?.teardown();
    await registry?.stop();
    if (dataDir) {
      await systemMounter.unmountAll(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    }
    client?.close();
    await srv?.cleanup();
  });

  const kubectl = (args: string[]): Promise<string> => kubectlOk(args, { kubeconfig: srv.kubeconfig });
  const getPod = (name: string): Promise<Pod> => client.get<Pod>(podKind, NS, name);
  const container = (c: Partial<PodContainer> & { name: string }): PodContainer => ({ image: TEST_IMAGE, imagePullPolicy: 'IfNotPresent', ...c });
  const createPod = (name: string, spec: Partial<NonNullable<Pod['spec']>> & { containers: PodContainer[] }): Promise<Pod> =>
    client.create<Pod>(podKind, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: name } }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 5, ...spec } });
  const exec = async (pod: Pod, cmd: string[], name?: string): Promise<string> => {
    const cs = (await getPod(pod.metadata?.name ?? '')).status?.containerStatuses?.find((s) => !name || s.name === name);
    const id = (cs?.containerID ?? '').replace(/^[a-z]+:\/\//, '');
    const r = await node.runtime.execSync({ containerId: id, cmd, timeoutSeconds: 10 });
    return r.stdout.toString() + r.stderr.toString();
  };
  const httpGet = (url: string): Promise<string> =>
    new Promise((resolve, reject) => {
      get(url, { timeout: 2000 }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
  const ready = async (name: string): Promise<Pod> =>
    eventually(
      async () => {
        const p = await getPod(name);
        return p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? p : undefined;
      },
      { timeoutMs: 60_000, what: `${name} Ready` },
    );
  const events = async (name: string): Promise<string> => kubectl(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'custom-columns=R:.reason,M:.message', '--no-headers']);

  it('runs a pod with a configMap volume, env and a readiness probe, serving HTTP on its IP', async () => {
    await client.create<ConfigMap>(configMapKind, NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'site' }, data: { 'index.html': 'hello v1\n', greeting: 'howdy' } });
    const pod = await createPod('web', {
      subdomain: 'peers',
      volumes: [{ name: 'site', configMap: { name: 'site', items: [{ key: 'index.html', path: 'index.html' }] } }],
      containers: [
        container({
          name: 'web',
          command: ['sh', '-c', 'touch /tmp/ready; exec httpd -f -p 8080 -h /www'],
          ports: [{ name: 'http', containerPort: 8080 }],
          env: [
            { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'site', key: 'greeting' } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'MESSAGE', value: '$(GREETING) from $(POD_NAME)' },
          ],
          envFrom: [{ configMapRef: { name: 'site' }, prefix: 'SITE_' }],
          volumeMounts: [{ name: 'site', mountPath: '/www' }],
          readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
        }),
      ],
    });
    const running = await ready('web');
    const ip = running.status?.podIP ?? '';
    assert.match(ip, /^10\.\d+\.\d+\.\d+$/);
    assert.match(await kubectl(['get', 'pod', 'web', '--no-headers']), /^web\s+1\/1\s+Running\s+0\s/);
    assert.equal(await httpGet(`http://${ip}:8080/index.html`), 'hello v1\n');

    const env = await exec(pod, ['env']);
    assert.match(env, /^MESSAGE=howdy from web$/m);
    assert.match(env, new RegExp(`^POD_IP=${ip.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(env, /^SITE_greeting=howdy$/m);
    assert.match(env, /^KUBERNETES_SERVICE_HOST=\d+\.\d+\.\d+\.\d+$/m);
    assert.equal((await exec(pod, ['hostname'])).trim(), 'web');
    const resolv = await exec(pod, ['cat', '/etc/resolv.conf']);
    assert.match(resolv, /nameserver 10\.43\.0\.10/);
    assert.match(resolv, /search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
    assert.match(resolv, /options ndots:5/);
    assert.match(await exec(pod, ['cat', '/etc/hosts']), new RegExp(`^${ip.replace(/\./g, '\\.')}\\tweb\\.peers\\.default\\.svc\\.cluster\\.local\\tweb$`, 'm'));
    assert.equal(await exec(pod, ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace']), 'default');
    assert.match(await exec(pod, ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt']), /BEGIN CERTIFICATE/);
    assert.match(await exec(pod, ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token']), /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.match(await exec(pod, ['sh', '-c', 'touch /www/x 2>&1 || true']), /Read-only file system/);

    // Updates reach the running pod through the ..data swap.
    await client.patch(configMapKind, NS, 'site', { type: 'merge', body: { data: { 'index.html': 'hello v2\n' } } });
    await eventually(async () => (await httpGet(`http://${ip}:8080/index.html`)) === 'hello v2\n', { timeoutMs: 30_000, what: 'the updated page' });

    // Readiness follows the probe both ways.
    await exec(pod, ['rm', '/tmp/ready']);
    await eventually(async () => /^web\s+0\/1\s+Running\s/.test(await kubectl(['get', 'pod', 'web', '--no-headers'])), { timeoutMs: 20_000, what: 'web unready' });
    await exec(pod, ['touch', '/tmp/ready']);
    await ready('web');
    assert.match(await events('web'), /Unhealthy\s+Readiness probe failed: cat: can't open '\/tmp\/ready'/);
  });

  it('applies securityContext, resources and tmpfs-backed volumes', async () => {
    await client.create(secretKind, NS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { password: Buffer.from('s3cret').toString('base64') } });
    const pod = await createPod('secure', {
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 },
      volumes: [
        { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o440 } },
        { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } },
      ],
      containers: [
        container({
          name: 'app',
          command: ['sleep', '3600'],
          env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } }],
          securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          resources: { limits: { cpu: '500m', memory: '64Mi' } },
          volumeMounts: [
            { name: 'creds', mountPath: '/creds' },
            { name: 'cache', mountPath: '/cache' },
          ],
        }),
      ],
    });
    await ready('secure');
    assert.match(await exec(pod, ['id']), /^uid=1000 gid=3000 groups=.*2000/);
    assert.match(await exec(pod, ['env']), /^PASSWORD=s3cret$/m);
    assert.equal(await exec(pod, ['cat', '/creds/password']), 's3cret');
    assert.match(await exec(pod, ['sh', '-c', 'touch /rootfs-file 2>&1 || true']), /Read-only file system/);
    assert.equal(await exec(pod, ['sh', '-c', 'echo ok > /cache/f && cat /cache/f']), 'ok\n');
    assert.match(await exec(pod, ['grep', ' /cache ', '/proc/mounts']), /^tmpfs \/cache tmpfs /);
    assert.match(await exec(pod, ['grep', 'CapEff', '/proc/self/status']), /CapEff:\s+0000000000000000/);
    assert.match(await exec(pod, ['grep', 'NoNewPrivs', '/proc/self/status']), /NoNewPrivs:\s+1/);
    const cgroup = await exec(pod, ['sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares 2>/dev/null || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max']);
    assert.match(cgroup, /^(67108864\n50000\n512|67108864\n50000 100000)\n$/);
  });

  it('restarts a container whose liveness probe fails', async () => {
    const pod = await createPod('live', {
      containers: [container({ name: 'app', command: ['sh', '-c', 'touch /tmp/alive; exec sleep 3600'], livenessProbe: { exec: { command: ['cat', '/tmp/alive'] }, periodSeconds: 1, failureThreshold: 2 } })],
    });
    await ready('live');
    await exec(pod, ['rm', '/tmp/alive']);
    const restarted = await eventually(
      async () => {
        const p = await getPod('live');
        const cs = p.status?.containerStatuses?.[0];
        return cs?.restartCount === 1 && cs.state?.running ? cs : undefined;
      },
      { timeoutMs: 40_000, what: 'a liveness restart' },
    );
    assert.equal(restarted.lastState?.terminated?.reason, 'Error');
    const ev = await events('live');
    assert.match(ev, /Unhealthy\s+Liveness probe failed:/);
    assert.match(ev, /Killing\s+Container app failed liveness probe, will be restarted/);
  });

  it('runs preStop before SIGTERM on graceful deletion, then deletes the pod', async () => {
    const hostDir = join(dataDir, 'hooks');
    await createPod('hooks', {
      volumes: [{ name: 'out', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } }],
      containers: [
        container({
          name: 'app',
          command: ['sh', '-c', 'trap "echo term >> /out/log; exit 0" TERM; echo start >> /out/log; while true; do sleep 0.2; done'],
          volumeMounts: [{ name: 'out', mountPath: '/out' }],
          lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo poststart >> /out/log'] } }, preStop: { exec: { command: ['sh', '-c', 'echo prestop >> /out/log'] } } },
        }),
      ],
    });
    await ready('hooks');
    await client.delete(podKind, NS, 'hooks');
    await eventually(async () => !(await kubectl(['get', 'pods', '--no-headers'])).includes('hooks '), { timeoutMs: 30_000, what: 'the pod to be deleted' });
    const lines = (await readFile(join(hostDir, 'log'), 'utf8')).trim().split('\n');
    assert.deepEqual(lines.filter((l) => l !== 'start' && l !== 'poststart'), ['prestop', 'term']);
    assert.ok(lines.includes('poststart'));
  });

  it('reports a container over its memory limit as OOMKilled', async () => {
    await createPod('oom', {
      containers: [container({ name: 'hog', command: ['sh', '-c', 'x=$(head -c 200000000 /dev/zero | tr "\\000" a); sleep 3600'], resources: { limits: { memory: '20Mi' } } })],
    });
    const cs = await eventually(
      async () => {
        const s = (await getPod('oom')).status?.containerStatuses?.[0];
        return s?.lastState?.terminated?.reason === 'OOMKilled' || s?.state?.terminated?.reason === 'OOMKilled' ? s : undefined;
      },
      { timeoutMs: 60_000, what: 'OOMKilled' },
    );
    assert.equal((cs.lastState?.terminated ?? cs.state?.terminated)?.exitCode, 137);
  });

  it('keeps the data of a bound claim after its pod is gone', async () => {
    const path = join(dataDir, 'storage', 'pvc-test_default_data');
    await client.create(persistentVolumeKind, undefined, {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-data' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path }, claimRef: { namespace: NS, name: 'data' }, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [NODE] }] }] } } },
    });
    await client.create(persistentVolumeClaimKind, NS, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: 'pv-data' } });
    await client.patch(persistentVolumeClaimKind, NS, 'data', { type: 'merge', body: { status: { phase: 'Bound' } } }, { subresource: 'status' });
    const spec = (cmd: string): Partial<NonNullable<Pod['spec']>> & { containers: PodContainer[] } => ({
      restartPolicy: 'Never',
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      containers: [container({ name: 'c', command: ['sh', '-c', cmd], volumeMounts: [{ name: 'data', mountPath: '/data' }] })],
    });
    await createPod('writer', spec('echo kept > /data/file'));
    await eventually(async () => (await getPod('writer')).status?.phase === 'Succeeded', { timeoutMs: 40_000, what: 'the writer to finish' });
    await client.delete(podKind, NS, 'writer');
    await createPod('reader', spec('cat /data/file; sleep 3600'));
    await ready('reader');
    assert.equal(await readFile(join(path, 'file'), 'utf8'), 'kept\n');
    assert.match(await exec(await getPod('reader'), ['cat', '/data/file']), /^kept$/m);
  });

  it('pulls images from a registry with pull secrets, and backs off pulling missing ones', async () => {
    registry = await startTestRegistry();
    const image = await pushTestImage(registry, { tag: 'v1' });
    const dockerConfig = { auths: { [registry.host]: { username: 'u', password: 'p', auth: Buffer.from('u:p').toString('base64') } } };
    await client.create(secretKind, NS, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'regcred' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify(dockerConfig)).toString('base64') },
    });
    await createPod('pulled', { imagePullSecrets: [{ name: 'regcred' }, { name: 'absent' }], containers: [{ name: 'c', image, command: ['sleep', '3600'] }] });
    const pod = await ready('pulled');
    assert.match(await exec(pod, ['cat', PULLED_MARKER]), /pulled from/);
    const ev = await events('pulled');
    assert.match(ev, new RegExp(`Pulling\\s+Pulling image "${image.replace(/\./g, '\\.')}"`));
    assert.match(ev, /Pulled\s+Successfully pulled image/);
    assert.match(ev, /FailedToRetrieveImagePullSecret\s+Unable to retrieve some image pull secrets \(absent\)/);

    await createPod('nopull', { containers: [{ name: 'c', image: `${registry.host}/tugboat/missing:v1`, command: ['sleep', '3600'] }] });
    await eventually(async () => /^nopull\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\s/.test(await kubectl(['get', 'pod', 'nopull', '--no-headers'])), { timeoutMs: 30_000, what: 'ErrImagePull' });
    await eventually(async () => /^nopull\s+0\/1\s+ImagePullBackOff\s/.test(await kubectl(['get', 'pod', 'nopull', '--no-headers'])), { timeoutMs: 30_000, what: 'ImagePullBackOff' });
    const waiting = (await getPod('nopull')).status?.containerStatuses?.[0]?.state?.waiting;
    assert.match(waiting?.message ?? '', /^Back-off pulling image ".*missing:v1": ErrImagePull: /);
  });

  it('adopts running pods after an agent restart without restarting them', async () => {
    const before = await getPod('web');
    const id = before.status?.containerStatuses?.[0]?.containerID;
    await stopKubelet();
    await startKubelet();
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await getPod('web');
    const cs = after.status?.containerStatuses?.[0];
    assert.equal(cs?.containerID, id);
    assert.equal(cs?.restartCount, 0);
    assert.equal(after.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.equal(await httpGet(`http://${after.status?.podIP ?? ''}:8080/index.html`), 'hello v2\n');
  });
});
