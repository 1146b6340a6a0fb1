// What nginx.conf says for the Ingress rules nginx's own matching would get wrong (one-label
// wildcards, element-wise prefixes, Exact beside Prefix on one path, hosts without `/`), that an
// unchanged table renders the same text (so no reload), and that the endpoints file carries
// only addresses the balancer can use. Routing through a real nginx is in
// test/integration/ingress.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../../../api/core/v1/index.js';
import type { EndpointSlice } from '../../../api/discovery/v1/index.js';
import type { Ingress } from '../../../api/networking/v1/index.js';
import { RouteTable } from '../route-table.js';
import { renderConf, type ConfOptions } from './conf.js';
import { endpointsFile } from './lua.js';

type P = { path: string; type: 'Exact' | 'Prefix' | 'ImplementationSpecific'; svc: string };
const ing = (name: string, rules: { host?: string; paths: P[] }[], def?: string): Ingress => ({
  metadata: { name, namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: {
    ...(def ? { defaultBackend: { service: { name: def, port: { number: 80 } } } } : {}),
    rules: rules.map((r) => ({ ...(r.host ? { host: r.host } : {}), http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.type, backend: { service: { name: p.svc, port: { number: 80 } } } })) } })),
  },
});

function table(ingresses: Ingress[], eps: Record<string, string[]> = {}): RouteTable<string> {
  return RouteTable.build<string>({
    ingresses,
    service: (ns, name) => ({ metadata: { namespace: ns, name }, spec: { ports: [{ name: 'http', port: 80 }] } }) as Service,
    slices: (_ns, name): EndpointSlice[] => [{ addressType: 'IPv4', endpoints: (eps[name] ?? []).map((a) => ({ addresses: [a] })), ports: [{ name: 'http', port: 8080 }] } as EndpointSlice],
    tlsContext: () => undefined,
  });
}

const opts: ConfOptions = {
  paths: { dir: '/d', defaultCert: '/d/certs/default.pem', endpoints: '/d/endpoints', emptySocket: '/d/empty.sock', failedSocket: '/d/failed.sock', pid: '/d/nginx.pid' },
  http: { host: undefined, port: 80 },
  https: { host: '10.0.0.1', port: 443 },
  ipv6: true,
};

/** The body of the server block for `name` (as written after server_name). */
function server(text: string, name: string): string {
  const at = text.indexOf(`server_name ${name};`);
  assert.ok(at >= 0, `no server ${name}:\n${text}`);
  return text.slice(at, text.indexOf('\n  }', at));
}

describe('nginx.conf rendering', () => {
  it('covers exactly one label for a wildcard host', () => {
    const { text } = renderConf(table([ing('w', [{ host: '*.foo.com', paths: [{ path: '/', type: 'Prefix', svc: 'a' }] }])]), opts);
    // Backslashes are doubled inside nginx's quoted strings; nginx reads `\\.` as `\.`.
    assert.ok(text.includes('server_name "~^[^.]+\\\\.foo\\\\.com$";'), text);
    assert.ok(!/server_name \*\.foo\.com/.test(text));
  });

  it('renders Prefix as whole path elements, Exact beside it once, and 404 where nothing covers /', () => {
    const paths: P[] = [
      { path: '/foo', type: 'Prefix', svc: 'p' },
      { path: '/foo', type: 'Exact', svc: 'e' },
      { path: '/bar/', type: 'ImplementationSpecific', svc: 'p' },
    ];
    const t = table([ing('i', [{ host: 'a.com', paths }])]);
    const s = server(renderConf(t, opts).text, '"a.com"');
    const up = (svc: string): string => `tb_${t.pools().findIndex((p) => p.key === `ns/${svc}:80`)}`;
    assert.ok(s.includes(`location = "/foo" { proxy_pass http://${up('e')}; }`), s);
    assert.ok(s.includes(`location "/foo/" { proxy_pass http://${up('p')}; }`), s);
    assert.equal(s.split('location = "/foo"').length, 2, 'one exact location for /foo, the Exact rule');
    assert.ok(s.includes(`location = "/bar" { proxy_pass http://${up('p')}; }`) && s.includes('location "/bar/"'), s);
    assert.ok(!/location "\/foo" /.test(s), 'never a bare prefix that would cover /foobar');
    assert.match(s, /location \/ \{ default_type text\/html; return 404 /);
  });

  it('sends what no path covers to the default backend, and listens as told', () => {
    const t = table([ing('i', [{ host: 'a.com', paths: [{ path: '/x', type: 'Exact', svc: 'x' }] }], 'def')]);
    const { text } = renderConf(t, opts);
    const up = `tb_${t.pools().findIndex((p) => p.key === 'ns/def:80')}`;
    assert.ok(server(text, '"a.com"').includes(`location / { proxy_pass http://${up}; }`));
    assert.ok(server(text, '_').includes(`location / { proxy_pass http://${up}; }`));
    assert.ok(text.includes('listen 80 default_server;') && text.includes('listen [::]:80 default_server ipv6only=on;') && text.includes('listen 10.0.0.1:443 ssl default_server;'), text);
  });

  it('renders an unchanged table to the same text, whatever its endpoints', () => {
    const i = ing('i', [{ host: 'a.com', paths: [{ path: '/', type: 'Prefix', svc: 'a' }] }]);
    assert.equal(renderConf(table([i], { a: ['10.1.0.1'] }), opts).text, renderConf(table([i], { a: ['10.1.0.2', '10.1.0.3'] }), opts).text);
  });

  it('reports paths it cannot put in a location instead of writing them', () => {
    const { text, problems } = renderConf(table([ing('i', [{ host: 'a.com', paths: [{ path: '/a b"; }', type: 'ImplementationSpecific', svc: 'a' }] }])]), opts);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.ok(!text.includes('/a b'));
  });

  it('lists only IP endpoints, IPv6 in brackets, under a version line that changes with them', () => {
    const a = endpointsFile([{ key: 'ns/a:80', endpoints: [{ host: '10.1.0.1', port: 8080 }, { host: 'fd00::1', port: 8080 }, { host: 'db.example.com', port: 5432 }] }]);
    assert.match(a, /^v[0-9a-f]{16}\nns\/a:80 10\.1\.0\.1\|8080 \[fd00::1\]\|8080\n$/);
    const b = endpointsFile([{ key: 'ns/a:80', endpoints: [{ host: '10.1.0.2', port: 8080 }] }]);
    assert.notEqual(a.split('\n')[0], b.split('\n')[0]);
  });
});
