// Unit tests of container environment resolution: $(VAR) expansion rules, envFrom with prefixes
// and skipped keys, ConfigMap/Secret key references (optional or not), downward API fields and
// resources, and the service variables of the pod's namespace plus the `kubernetes` service.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigMap, Pod, Secret, Service } from '../../../api/core/v1/index.js';
import type { ApiObject } from '../../../api/kind.js';
import type { PodContainer } from '../pod-config.js';
import { containerEnv, ContainerConfigError, type EnvObjects } from './resolve.js';
import { expand } from './expand.js';
import { resourceFieldValue } from './field-ref.js';
import { serviceEnv, servicesForPod } from './service-env.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function objects(o: { configMaps?: ConfigMap[]; secrets?: Secret[]; services?: Service[] }): EnvObjects {
  const find = <T extends { metadata?: { namespace?: string; name?: string } }>(list: T[] | undefined, ns: string, name: string): T | undefined =>
    list?.find((x) => x.metadata?.namespace === ns && x.metadata?.name === name);
  return {
    configMap: (ns, name) => Promise.resolve(find(o.configMaps, ns, name)),
    secret: (ns, name) => Promise.resolve(find(o.secrets, ns, name)),
    services: (nss) => Promise.resolve((o.services ?? []).filter((s) => nss.includes(s.metadata?.namespace ?? ''))),
  };
}

const events: string[] = [];
const recorder = { event: (_o: ApiObject, type: string, reason: string, message: string): void => void events.push(`${type} ${reason} ${message}`) };

const svc = (ns: string, name: string, ip: string, ports: { name?: string; port: number; protocol?: 'TCP' | 'UDP' }[]): Service => ({
  metadata: { namespace: ns, name },
  spec: { clusterIP: ip, ports },
});

function pod(container: Partial<PodContainer>, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1', labels: { app: 'web', tier: 'front' }, annotations: { note: 'hi "there"' } },
    spec: { nodeName: 'n1', serviceAccountName: 'builder', containers: [{ name: 'app', image: 'busybox', ...container }], ...extra },
  };
}

const addresses = { podIPs: ['10.244.0.5', 'fd00::5'], hostIPs: ['192.168.1.2'] };
const resolve = (p: Pod, objs: EnvObjects = objects({})): Promise<Map<string, string>> =>
  containerEnv({ pod: p, container: p.spec?.containers[0] as PodContainer, objects: objs, addresses, allocatable: { cpu: '4', memory: '8Gi' }, recorder });

describe('$(VAR) expansion', () => {
  const vars = new Map([['A', 'x'], ['B', 'y']]);
  const lookup = (n: string): string | undefined => vars.get(n);
  it('expands defined names, keeps undefined ones, and honours $$ escapes', () => {
    assert.equal(expand('$(A)-$(B)', lookup), 'x-y');
    assert.equal(expand('$(MISSING)', lookup), '$(MISSING)');
    assert.equal(expand('$$(A)', lookup), '$(A)');
    assert.equal(expand('cost $5 $$', lookup), 'cost $5 $');
    assert.equal(expand('$(A', lookup), '$(A');
    assert.equal(expand('$()', lookup), '$()');
  });
});

describe('container environment', () => {
  it('applies envFrom with prefixes, then env in order with expansion, skipping invalid keys with an event', async () => {
    events.length = 0;
    const p = pod({
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'creds' } }],
      env: [
        { name: 'GREETING', value: 'hello $(CFG_name) from $(USER)' },
        { name: 'CFG_mode', value: 'overridden' },
        { name: 'LATER', value: '$(GREETING)!' },
      ],
    });
    const env = await resolve(
      p,
      objects({
        configMaps: [{ metadata: { namespace: 'shop', name: 'cfg' }, data: { name: 'world', mode: 'fast', 'bad=key': 'x' } }],
        secrets: [{ metadata: { namespace: 'shop', name: 'creds' }, data: { USER: b64('alice') } }],
      }),
    );
    assert.equal(env.get('CFG_name'), 'world');
    assert.equal(env.get('CFG_mode'), 'overridden');
    assert.equal(env.get('USER'), 'alice');
    assert.equal(env.get('GREETING'), 'hello world from alice');
    assert.equal(env.get('LATER'), 'hello world from alice!');
    assert.equal(env.has('CFG_bad=key'), false);
    assert.deepEqual(events, ['Warning InvalidEnvironmentVariableNames Keys [CFG_bad=key] from the EnvFrom configMap shop/cfg were skipped since they are considered invalid environment variable names.']);
  });

  it('reads ConfigMap and Secret keys, skipping optional missing ones and failing on required ones', async () => {
    const objs = objects({
      configMaps: [{ metadata: { namespace: 'shop', name: 'cfg' }, data: { level: 'debug' } }],
      secrets: [{ metadata: { namespace: 'shop', name: 's' }, data: { pw: b64('p@ss') } }],
    });
    const env = await resolve(
      pod({
        env: [
          { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'level' } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'pw' } } },
          { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x', optional: true } } },
          { name: 'OPTKEY', valueFrom: { secretKeyRef: { name: 's', key: 'x', optional: true } } },
        ],
      }),
      objs,
    );
    assert.equal(env.get('LEVEL'), 'debug');
    assert.equal(env.get('PW'), 'p@ss');
    assert.equal(env.has('OPT'), false);
    assert.equal(env.has('OPTKEY'), false);
    await assert.rejects(resolve(pod({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x' } } }] }), objs), (e: unknown) => e instanceof ContainerConfigError && e.message === 'configmap "nope" not found');
    await assert.rejects(resolve(pod({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'x' } } }] }), objs), /couldn't find key x in ConfigMap shop\/cfg/);
    await assert.rejects(resolve(pod({ envFrom: [{ secretRef: { name: 'gone' } }] }), objs), /secret "gone" not found/);
    const ok = await resolve(pod({ envFrom: [{ secretRef: { name: 'gone', optional: true } }] }), objs);
    assert.equal(ok.size, 0);
  });

  it('fills in pod fields and resource values', async () => {
    const env = await resolve(
      pod({
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        env: [
          { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'NOTE', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['note']" } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'IPS', valueFrom: { fieldRef: { fieldPath: 'status.podIPs' } } },
          { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
          { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
          { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
          { name: 'CPU_LIM', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
          { name: 'MEM_LIM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        ],
      }),
    );
    assert.deepEqual(Object.fromEntries([...env].filter(([k]) => !k.startsWith('KUBERNETES'))), {
      NAME: 'web-1',
      NS: 'shop',
      UID: 'u-1',
      APP: 'web',
      NOTE: 'hi "there"',
      NODE: 'n1',
      SA: 'builder',
      IP: '10.244.0.5',
      IPS: '10.244.0.5,fd00::5',
      HOST: '192.168.1.2',
      CPU_REQ_M: '250',
      CPU_REQ: '1',
      CPU_LIM: '4',
      MEM_LIM_MI: '128',
    });
  });

  it('adds service variables for the namespace, plus the kubernetes service, unless defined by the container', async () => {
    const services = [
      svc('shop', 'redis-primary', '10.43.0.20', [{ name: 'redis', port: 6379 }, { name: 'metrics', port: 9121, protocol: 'TCP' }]),
      svc('shop', 'headless', 'None', [{ port: 80 }]),
      svc('other', 'db', '10.43.0.30', [{ port: 5432 }]),
      svc('default', 'kubernetes', '10.43.0.1', [{ name: 'https', port: 443 }]),
    ];
    const env = await resolve(pod({ env: [{ name: 'REDIS_PRIMARY_SERVICE_PORT', value: 'mine' }, { name: 'URL', value: 'redis://$(REDIS_PRIMARY_SERVICE_HOST)' }] }), objects({ services }));
    assert.equal(env.get('REDIS_PRIMARY_SERVICE_HOST'), '10.43.0.20');
    assert.equal(env.get('REDIS_PRIMARY_SERVICE_PORT'), 'mine');
    assert.equal(env.get('REDIS_PRIMARY_SERVICE_PORT_METRICS'), '9121');
    assert.equal(env.get('REDIS_PRIMARY_PORT'), 'tcp://10.43.0.20:6379');
    assert.equal(env.get('REDIS_PRIMARY_PORT_9121_TCP'), 'tcp://10.43.0.20:9121');
    assert.equal(env.get('REDIS_PRIMARY_PORT_6379_TCP_PROTO'), 'tcp');
    assert.equal(env.get('REDIS_PRIMARY_PORT_6379_TCP_PORT'), '6379');
    assert.equal(env.get('REDIS_PRIMARY_PORT_6379_TCP_ADDR'), '10.43.0.20');
    assert.equal(env.get('URL'), 'redis://10.43.0.20');
    assert.equal(env.get('KUBERNETES_SERVICE_HOST'), '10.43.0.1');
    assert.equal(env.get('KUBERNETES_SERVICE_PORT'), '443');
    assert.equal(env.get('KUBERNETES_SERVICE_PORT_HTTPS'), '443');
    assert.equal(env.get('KUBERNETES_PORT_443_TCP'), 'tcp://10.43.0.1:443');
    assert.equal([...env.keys()].some((k) => k.startsWith('HEADLESS') || k.startsWith('DB_')), false);

    const noLinks = await resolve(pod({}, { enableServiceLinks: false }), objects({ services }));
    assert.deepEqual([...noLinks.keys()].filter((k) => !k.startsWith('KUBERNETES_')), []);
    assert.equal(noLinks.get('KUBERNETES_SERVICE_HOST'), '10.43.0.1');
  });

  it('prefers a namespace service named kubernetes over the default one when links are on', () => {
    const chosen = servicesForPod([svc('default', 'kubernetes', '10.43.0.1', [{ port: 443 }]), svc('shop', 'kubernetes', '10.43.9.9', [{ port: 80 }])], { namespace: 'shop', enableServiceLinks: true });
    assert.equal(serviceEnv(chosen).get('KUBERNETES_SERVICE_HOST'), '10.43.9.9');
  });

  it('rounds resource values up in units of the divisor', () => {
    const p = pod({ resources: { limits: { cpu: '1500m', memory: '1G' } } });
    const c = p.spec?.containers[0];
    assert.equal(resourceFieldValue({ pod: p, container: c, ref: { resource: 'limits.cpu' }, allocatable: {} }), '2');
    assert.equal(resourceFieldValue({ pod: p, container: c, ref: { resource: 'limits.memory', divisor: '1Mi' }, allocatable: {} }), '954');
    assert.equal(resourceFieldValue({ pod: p, container: c, ref: { resource: 'requests.memory' }, allocatable: {} }), '0');
  });
});
