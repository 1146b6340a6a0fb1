// The route table: host precedence (exact, wildcard of one label, host-less), path precedence
// (longest, Exact over Prefix), default backends, conflicts between Ingresses (oldest wins),
// backend resolution through Service ports and EndpointSlices, TLS lookup, and IngressClass
// selection.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../api/core/v1/index.js';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';
import type { Ingress, IngressClass } from '../../api/networking/v1/index.js';
import { classSelection, isOurs } from './class-selection.js';
import { RouteTable, type TableSource } from './route-table.js';

type Path = { path?: string; pathType: string; svc: string; port?: number | string };

function ingress(name: string, o: { created?: string; rules?: { host?: string; paths: Path[] }[]; def?: string; tls?: { hosts?: string[]; secretName: string }[]; cls?: string; ns?: string }): Ingress {
  const backend = (svc: string, port: number | string = 80) => ({ service: { name: svc, port: typeof port === 'number' ? { number: port } : { name: port } } });
  return {
    metadata: { name, namespace: o.ns ?? 'default', creationTimestamp: o.created ?? '2024-01-01T00:00:00Z' },
    spec: {
      ...(o.cls ? { ingressClassName: o.cls } : {}),
      ...(o.def ? { defaultBackend: backend(o.def) } : {}),
      ...(o.tls ? { tls: o.tls } : {}),
      rules: (o.rules ?? []).map((r) => ({
        ...(r.host ? { host: r.host } : {}),
        http: { paths: r.paths.map((p) => ({ ...(p.path !== undefined ? { path: p.path } : {}), pathType: p.pathType, backend: backend(p.svc, p.port) })) },
      })),
    },
  } as Ingress;
}

/** Every service `name` has ports http=80→8080 and admin=81→9090, one endpoint 10.0.0.<n>. */
function source(ingresses: Ingress[], o: { noEndpoints?: string[]; secrets?: string[] } = {}): TableSource<string> {
  let n = 0;
  const ips = new Map<string, string>();
  const ip = (svc: string): string => {
    if (!ips.has(svc)) ips.set(svc, `10.0.0.${++n}`);
    return ips.get(svc) as string;
  };
  return {
    ingresses,
    service: (ns, name) =>
      name === 'missing'
        ? undefined
        : ({ metadata: { namespace: ns, name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 81, targetPort: 'admin' }] } } as Service),
    slices: (_ns, name): EndpointSlice[] =>
      o.noEndpoints?.includes(name)
        ? []
        : [
            {
              addressType: 'IPv4',
              endpoints: [{ addresses: [ip(name)], conditions: { ready: true } }, { addresses: ['10.9.9.9'], conditions: { ready: false } }],
              ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'admin', port: 9090 }],
            } as EndpointSlice,
          ],
    tlsContext: (ns, name) => (o.secrets?.includes(name) ? `ctx:${ns}/${name}` : undefined),
  };
}

const target = (t: RouteTable<string>, host: string, path: string): string | undefined => {
  const r = t.route(host, path);
  if (!r) return undefined;
  const ep = r.pool.endpoints[0];
  return `${r.pool.key}${ep ? `@${ep.host}:${ep.port}` : ''}`;
};
const svcOf = (t: RouteTable<string>, host: string, path: string): string | undefined => target(t, host, path)?.split(':')[0]?.split('/')[1];

describe('RouteTable paths', () => {
  const t = RouteTable.build(
    source([
      ingress('a', {
        rules: [
          {
            host: 'foo.com',
            paths: [
              { path: '/', pathType: 'Prefix', svc: 'root' },
              { path: '/api', pathType: 'Prefix', svc: 'api' },
              { path: '/api', pathType: 'Exact', svc: 'api-exact' },
              { path: '/api/v2', pathType: 'Prefix', svc: 'v2' },
              { path: '/static', pathType: 'ImplementationSpecific', svc: 'static' },
            ],
          },
        ],
      }),
    ]),
  );

  it('picks the longest matching path', () => {
    assert.equal(svcOf(t, 'foo.com', '/api/v2/users'), 'v2');
    assert.equal(svcOf(t, 'foo.com', '/api/v1'), 'api');
    assert.equal(svcOf(t, 'foo.com', '/other'), 'root');
  });

  it('prefers Exact over Prefix of the same path', () => {
    assert.equal(svcOf(t, 'foo.com', '/api'), 'api-exact');
    assert.equal(svcOf(t, 'foo.com', '/api/'), 'api');
  });

  it('matches Prefix by path element', () => {
    assert.equal(svcOf(t, 'foo.com', '/apix'), 'root');
    assert.equal(svcOf(t, 'foo.com', '/static/app.js'), 'static');
    assert.equal(svcOf(t, 'foo.com', '/staticx'), 'root');
  });

  it('routes to the slice port of the named or numbered service port, ready endpoints only', () => {
    assert.equal(target(t, 'foo.com', '/'), 'default/root:80@10.0.0.1:8080');
    const t2 = RouteTable.build(source([ingress('a', { rules: [{ paths: [{ path: '/', pathType: 'Prefix', svc: 's', port: 'admin' }] }] })]));
    assert.equal(target(t2, 'x', '/'), 'default/s:admin@10.0.0.1:9090');
    assert.equal(t2.route('x', '/')?.pool.endpoints.length, 1);
  });
});

describe('RouteTable hosts', () => {
  const t = RouteTable.build(
    source([
      ingress('a', {
        rules: [
          { host: 'a.foo.com', paths: [{ path: '/', pathType: 'Prefix', svc: 'exact' }] },
          { host: '*.foo.com', paths: [{ path: '/', pathType: 'Prefix', svc: 'wild' }] },
          { paths: [{ path: '/', pathType: 'Prefix', svc: 'any' }] },
          { host: 'api.bar.com', paths: [{ path: '/v1', pathType: 'Prefix', svc: 'bar' }] },
        ],
      }),
    ]),
  );

  it('prefers an exact host over the wildcard, the wildcard over host-less rules', () => {
    assert.equal(svcOf(t, 'a.foo.com', '/'), 'exact');
    assert.equal(svcOf(t, 'b.foo.com', '/'), 'wild');
    assert.equal(svcOf(t, 'other.com', '/'), 'any');
    assert.equal(svcOf(t, '', '/'), 'any');
  });

  it('lets a wildcard cover exactly one label', () => {
    assert.equal(svcOf(t, 'foo.com', '/'), 'any');
    assert.equal(svcOf(t, 'x.b.foo.com', '/'), 'any');
  });

  it('does not fall through to host-less rules when the host matched but no path did', () => {
    assert.equal(svcOf(t, 'api.bar.com', '/v1/x'), 'bar');
    assert.equal(t.route('api.bar.com', '/v2'), undefined);
  });
});

describe('RouteTable default backends and conflicts', () => {
  it('uses the host\'s own Ingress default backend, then the oldest default backend, then nothing', () => {
    const t = RouteTable.build(
      source([
        ingress('newer', { created: '2024-02-01T00:00:00Z', def: 'newer-default', rules: [{ host: 'b.com', paths: [{ path: '/b', pathType: 'Prefix', svc: 'b' }] }] }),
        ingress('older', { created: '2024-01-01T00:00:00Z', def: 'older-default', rules: [{ host: 'a.com', paths: [{ path: '/a', pathType: 'Prefix', svc: 'a' }] }] }),
        ingress('plain', { created: '2023-01-01T00:00:00Z', rules: [{ host: 'c.com', paths: [{ path: '/c', pathType: 'Exact', svc: 'c' }] }] }),
      ]),
    );
    assert.equal(svcOf(t, 'b.com', '/x'), 'newer-default');
    assert.equal(svcOf(t, 'a.com', '/x'), 'older-default');
    assert.equal(svcOf(t, 'c.com', '/c/d'), 'older-default');
    assert.equal(svcOf(t, 'nowhere.com', '/'), 'older-default');
    assert.equal(RouteTable.build(source([ingress('plain', { rules: [{ host: 'c.com', paths: [{ path: '/c', pathType: 'Exact', svc: 'c' }] }] })])).route('c.com', '/'), undefined);
  });

  it('serves an Ingress with only a default backend for every request', () => {
    const t = RouteTable.build(source([ingress('d', { def: 'fallback' })]));
    assert.equal(svcOf(t, 'any.host', '/deep/path'), 'fallback');
  });

  it('gives a contested host and path to the oldest Ingress', () => {
    const mk = (name: string, created: string, svc: string): Ingress => ingress(name, { created, rules: [{ host: 'x.com', paths: [{ path: '/', pathType: 'Prefix', svc }] }] });
    const t = RouteTable.build(source([mk('b', '2024-01-02T00:00:00Z', 'second'), mk('a', '2024-01-03T00:00:00Z', 'third'), mk('c', '2024-01-01T00:00:00Z', 'first')]));
    assert.equal(svcOf(t, 'x.com', '/'), 'first');
    assert.equal(t.route('x.com', '/')?.ingress, 'default/c');
  });

  it('keeps routes to services without endpoints (503) and reports why', () => {
    const t = RouteTable.build(
      source(
        [
          ingress('a', {
            rules: [
              {
                paths: [
                  { path: '/empty', pathType: 'Prefix', svc: 'empty' },
                  { path: '/gone', pathType: 'Prefix', svc: 'missing' },
                  { path: '/badport', pathType: 'Prefix', svc: 's', port: 99 },
                ],
              },
            ],
          }),
        ],
        { noEndpoints: ['empty'] },
      ),
    );
    for (const p of ['/empty', '/gone', '/badport']) assert.equal(t.route('h', p)?.pool.endpoints.length, 0, p);
    assert.equal(t.problems.length, 3);
    assert.ok(t.services.has('default/missing'));
  });
});

describe('RouteTable TLS', () => {
  it('finds certificates by exact host, then one-label wildcard; oldest Ingress wins', () => {
    const t = RouteTable.build(
      source(
        [
          ingress('old', { created: '2024-01-01T00:00:00Z', tls: [{ hosts: ['a.com', '*.w.com'], secretName: 'old-cert' }] }),
          ingress('new', { created: '2024-02-01T00:00:00Z', tls: [{ hosts: ['a.com', 'b.com'], secretName: 'new-cert' }, { hosts: ['c.com'], secretName: 'absent' }] }),
          ingress('implicit', { tls: [{ secretName: 'implicit-cert' }], rules: [{ host: 'd.com', paths: [{ path: '/', pathType: 'Prefix', svc: 's' }] }] }),
        ],
        { secrets: ['old-cert', 'new-cert', 'implicit-cert'] },
      ),
    );
    assert.equal(t.tlsFor('a.com'), 'ctx:default/old-cert');
    assert.equal(t.tlsFor('B.com'), 'ctx:default/new-cert');
    assert.equal(t.tlsFor('x.w.com'), 'ctx:default/old-cert');
    assert.equal(t.tlsFor('y.x.w.com'), undefined);
    assert.equal(t.tlsFor('c.com'), undefined);
    assert.equal(t.tlsFor('d.com'), 'ctx:default/implicit-cert');
    assert.ok(t.secrets.has('default/absent'));
    assert.ok(t.problems.some((p) => p.includes('absent')));
  });
});

describe('IngressClass selection', () => {
  const ours = { className: 'tugboat', controllerName: 'tugboat.dev/ingress' };
  const cls = (name: string, controller: string, isDefault = false): IngressClass => ({
    metadata: { name, ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller },
  });
  const ing = (o: { cls?: string; annotation?: string }): Ingress => ({
    metadata: { name: 'i', namespace: 'default', ...(o.annotation ? { annotations: { 'kubernetes.io/ingress.class': o.annotation } } : {}) },
    spec: { ...(o.cls ? { ingressClassName: o.cls } : {}) },
  });

  it('takes Ingresses naming our class, or another class of our controller', () => {
    const sel = classSelection([cls('tugboat', 'tugboat.dev/ingress'), cls('alias', 'tugboat.dev/ingress'), cls('nginx', 'k8s.io/ingress-nginx')], ours);
    assert.ok(isOurs(ing({ cls: 'tugboat' }), sel));
    assert.ok(isOurs(ing({ cls: 'alias' }), sel));
    assert.ok(isOurs(ing({ annotation: 'tugboat' }), sel));
    assert.ok(!isOurs(ing({ cls: 'nginx' }), sel));
    assert.ok(!isOurs(ing({}), sel), 'no default class: unclassed Ingresses are nobody\'s');
  });

  it('takes unclassed Ingresses only while our class is the only default', () => {
    assert.ok(isOurs(ing({}), classSelection([cls('tugboat', 'tugboat.dev/ingress', true)], ours)));
    assert.ok(!isOurs(ing({}), classSelection([cls('tugboat', 'tugboat.dev/ingress'), cls('nginx', 'k8s.io/ingress-nginx', true)], ours)));
    assert.ok(!isOurs(ing({}), classSelection([cls('tugboat', 'tugboat.dev/ingress', true), cls('nginx', 'k8s.io/ingress-nginx', true)], ours)));
  });

  it('serves its own class name before the IngressClass exists, but not one another controller owns', () => {
    assert.ok(isOurs(ing({ cls: 'tugboat' }), classSelection([], ours)));
    assert.ok(!isOurs(ing({ cls: 'tugboat' }), classSelection([cls('tugboat', 'other.io/controller')], ours)));
  });
});
