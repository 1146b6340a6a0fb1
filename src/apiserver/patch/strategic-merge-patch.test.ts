// Strategic merge patch against a Deployment-like schema built here: the kubectl patches people
// actually send (image bumps, env additions, container deletion, list replacement, apply's
// $setElementOrder, the retainKeys strategy switch, finalizer removal, label deletion), plus
// the malformed patches that must be refused and the guarantee that inputs are left untouched.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { obj, str, int32, intOrString, list, strList, strMap, freeformObject } from '../../api/schema.js';
import { ObjectMeta, typeMeta } from '../../api/meta/v1.js';
import { StatusError } from '../../lib/errors.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

const EnvVar = obj('Env var.', { name: str('Name.'), value: str('Value.') }, { id: 'test.EnvVar' });
const Port = obj('Port.', { name: str('Name.'), containerPort: int32('Port.'), protocol: str('Protocol.') }, { id: 'test.Port' });
const Container = obj(
  'Container.',
  {
    name: str('Name.'),
    image: str('Image.'),
    args: strList('Args (no strategy: replaced).'),
    env: list('Env.', EnvVar, { mergeKey: 'name', strategy: 'merge' }),
    ports: list('Ports.', Port, { mergeKey: 'containerPort', strategy: 'merge' }),
  },
  { id: 'test.Container' },
);
const Volume = obj(
  'Volume.',
  {
    name: str('Name.'),
    emptyDir: obj('Scratch.', { medium: str('Medium.') }),
    configMap: obj('From a ConfigMap.', { name: str('ConfigMap.') }),
  },
  { id: 'test.Volume' },
);
const Toleration = obj('Toleration.', { key: str('Key.'), value: str('Value.') });
const PodSpec = obj('Pod spec.', {
  containers: list('Containers.', Container, { mergeKey: 'name', strategy: 'merge' }),
  volumes: list('Volumes.', Volume, { mergeKey: 'name', strategy: 'merge,retainKeys' }),
  tolerations: list('Tolerations (replaced).', Toleration),
  nodeSelector: strMap('Node labels.'),
});
const Strategy = obj(
  'Deployment strategy.',
  { type: str('Type.'), rollingUpdate: obj('Rolling.', { maxSurge: intOrString('Surge.'), maxUnavailable: intOrString('Unavailable.') }) },
  { 'x-kubernetes-patch-strategy': 'retainKeys' },
);
const Deployment = obj('Deployment.', {
  ...typeMeta,
  metadata: ObjectMeta,
  spec: obj('Spec.', {
    replicas: int32('Replicas.'),
    strategy: Strategy,
    template: obj('Template.', { metadata: ObjectMeta, spec: PodSpec }),
    extra: freeformObject('Free-form data.'),
  }),
});

const live = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a.example/x', 'b.example/y'] },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'app', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
          { name: 'sidecar', image: 'busybox', args: ['sleep', '3600'] },
        ],
        volumes: [{ name: 'cache', emptyDir: {} }],
        tolerations: [{ key: 'k1', value: 'v1' }],
      },
    },
  },
});

type Path = (string | number)[];
/** Reads a nested value of a JSON result; undefined when any step is missing. */
function at(v: unknown, ...path: Path): unknown {
  let cur = v;
  for (const p of path) cur = (cur as Record<string | number, unknown> | undefined)?.[p];
  return cur;
}
const smp = (patch: unknown, original: unknown = live()): unknown => applyStrategicMergePatch(original, patch, Deployment);
const podSpec = (patch: unknown, original?: unknown): unknown => at(smp({ spec: { template: { spec: patch } } }, original), 'spec', 'template', 'spec');
const names = (items: unknown) => (items as { name: string }[]).map((c) => c.name);

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    Object.values(v).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}

const rejects = (fn: () => unknown, re: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof StatusError && e.code === 400 && re.test(e.message));

describe('strategic merge patch: lists with a merge key', () => {
  it('merges a container by name: only its image changes, everything else is kept in place', () => {
    const spec = podSpec({ containers: [{ name: 'sidecar', image: 'busybox:1.36' }] });
    assert.deepEqual(names(at(spec, 'containers')), ['app', 'sidecar']);
    assert.equal(at(spec, 'containers', 1, 'image'), 'busybox:1.36');
    assert.deepEqual(at(spec, 'containers', 1, 'args'), ['sleep', '3600']);
    assert.equal(at(spec, 'containers', 0, 'image'), 'nginx:1.25');
  });

  it('adds an env var to one container and keeps the existing ones', () => {
    const spec = podSpec({ containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }] });
    assert.deepEqual(names(at(spec, 'containers', 0, 'env')).sort(), ['A', 'B']);
    assert.deepEqual(at(spec, 'containers', 0, 'ports'), [{ containerPort: 80, protocol: 'TCP' }]);
  });

  it('changes an existing env var by name instead of duplicating it', () => {
    const spec = podSpec({ containers: [{ name: 'app', env: [{ name: 'A', value: 'changed' }] }] });
    assert.deepEqual(at(spec, 'containers', 0, 'env'), [{ name: 'A', value: 'changed' }]);
  });

  it('merges ports by their numeric containerPort', () => {
    const spec = podSpec({ containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] });
    assert.deepEqual(at(spec, 'containers', 0, 'ports'), [{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 443 }]);
  });

  it('puts a new container ahead of server-only ones, as Kubernetes does', () => {
    const spec = podSpec({ containers: [{ name: 'redis', image: 'redis' }] });
    assert.deepEqual(names(at(spec, 'containers')), ['redis', 'app', 'sidecar']);
  });

  it('keeps patch order for named items and interleaves them with server-only items by live order', () => {
    const original = live();
    original.spec.template.spec.containers.push({ name: 'third', image: 'x' } as never);
    const spec = podSpec({ containers: [{ name: 'third', image: 'y' }, { name: 'new', image: 'n' }] }, original);
    assert.deepEqual(names(at(spec, 'containers')), ['app', 'sidecar', 'third', 'new']);
  });

  it('$patch: delete removes the container with that name', () => {
    const spec = podSpec({ containers: [{ name: 'sidecar', $patch: 'delete' }] });
    assert.deepEqual(names(at(spec, 'containers')), ['app']);
  });

  it('$patch: delete and a merge can travel in the same list', () => {
    const spec = podSpec({ containers: [{ name: 'app', $patch: 'delete' }, { name: 'sidecar', image: 'busybox:2' }] });
    assert.deepEqual(at(spec, 'containers'), [{ name: 'sidecar', image: 'busybox:2', args: ['sleep', '3600'] }]);
  });

  it('$patch: replace in a list makes the patch items the whole list', () => {
    const spec = podSpec({ containers: [{ name: 'only', image: 'alpine' }, { $patch: 'replace' }] });
    assert.deepEqual(at(spec, 'containers'), [{ name: 'only', image: 'alpine' }]);
  });

  it('a deleted item is not stored when the live object had no such list', () => {
    const original = live();
    delete (original.spec.template.spec as { volumes?: unknown }).volumes;
    const spec = podSpec({ volumes: [{ name: 'gone', $patch: 'delete' }, { name: 'kept', emptyDir: {} }] }, original);
    assert.deepEqual(at(spec, 'volumes'), [{ name: 'kept', emptyDir: {} }]);
  });
});

describe('strategic merge patch: $setElementOrder', () => {
  it('reorders the live list without changing its items (kubectl apply)', () => {
    const spec = podSpec({ '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }] });
    assert.deepEqual(names(at(spec, 'containers')), ['sidecar', 'app']);
    assert.equal(at(spec, 'containers', 1, 'image'), 'nginx:1.25');
  });

  it('places an added item where the order list says', () => {
    const spec = podSpec({
      '$setElementOrder/containers': [{ name: 'app' }, { name: 'logger' }, { name: 'sidecar' }],
      containers: [{ name: 'logger', image: 'fluent' }],
    });
    assert.deepEqual(names(at(spec, 'containers')), ['app', 'logger', 'sidecar']);
  });

  it('orders a scalar list too', () => {
    const out = smp({ metadata: { '$setElementOrder/finalizers': ['c.example/z', 'b.example/y', 'a.example/x'], finalizers: ['c.example/z'] } });
    assert.deepEqual(at(out, 'metadata', 'finalizers'), ['c.example/z', 'b.example/y', 'a.example/x']);
  });

  it('refuses a patch list whose order contradicts the order list', () => {
    rejects(
      () => podSpec({ '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }], containers: [{ name: 'sidecar' }, { name: 'app' }] }),
      /not in the order/,
    );
  });
});

describe('strategic merge patch: scalar lists and lists without a strategy', () => {
  it('merges finalizers as a set: union, no duplicates, live order kept', () => {
    const out = smp({ metadata: { finalizers: ['b.example/y', 'c.example/z'] } });
    assert.deepEqual(at(out, 'metadata', 'finalizers'), ['a.example/x', 'b.example/y', 'c.example/z']);
  });

  it('$deleteFromPrimitiveList/finalizers removes only the listed values', () => {
    const out = smp({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example/x', 'not-there'] } });
    assert.deepEqual(at(out, 'metadata', 'finalizers'), ['b.example/y']);
  });

  it('replaces lists whose field declares no merge strategy', () => {
    const spec = podSpec({ tolerations: [{ key: 'k2', value: 'v2' }], containers: [{ name: 'sidecar', args: ['true'] }] });
    assert.deepEqual(at(spec, 'tolerations'), [{ key: 'k2', value: 'v2' }]);
    assert.deepEqual(at(spec, 'containers', 1, 'args'), ['true']);
  });
});

describe('strategic merge patch: maps and directives on maps', () => {
  it('null deletes a label and leaves the others', () => {
    const out = smp({ metadata: { labels: { tier: null, env: 'prod' } } });
    assert.deepEqual(at(out, 'metadata', 'labels'), { app: 'web', env: 'prod' });
  });

  it('does not store nulls for keys that were not there, even nested in new values', () => {
    const spec = podSpec({ nodeSelector: { disk: 'ssd', gpu: null }, absentField: null });
    assert.deepEqual(at(spec, 'nodeSelector'), { disk: 'ssd' });
    assert.equal(Object.hasOwn(spec as object, 'absentField'), false);
  });

  it('$patch: replace on a map replaces it whole', () => {
    const out = smp({ metadata: { labels: { $patch: 'replace', only: 'this' } } });
    assert.deepEqual(at(out, 'metadata', 'labels'), { only: 'this' });
  });

  it('$patch: delete on a map leaves it empty', () => {
    const out = smp({ metadata: { labels: { $patch: 'delete' } } });
    assert.deepEqual(at(out, 'metadata', 'labels'), {});
  });

  it('$retainKeys switches the strategy from RollingUpdate to Recreate, dropping rollingUpdate', () => {
    const out = smp({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    assert.deepEqual(at(out, 'spec', 'strategy'), { type: 'Recreate' });
  });

  it('without $retainKeys the same patch keeps rollingUpdate (plain merge)', () => {
    const out = smp({ spec: { strategy: { type: 'Recreate' } } });
    assert.deepEqual(at(out, 'spec', 'strategy', 'rollingUpdate'), { maxSurge: '25%', maxUnavailable: 1 });
  });

  it('$retainKeys in a volume item switches its source (volumes are merge,retainKeys)', () => {
    const spec = podSpec({ volumes: [{ name: 'cache', $retainKeys: ['name', 'configMap'], configMap: { name: 'cfg' } }] });
    assert.deepEqual(at(spec, 'volumes'), [{ name: 'cache', configMap: { name: 'cfg' } }]);
  });

  it('refuses a patch that sets a key missing from $retainKeys', () => {
    rejects(() => smp({ spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: 1 } } } }), /retainKeys/);
  });

  it('treats free-form fields as a merge patch: maps merge, lists are replaced', () => {
    const original = { ...live(), spec: { ...live().spec, extra: { a: { b: 1, c: 2 }, items: [1, 2, 3] } } };
    const out = smp({ spec: { extra: { a: { c: null, d: 4 }, items: [9] } } }, original);
    assert.deepEqual(at(out, 'spec', 'extra'), { a: { b: 1, d: 4 }, items: [9] });
  });

  it('lets the patch value win when the JSON types differ', () => {
    const out = smp({ spec: { replicas: { weird: true } } });
    assert.deepEqual(at(out, 'spec', 'replicas'), { weird: true });
  });
});

describe('strategic merge patch: malformed patches and inputs', () => {
  it('refuses an unknown $patch directive', () => {
    rejects(() => smp({ metadata: { labels: { $patch: 'explode' } } }), /unknown \$patch directive "explode"/);
    rejects(() => podSpec({ containers: [{ name: 'app', $patch: 'frobnicate' }] }), /unknown \$patch directive/);
  });

  it('refuses $patch: merge inside a list, as Kubernetes does', () => {
    rejects(() => podSpec({ containers: [{ $patch: 'merge' }] }), /not supported inside a list/);
  });

  it('refuses a merged-list item without its merge key, naming the field', () => {
    rejects(() => podSpec({ containers: [{ image: 'x' }] }), /spec\.template\.spec\.containers\[0\].*"name"/);
  });

  it('refuses a malformed directive key and a non-list $deleteFromPrimitiveList', () => {
    rejects(() => smp({ metadata: { $setElementOrder: [] } }), /\$setElementOrder\/<field>/);
    rejects(() => smp({ metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }), /list of values/);
  });

  it('refuses a patch that is not an object', () => {
    rejects(() => smp([{ op: 'add' }]), /must be a JSON object/);
  });

  it('never modifies the original or the patch', () => {
    const original = deepFreeze(live());
    const patch = deepFreeze({
      metadata: { labels: { tier: null }, '$deleteFromPrimitiveList/finalizers': ['a.example/x'] },
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }], containers: [{ name: 'app', image: 'v2' }] } },
      },
    });
    const out = smp(patch, original);
    assert.equal(at(out, 'spec', 'template', 'spec', 'containers', 1, 'image'), 'v2');
    assert.equal(original.spec.template.spec.containers[0]!.image, 'nginx:1.25');
    assert.equal(original.metadata.labels.tier, 'front');
    // The result shares nothing with the frozen input: changing it must not throw.
    (at(out, 'spec', 'template', 'spec', 'volumes', 0) as { name: string }).name = 'changed';
  });
});
