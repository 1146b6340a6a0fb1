// Unit tests of pod volumes on a temp directory: the atomic `..data` layout and its updates,
// configMap/secret items, modes and optional sources, downwardAPI and projected files (token from
// a stand-in TokenRequest, the cluster CA fallback), emptyDir, hostPath type checks, claims bound
// to local-path volumes, subPath mounts, the automatic kube-api-access volume, and tear-down.
// As root, secrets and memory emptyDirs are checked on a real tmpfs.
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Pod, Secret } from '../../../api/core/v1/index.js';
import type { PodContainer } from '../pod-config.js';
import { AtomicWriter } from './atomic-writer.js';
import { checkHostPath } from './host-path.js';
import { withServiceAccountVolume, SERVICE_ACCOUNT_MOUNT_PATH } from './kube-api-access.js';
import { VolumeManager } from './manager.js';
import { mountPoints, systemMounter } from './mounter.js';
import { containerMounts } from './mounts.js';
import { TokenManager } from './tokens.js';
import type { Mounter, VolumeObjects } from './types.js';

const isRoot = process.getuid?.() === 0;
const b64 = (s: string): string => Buffer.from(s).toString('base64');

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'tug-volumes-'));
});
after(async () => {
  if (isRoot) await systemMounter.unmountAll(root);
  await rm(root, { recursive: true, force: true });
});

describe('atomic writer', () => {
  it('writes the ..data layout, swaps it on change, and skips unchanged payloads', async () => {
    const dir = join(root, 'atomic');
    const w = new AtomicWriter();
    assert.equal(await w.write(dir, new Map([['a', { data: 'one', mode: 0o644 }], ['sub/b', { data: 'two', mode: 0o600 }]])), true);
    const first = await readlink(join(dir, '..data'));
    assert.match(first, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/);
    assert.equal(await readlink(join(dir, 'a')), '..data/a');
    assert.equal(await readlink(join(dir, 'sub')), '..data/sub');
    assert.equal(await readFile(join(dir, 'sub', 'b'), 'utf8'), 'two');
    assert.equal((await stat(join(dir, 'sub', 'b'))).mode & 0o777, 0o600);

    assert.equal(await w.write(dir, new Map([['a', { data: 'one', mode: 0o644 }], ['sub/b', { data: 'two', mode: 0o600 }]])), false);
    assert.equal(await readlink(join(dir, '..data')), first);

    assert.equal(await w.write(dir, new Map([['a', { data: 'uno', mode: 0o644 }], ['c', { data: 'three', mode: 0o644 }]])), true);
    const second = await readlink(join(dir, '..data'));
    assert.notEqual(second, first);
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'uno');
    assert.equal(await readFile(join(dir, 'c'), 'utf8'), 'three');
    const names = (await readdir(dir)).sort();
    assert.deepEqual(names, ['..data', second, 'a', 'c'].sort());

    // A fresh writer (a restarted kubelet) recognises the files on disk and leaves them alone.
    assert.equal(await new AtomicWriter().write(dir, new Map([['a', { data: 'uno', mode: 0o644 }], ['c', { data: 'three', mode: 0o644 }]])), false);
    await assert.rejects(w.write(dir, new Map([['../escape', { data: 'x', mode: 0o644 }]])), /invalid path/);
  });
});

describe('hostPath type checks', () => {
  it('creates what OrCreate types allow and refuses mismatches', async () => {
    const d = join(root, 'hp', 'made');
    await checkHostPath(d, 'DirectoryOrCreate');
    assert.ok((await stat(d)).isDirectory());
    await checkHostPath(join(d, 'f'), 'FileOrCreate');
    assert.ok((await stat(join(d, 'f'))).isFile());
    await assert.rejects(checkHostPath(join(d, 'f'), 'Directory'), /hostPath type check failed: .*\/f is not a directory/);
    await assert.rejects(checkHostPath(d, 'File'), /is not a file/);
    await assert.rejects(checkHostPath(join(root, 'missing', 'x'), 'FileOrCreate'), /hostPath type check failed/);
    await assert.rejects(checkHostPath(join(root, 'nothing'), 'Directory'), /does not exist/);
    await checkHostPath(join(root, 'nothing'), '');
  });
});

class FakeMounter implements Mounter {
  readonly mounted: { dir: string; sizeBytes?: number }[] = [];
  unmounted: string[] = [];
  mountTmpfs(dir: string, o: { sizeBytes?: number }): Promise<void> {
    if (!this.mounted.some((m) => m.dir === dir)) this.mounted.push({ dir, ...o });
    return Promise.resolve();
  }
  unmountAll(dir: string): Promise<void> {
    this.unmounted.push(dir);
    return Promise.resolve();
  }
}

function objectsOf(o: { configMaps?: ConfigMap[]; secrets?: Secret[]; claims?: PersistentVolumeClaim[]; volumes?: PersistentVolume[] }): VolumeObjects {
  const find = <T extends { metadata?: { namespace?: string; name?: string } }>(list: T[] | undefined, ns: string | undefined, name: string): T | undefined =>
    list?.find((x) => (ns === undefined || x.metadata?.namespace === ns) && x.metadata?.name === name);
  return {
    configMap: (ns, n) => Promise.resolve(find(o.configMaps, ns, n)),
    secret: (ns, n) => Promise.resolve(find(o.secrets, ns, n)),
    claim: (ns, n) => Promise.resolve(find(o.claims, ns, n)),
    volume: (n) => Promise.resolve(find(o.volumes, undefined, n)),
  };
}

describe('volume manager', () => {
  const tokenRequests: unknown[] = [];
  const client = {
    createSubresource: (_k: unknown, ns: string | undefined, name: string, sub: string, body: unknown): Promise<unknown> => {
      tokenRequests.push({ ns, name, sub, body });
      return Promise.resolve({ status: { token: `token-${tokenRequests.length}`, expirationTimestamp: new Date(Date.now() + 3600_000).toISOString() } });
    },
  };
  const cm: ConfigMap = { metadata: { namespace: 'ns', name: 'cfg' }, data: { 'app.conf': 'level=debug', other: 'x' } };
  const secret: Secret = { metadata: { namespace: 'ns', name: 's' }, data: { password: b64('hunter2') } };
  const storage = () => join(root, 'storage', 'pvc-1_ns_data');
  const claims: PersistentVolumeClaim[] = [
    { metadata: { namespace: 'ns', name: 'data' }, spec: { volumeName: 'pvc-1' }, status: { phase: 'Bound' } },
    { metadata: { namespace: 'ns', name: 'pending' }, spec: {}, status: { phase: 'Pending' } },
  ];
  const pod = (): Pod => ({
    metadata: { name: 'p', namespace: 'ns', uid: 'uid-vol', labels: { app: 'web' } },
    spec: {
      serviceAccountName: 'default',
      containers: [{ name: 'app', image: 'x', resources: { limits: { memory: '64Mi' } } }],
      volumes: [
        { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o600 }] } },
        { name: 'opt', configMap: { name: 'absent', optional: true } },
        { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
        { name: 'scratch', emptyDir: {} },
        { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } }] } },
        { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
      ],
    },
  });

  const manager = (mounter: Mounter, objects: VolumeObjects): VolumeManager =>
    new VolumeManager({ dataDir: join(root, 'agent'), objects, tokens: new TokenManager({ client: client as never, clock: { now: () => Date.now(), setTimeout: () => ({ cancel: () => undefined }) } }), mounter, caCertPem: 'CA PEM' });

  it('sets up every kind of volume and refreshes projected data when the source changes', async () => {
    const mounter = new FakeMounter();
    const objects = { configMaps: [cm], secrets: [secret], claims, volumes: [{ metadata: { name: 'pvc-1' }, spec: { local: { path: storage() } } }] as PersistentVolume[] };
    const vm = manager(mounter, objectsOf(objects));
    const res = await vm.setUp(pod(), { addresses: { podIPs: [], hostIPs: ['1.2.3.4'] }, allocatable: { memory: '1Gi' } });
    assert.deepEqual(res.failures, []);
    const podDir = vm.podDir('uid-vol');
    const cfg = res.volumes.get('cfg');
    assert.deepEqual(cfg, { hostPath: join(podDir, 'volumes', 'kubernetes.io~configmap', 'cfg'), readOnly: true });
    assert.equal(await readFile(join(cfg.hostPath, 'conf', 'app.conf'), 'utf8'), 'level=debug');
    assert.equal((await stat(join(cfg.hostPath, 'conf', 'app.conf'))).mode & 0o777, 0o600);
    await assert.rejects(stat(join(cfg.hostPath, 'other')));
    assert.deepEqual(await readdir(res.volumes.get('opt')?.hostPath ?? ''), ['..data', (await readlink(join(res.volumes.get('opt')?.hostPath ?? '', '..data')))].sort());
    const sec = res.volumes.get('sec')?.hostPath ?? '';
    assert.equal(await readFile(join(sec, 'password'), 'utf8'), 'hunter2');
    assert.equal((await stat(join(sec, 'password'))).mode & 0o777, 0o400);
    assert.ok(mounter.mounted.some((m) => m.dir === sec));
    const mem = res.volumes.get('mem')?.hostPath ?? '';
    assert.deepEqual(mounter.mounted.find((m) => m.dir === mem), { dir: mem, sizeBytes: 16 * 1024 * 1024 });
    assert.equal((await stat(res.volumes.get('scratch')?.hostPath ?? '')).mode & 0o777, 0o777);
    const info = res.volumes.get('info')?.hostPath ?? '';
    assert.equal(await readFile(join(info, 'labels'), 'utf8'), 'app="web"');
    assert.equal(await readFile(join(info, 'mem'), 'utf8'), '64');
    assert.deepEqual(res.volumes.get('data'), { hostPath: storage(), readOnly: false });
    assert.ok((await stat(storage())).isDirectory());

    const before = await readlink(join(cfg.hostPath, '..data'));
    objects.configMaps = [{ ...cm, data: { 'app.conf': 'level=info' } }];
    const again = await vm.setUp(pod(), { addresses: { podIPs: [], hostIPs: [] }, allocatable: {} });
    assert.deepEqual(again.failures, []);
    assert.equal(await readFile(join(cfg.hostPath, 'conf', 'app.conf'), 'utf8'), 'level=info');
    assert.notEqual(await readlink(join(cfg.hostPath, '..data')), before);
    assert.deepEqual(vm.podsReferencing('configmaps', 'ns', 'cfg'), ['uid-vol']);

    await vm.tearDown('uid-vol');
    assert.deepEqual(mounter.unmounted, [podDir]);
    await assert.rejects(stat(podDir));
    assert.ok((await stat(storage())).isDirectory(), 'claim data outlives the pod');
    assert.deepEqual(vm.podsReferencing('configmaps', 'ns', 'cfg'), []);
  });

  it('reports volumes that cannot be set up', async () => {
    const vm = manager(new FakeMounter(), objectsOf({ claims }));
    const p = pod();
    p.spec = {
      containers: p.spec?.containers ?? [],
      volumes: [
        { name: 'a', configMap: { name: 'missing' } },
        { name: 'b', secret: { secretName: 'gone', items: [{ key: 'k', path: 'k' }] } },
        { name: 'c', persistentVolumeClaim: { claimName: 'pending' } },
        { name: 'd', persistentVolumeClaim: { claimName: 'nope' } },
        { name: 'e', nfs: { server: 'x', path: '/' } },
      ],
    };
    const res = await vm.setUp(p, { addresses: { podIPs: [], hostIPs: [] }, allocatable: {} });
    assert.deepEqual(res.failures, [
      { volume: 'a', message: 'configmap "missing" not found' },
      { volume: 'b', message: 'secret "gone" not found' },
      { volume: 'c', message: 'PVC ns/pending is not bound' },
      { volume: 'd', message: 'persistentvolumeclaim "nope" not found' },
      { volume: 'e', message: 'volume type is not supported by this node' },
    ]);
    await vm.tearDown('uid-vol');
  });

  it('adds the kube-api-access volume with a bound token, the CA and the namespace', async () => {
    tokenRequests.length = 0;
    const vm = manager(new FakeMounter(), objectsOf({}));
    const p = withServiceAccountVolume({ ...pod(), spec: { serviceAccountName: 'builder', containers: [{ name: 'app', image: 'x' }], initContainers: [{ name: 'init', image: 'x' }] } }, undefined);
    const vol = p.spec?.volumes?.[0];
    assert.match(vol?.name ?? '', /^kube-api-access-[a-z0-9]{5}$/);
    assert.deepEqual(p.spec?.containers[0]?.volumeMounts, [{ name: vol?.name, mountPath: SERVICE_ACCOUNT_MOUNT_PATH, readOnly: true }]);
    assert.equal(p.spec?.initContainers?.[0]?.volumeMounts?.[0]?.mountPath, SERVICE_ACCOUNT_MOUNT_PATH);
    assert.equal(withServiceAccountVolume(p, undefined), p, 'not added twice');
    assert.equal(withServiceAccountVolume({ ...pod(), spec: { ...pod().spec, containers: [], automountServiceAccountToken: false } }, true).spec?.volumes?.length, 7);
    assert.equal(withServiceAccountVolume(pod(), false).spec?.volumes?.length, 7, "the ServiceAccount's automount: false applies");

    const res = await vm.setUp(p, { addresses: { podIPs: [], hostIPs: [] }, allocatable: {} });
    assert.deepEqual(res.failures, []);
    const dir = res.volumes.get(vol?.name ?? '')?.hostPath ?? '';
    assert.equal(await readFile(join(dir, 'token'), 'utf8'), 'token-1');
    assert.equal(await readFile(join(dir, 'ca.crt'), 'utf8'), 'CA PEM');
    assert.equal(await readFile(join(dir, 'namespace'), 'utf8'), 'ns');
    assert.deepEqual(tokenRequests, [
      {
        ns: 'ns',
        name: 'builder',
        sub: 'token',
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'uid-vol' } } },
      },
    ]);
    await vm.setUp(p, { addresses: { podIPs: [], hostIPs: [] }, allocatable: {} });
    assert.equal(tokenRequests.length, 1, 'the token is reused until it nears expiry');
    await vm.tearDown('uid-vol');
  });

  it('mounts subPaths inside the volume, refusing escapes, and adds /etc/hosts', async () => {
    const vol = join(root, 'subpath-vol');
    await mkdir(vol, { recursive: true });
    await writeFile(join(vol, 'file'), 'x');
    const c: PodContainer = {
      name: 'app',
      image: 'x',
      volumeMounts: [
        { name: 'v', mountPath: '/data', readOnly: true, mountPropagation: 'HostToContainer' },
        { name: 'v', mountPath: '/logs', subPathExpr: 'logs/$(POD_NAME)' },
        { name: 'v', mountPath: '/etc/file', subPath: 'file' },
      ],
    };
    const mounts = await containerMounts({ container: c, volumes: new Map([['v', { hostPath: vol, readOnly: false }]]), env: new Map([['POD_NAME', 'web-0']]), hostsFile: '/pods/x/etc-hosts' });
    const realVol = await realpath(vol);
    assert.deepEqual(mounts, [
      { containerPath: '/data', hostPath: vol, readonly: true, propagation: 'PROPAGATION_HOST_TO_CONTAINER' },
      { containerPath: '/logs', hostPath: join(realVol, 'logs', 'web-0') },
      { containerPath: '/etc/file', hostPath: join(realVol, 'file') },
      { containerPath: '/etc/hosts', hostPath: '/pods/x/etc-hosts' },
    ]);
    assert.ok((await lstat(join(vol, 'logs', 'web-0'))).isDirectory());
    await assert.rejects(containerMounts({ container: { name: 'a', image: 'x', volumeMounts: [{ name: 'v', mountPath: '/x', subPath: '../etc' }] }, volumes: new Map([['v', { hostPath: vol, readOnly: false }]]), env: new Map() }), /must be a relative path/);
    await rm(join(vol, 'link'), { force: true });
    const { symlink } = await import('node:fs/promises');
    await symlink('/etc', join(vol, 'link'));
    await assert.rejects(containerMounts({ container: { name: 'a', image: 'x', volumeMounts: [{ name: 'v', mountPath: '/x', subPath: 'link' }] }, volumes: new Map([['v', { hostPath: vol, readOnly: false }]]), env: new Map() }), /resolves outside the volume/);
    await assert.rejects(containerMounts({ container: { name: 'a', image: 'x', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }, volumes: new Map(), env: new Map() }), /cannot find volume "nope"/);
  });

  it('puts secrets and memory emptyDirs on a real tmpfs (root only)', { skip: !isRoot }, async () => {
    const vm = manager(systemMounter, objectsOf({ secrets: [secret] }));
    const p: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'uid-tmpfs' }, spec: { containers: [], volumes: [{ name: 'sec', secret: { secretName: 's' } }, { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }] } };
    const res = await vm.setUp(p, { addresses: { podIPs: [], hostIPs: [] }, allocatable: {} });
    assert.deepEqual(res.failures, []);
    const sec = res.volumes.get('sec')?.hostPath ?? '';
    const mem = res.volumes.get('mem')?.hostPath ?? '';
    const mounts = await mountPoints();
    assert.ok(mounts.includes(sec) && mounts.includes(mem));
    assert.equal(await readFile(join(sec, 'password'), 'utf8'), 'hunter2');
    await vm.setUp(p, { addresses: { podIPs: [], hostIPs: [] }, allocatable: {} });
    assert.equal((await mountPoints()).filter((m) => m === sec).length, 1, 'mounted once');
    await vm.tearDown('uid-tmpfs');
    const left = (await mountPoints()).filter((m) => m.startsWith(vm.podDir('uid-tmpfs')));
    assert.deepEqual(left, []);
    await assert.rejects(stat(vm.podDir('uid-tmpfs')));
  });
});
