// The real check of the protobuf decoder: kubectl 1.32's generator commands (`create configmap`,
// `create deployment`, ...) send their objects as Kubernetes protobuf to a real `tug server`
// (run `npm run build` first: bin/tug.js prefers dist/). Each object read back must hold
// everything kubectl renders client-side (`--dry-run=client -o json`), and must equal, field
// for field, the same object created from JSON, so no zero value leaks in or is lost.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectl, kubectlOk } from '../../../test/support/kubectl.js';
import { startTugServer, type TugServer } from '../../../test/support/tug-server.js';

interface Case {
  /** kubectl arguments after `create`, for an object called `name`; `files` is a folder of inputs. */
  args: (name: string, files: string) => string[];
  resource: string;
  name: string;
  clusterScoped?: boolean;
  /**
   * Whether to compare with a copy created from JSON in another namespace; not for objects owned
   * by another object, whose copy the garbage collector may remove (the owner's uid is elsewhere).
   */
  jsonCopy?: false;
}

const CASES: Case[] = [
  { resource: 'configmap', name: 'a', args: (n) => ['configmap', n, '--from-literal=k=v', '--from-literal=empty='] },
  { resource: 'configmap', name: 'files', args: (n, f) => ['configmap', n, `--from-file=${f}/text.conf`, `--from-file=${f}/blob.bin`] },
  { resource: 'secret', name: 's', args: (n) => ['secret', 'generic', n, '--from-literal=p=q'] },
  { resource: 'secret', name: 'bin', args: (n, f) => ['secret', 'generic', n, `--from-file=${f}/blob.bin`, '--type=example.com/raw'] },
  { resource: 'secret', name: 'reg', args: (n) => ['secret', 'docker-registry', n, '--docker-server=r.example', '--docker-username=u', '--docker-password=p'] },
  { resource: 'namespace', name: 'n', clusterScoped: true, args: (n) => ['namespace', n] },
  { resource: 'serviceaccount', name: 'sa', args: (n) => ['serviceaccount', n] },
  { resource: 'deployment', name: 'web', args: (n) => ['deployment', n, '--image=nginx', '--replicas=2', '--port=80'] },
  { resource: 'deployment', name: 'zero', args: (n) => ['deployment', n, '--image=nginx', '--replicas=0'] },
  { resource: 'deployment', name: 'multi', args: (n) => ['deployment', n, '--image=nginx', '--image=busybox'] },
  { resource: 'service', name: 'svc', args: (n) => ['service', 'clusterip', n, '--tcp=80:8080', '--tcp=443:https'] },
  { resource: 'service', name: 'np', args: (n) => ['service', 'nodeport', n, '--tcp=5678:8080'] },
  { resource: 'service', name: 'ext', args: (n) => ['service', 'externalname', n, '--external-name=example.com'] },
  { resource: 'job', name: 'j', args: (n) => ['job', n, '--image=busybox', '--', 'echo', 'hi'] },
  { resource: 'cronjob', name: 'cj', args: (n) => ['cronjob', n, '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'] },
  { resource: 'cronjob', name: 'cj2', args: (n) => ['cronjob', n, '--image=busybox', '--schedule=@hourly', '--restart=OnFailure'] },
  { resource: 'job', name: 'manual', jsonCopy: false, args: (n) => ['job', n, '--from=cronjob/cj'] },
  { resource: 'ingress', name: 'ing', args: (n) => ['ingress', n, '--rule=foo.com/bar=svc:80'] },
  {
    resource: 'ingress',
    name: 'ing2',
    args: (n) => ['ingress', n, '--class=default', '--default-backend=svc:http', '--rule=foo.com/*=svc2:8080,tls=cert', '--annotation=a=b'],
  },
  { resource: 'priorityclass', name: 'pc', clusterScoped: true, args: (n) => ['priorityclass', n, '--value=100', '--description=test'] },
  { resource: 'priorityclass', name: 'pc0', clusterScoped: true, args: (n) => ['priorityclass', n, '--value=0', '--preemption-policy=Never'] },
];

/** Flags go before a `--` that starts a container command. */
function withFlags(args: string[], flags: string[]): string[] {
  const dash = args.indexOf('--');
  return dash < 0 ? [...args, ...flags] : [...args.slice(0, dash), ...flags, ...args.slice(dash)];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every value kubectl rendered is in the stored object (which may add defaults); nulls mean "unset". */
function assertContains(actual: unknown, expected: unknown, path: string): void {
  if (expected === null) return;
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected a list, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: list length`);
    expected.forEach((e, i) => assertContains(actual[i], e, `${path}[${i}]`));
    return;
  }
  if (isObject(expected)) {
    assert.ok(isObject(actual), `${path}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) assertContains(actual[k], v, `${path}.${k}`);
    return;
  }
  assert.deepEqual(actual, expected, path);
}

/** Drops what the server sets per object (identity, time, allocated addresses, controller progress). */
function normalize(obj: Json, names: { from: string; to: string }): unknown {
  const uid = (obj.metadata as Json).uid;
  const walk = (v: unknown, path: string): unknown => {
    if (v === uid) return '<uid>';
    if (v === names.from) return names.to;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    if (!isObject(v)) return v;
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (SERVER_SET.has(p) || CONTROLLER_ANNOTATIONS.has(k)) continue;
      out[k] = walk(x, p);
    }
    return out;
  };
  return walk(obj, '');
}

const SERVER_SET = new Set([
  'status',
  'metadata.namespace',
  'metadata.uid',
  'metadata.resourceVersion',
  'metadata.creationTimestamp',
  'metadata.managedFields',
  'spec.clusterIP',
  'spec.clusterIPs',
  'spec.ports[0].nodePort',
]);
const CONTROLLER_ANNOTATIONS = new Set(['deployment.kubernetes.io/revision']);

describe('kubectl 1.32 create (protobuf request bodies)', () => {
  let tug: TugServer;
  let home: string;
  let files: string;
  const run = (args: string[]): Promise<string> => kubectlOk(args, { kubeconfig: tug.kubeconfig, env: { HOME: home } });
  const getJson = async (c: Case, opts: { name: string; namespace: string }): Promise<Json> =>
    JSON.parse(await run(['get', c.resource, opts.name, '-o', 'json', ...(c.clusterScoped ? [] : ['-n', opts.namespace])])) as Json;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'tug-protobuf-home-'));
    files = join(home, 'files');
    await mkdir(files);
    await writeFile(join(files, 'text.conf'), 'key = value\n');
    // Not UTF-8, so kubectl puts it in binaryData.
    await writeFile(join(files, 'blob.bin'), Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x01]));
    tug = await startTugServer();
    await run(['create', 'namespace', 'via-json']);
  });
  after(async () => {
    await tug?.cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`create ${c.args(c.name, 'DIR').join(' ')}`, async () => {
      const args = c.args(c.name, files);
      const rendered = JSON.parse(await run(['create', ...withFlags(args, ['--dry-run=client', '-o', 'json'])])) as Json;
      const created = await kubectl(['create', ...args], { kubeconfig: tug.kubeconfig, env: { HOME: home } });
      assert.equal(created.code, 0, created.stderr);
      const viaProtobuf = await getJson(c, { name: c.name, namespace: 'default' });
      const { status: _status, ...spec } = rendered;
      assertContains(viaProtobuf, spec, c.resource);
      if (c.jsonCopy === false) return;

      // The same object sent as JSON (`create -f` goes through the dynamic client).
      const copyName = c.clusterScoped ? `${c.name}-json` : c.name;
      const manifest = { ...rendered, metadata: { ...(rendered.metadata as Json), name: copyName } };
      await kubectlOk(['create', '-f', '-', ...(c.clusterScoped ? [] : ['-n', 'via-json'])], {
        kubeconfig: tug.kubeconfig,
        env: { HOME: home },
        stdin: JSON.stringify(manifest),
      });
      const viaJson = await getJson(c, { name: copyName, namespace: 'via-json' });
      assert.deepEqual(
        normalize(viaProtobuf, { from: c.name, to: '<name>' }),
        normalize(viaJson, { from: copyName, to: '<name>' }),
        'the object created from protobuf differs from the one created from JSON',
      );
    });
  }

  it('sent those bodies as protobuf', async () => {
    const r = await kubectl(['create', 'configmap', 'seen', '--from-literal=x=y', '-v=8'], { kubeconfig: tug.kubeconfig, env: { HOME: home } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/);
  });
});
