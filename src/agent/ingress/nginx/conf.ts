// nginx.conf from a route table, rendered the way ingress-nginx lays out Ingresses: one server
// block per host (the default server answers for every other host), one location per path, one
// upstream per backend pool whose peers the Lua balancer picks (lua.ts), so endpoint changes
// never touch this file. Ingress semantics that nginx's own matching would get wrong:
// - a wildcard host covers exactly one label, so `*.foo.com` becomes the regular expression
//   `~^[^.]+\.foo\.com$` (nginx's `*.foo.com` would also cover `a.b.foo.com`);
// - Prefix `/foo` matches whole path elements: `location = /foo` plus `location /foo/`, never the
//   bare prefix `location /foo` (which would cover `/foobar`);
// - longest path first and Exact before Prefix at equal length is what nginx's location choice
//   does anyway (exact `=` locations first, then the longest prefix);
// - a host without a `/` rule gets `location /` for its default backend, or a 404 page.
// Rendering is deterministic, so an unchanged table gives a byte-identical file (no reload).
import type { ListenAddress } from '../listen.js';
import type { HostLayout, Route, RouteTable } from '../route-table.js';
import { LUA_MODULE } from './lua.js';

export const MODULES_DIR = '/usr/lib/nginx/modules';

export interface ConfPaths {
  dir: string;
  defaultCert: string;
  endpoints: string;
  emptySocket: string;
  failedSocket: string;
  pid: string;
}

export interface ConfOptions {
  paths: ConfPaths;
  http?: ListenAddress;
  https?: ListenAddress;
  /** Also listen on IPv6 for listeners without a host. */
  ipv6: boolean;
  /** Run workers as this user (nginx only switches user when started as root). */
  user?: string;
}

/** An nginx double-quoted string. */
const q = (s: string): string => `"${s.replace(/[\\"]/g, '\\$&')}"`;
const regexEscape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SAFE_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const SAFE_HOST = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

const page = (code: number, title: string): string => q(`<html>\n<head><title>${code} ${title}</title></head>\n<body>\n<h1>${code} ${title}</h1>\n<hr><p>tugboat ingress</p>\n</body>\n</html>\n`);

function listens(o: ConfOptions, extra: string): string[] {
  const out: string[] = [];
  const add = (l: ListenAddress | undefined, ssl: string): void => {
    if (!l) return;
    if (l.host) out.push(`listen ${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}${ssl}${extra};`);
    else {
      out.push(`listen ${l.port}${ssl}${extra};`);
      if (o.ipv6) out.push(`listen [::]:${l.port}${ssl}${extra} ipv6only=on;`);
    }
  };
  add(o.http, '');
  add(o.https, ' ssl');
  return out;
}

function serverName(host: string): string {
  if (!host) return '_';
  return host.startsWith('*.') ? q(`~^[^.]+${regexEscape(host.slice(1))}$`) : q(host);
}

function locations(h: HostLayout, upstream: (r: Route) => string, problems: string[]): string[] {
  const out: string[] = [];
  const pass = (r: Route): string => `proxy_pass http://${upstream(r)};`;
  const exact = new Set(h.paths.filter((p) => p.matcher.kind === 'Exact').map((p) => p.matcher.path));
  let root = false;
  for (const { matcher, route } of h.paths) {
    if (matcher.kind === 'Prefix' && matcher.path === '') {
      out.push(`location / { ${pass(route)} }`);
      root = true;
      continue;
    }
    if (!SAFE_PATH.test(matcher.path)) {
      problems.push(`${route.ingress}: path ${JSON.stringify(matcher.path)} of host ${JSON.stringify(h.host || '*')} cannot be served (not an absolute path of URL characters)`);
      continue;
    }
    if (matcher.kind === 'Exact' || !exact.has(matcher.path)) out.push(`location = ${q(matcher.path)} { ${pass(route)} }`);
    if (matcher.kind === 'Prefix') out.push(`location ${q(`${matcher.path}/`)} { ${pass(route)} }`);
  }
  if (!root) out.push(h.fallback ? `location / { ${pass(h.fallback)} }` : `location / { default_type text/html; return 404 ${page(404, 'Not Found')}; }`);
  return out;
}

const indent = (lines: string[], n: number): string => lines.map((l) => `${' '.repeat(n)}${l}`).join('\n');

/** The whole nginx.conf for a table whose certificates are PEM file paths (certificate then key). */
export function renderConf(table: RouteTable<string>, o: ConfOptions): { text: string; problems: string[] } {
  const problems: string[] = [];
  const { dir, defaultCert, endpoints, emptySocket, failedSocket, pid } = o.paths;
  const pools = table.pools();
  const names = new Map(pools.map((p, i) => [p.key, `tb_${i}`]));
  const upstream = (r: Route): string => names.get(r.pool.key) ?? 'tb_missing';
  const upstreams = pools.map((p) =>
    indent(
      [
        `upstream ${upstream({ pool: p, ingress: '' })} {`,
        `  # ${p.key}`,
        '  server 0.0.0.1:1; # placeholder: the balancer picks the peer',
        `  balancer_by_lua_block { require("${LUA_MODULE}").balance(${JSON.stringify(p.key)}) }`,
        '  keepalive 320;',
        '  keepalive_timeout 60s;',
        '  keepalive_requests 10000;',
        '}',
      ],
      2,
    ),
  );
  const servers: string[] = [];
  for (const h of table.layout()) {
    if (h.host && !SAFE_HOST.test(h.host)) {
      problems.push(`host ${JSON.stringify(h.host)} cannot be served (not a DNS name)`);
      continue;
    }
    const cert = h.host ? table.tlsFor(h.host) : undefined;
    const lines = [
      ...listens(o, h.host ? '' : ' default_server'),
      `server_name ${serverName(h.host)};`,
      ...(cert ? [`ssl_certificate ${q(cert)};`, `ssl_certificate_key ${q(cert)};`] : []),
      ...locations(h, upstream, problems),
    ];
    servers.push(`  server {\n${indent(lines, 4)}\n  }`);
  }
  const temp = (name: string): string => `${name}_temp_path ${q(`${dir}/temp/${name}`)};`;
  const text = `# Written by the Tugboat ingress controller (src/agent/ingress/nginx/conf.ts); rewritten on change.
load_module ${MODULES_DIR}/ndk_http_module.so;
load_module ${MODULES_DIR}/ngx_http_lua_module.so;
${o.user ? `user ${o.user};\n` : ''}worker_processes auto;
worker_shutdown_timeout 240s;
daemon off;
pid ${q(pid)};
error_log stderr warn;
events {
  worker_connections 16384;
  multi_accept on;
}
http {
  access_log off;
  server_tokens off;
  ${temp('client_body')}
  ${temp('proxy')}
  ${temp('fastcgi')}
  ${temp('uwsgi')}
  ${temp('scgi')}
  lua_package_path ${q(`${dir}/lua/?.lua;;`)};
  init_worker_by_lua_block { require("${LUA_MODULE}").start(${JSON.stringify(endpoints)}, ${JSON.stringify(`unix:${emptySocket}`)}, ${JSON.stringify(`unix:${failedSocket}`)}) }
  keepalive_timeout 75s;
  keepalive_requests 1000;
  client_max_body_size 0;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache shared:tugboat_ssl:10m;
  ssl_certificate ${q(defaultCert)};
  ssl_certificate_key ${q(defaultCert)};
  map $http_upgrade $tugboat_connection {
    default upgrade;
    "" "";
  }
  proxy_http_version 1.1;
  # HTTP/1.0 clients may send no Host; the backend then gets the server name.
  map $http_host $tugboat_host {
    default $http_host;
    "" $host;
  }
  proxy_set_header Host $tugboat_host;
  proxy_set_header Upgrade $http_upgrade;
  proxy_set_header Connection $tugboat_connection;
  proxy_set_header X-Real-IP $remote_addr;
  proxy_set_header X-Forwarded-For $remote_addr;
  proxy_set_header X-Forwarded-Host $tugboat_host;
  proxy_set_header X-Forwarded-Port $server_port;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_connect_timeout 5s;
  proxy_read_timeout 60s;
  proxy_send_timeout 60s;
  proxy_buffering off;
  proxy_request_buffering off;
  proxy_next_upstream error timeout;
  proxy_next_upstream_tries 3;
${upstreams.join('\n')}
  server {
    # Where the balancer sends requests for pools without ready endpoints.
    listen ${q(`unix:${emptySocket}`)};
    location / { default_type text/html; return 503 ${page(503, 'Service Unavailable')}; }
  }
  server {
    # Where the balancer sends a request that must not be retried after its connection failed.
    listen ${q(`unix:${failedSocket}`)};
    location / { default_type text/html; return 502 ${page(502, 'Bad Gateway')}; }
  }
${servers.join('\n')}
}
`;
  return { text, problems };
}
