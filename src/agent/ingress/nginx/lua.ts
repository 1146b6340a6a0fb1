// How endpoint changes reach nginx without a reload. Every upstream nginx.conf declares hands
// the choice of peer to this Lua balancer (Debian's libnginx-mod-http-lua) with its pool key;
// the balancer picks round-robin from the pool's endpoint list, which each worker re-reads from
// the endpoints file whenever the file's first line (a content hash) changes, checked every
// 100 ms. The controller rewrites that file atomically (write, then rename) on every change, so
// scaling a Deployment never restarts workers or closes client connections, and requests in
// flight keep the peer they were given. A pool without endpoints is sent to the plane's own
// 503 server on a unix socket. Retries: nginx calls the balancer again after a connection
// failure (proxy_next_upstream error timeout); the retry takes an endpoint this request has not
// tried yet, at most three per request, for idempotent methods only — a POST whose connection
// failed goes to the plane's 502 server instead (nginx itself would resend it, since nothing
// was sent). The common path touches no nginx variables and allocates nothing per request.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Pool } from '../backends.js';

export const LUA_MODULE = 'tugboat_balancer';

/** The Lua module, written into the plane's directory and found through lua_package_path. */
export const LUA_SOURCE = `-- Written by the Tugboat ingress controller; see src/agent/ingress/nginx/lua.ts.
local balancer = require "ngx.balancer"
local M = {}
local path, empty_peer, failed_peer, version
local pools = {}
local positions = {}
local idempotent = { GET = true, HEAD = true, OPTIONS = true, PUT = true, DELETE = true, TRACE = true }

local function load()
  local f = io.open(path, "r")
  if not f then return end
  local first = f:read("*l")
  if first == nil or first == version then f:close() return end
  local fresh = {}
  for line in f:lines() do
    local key, rest = line:match("^(%S+)(.*)$")
    if key then
      local eps = {}
      for host, port in rest:gmatch("(%S+)|(%d+)") do eps[#eps + 1] = { host, tonumber(port), host .. ":" .. port } end
      fresh[key] = eps
    end
  end
  f:close()
  pools, version = fresh, first
end

function M.start(file, empty, failed)
  path, empty_peer, failed_peer = file, empty, failed
  load()
  local ok, err = ngx.timer.every(0.1, load)
  if not ok then ngx.log(ngx.ERR, "tugboat: endpoint reload timer: ", err) end
end

local function set(host, port, key)
  local ok, err = balancer.set_current_peer(host, port)
  if not ok then ngx.log(ngx.ERR, "tugboat: choosing a peer for ", key, ": ", err) end
end

-- After a failed connection: the next endpoint this request has not tried, for idempotent
-- methods only; otherwise the 502 server. The rare path, so it may read variables.
local function retry(key, eps)
  if not eps or not idempotent[ngx.req.get_method()] then return set(failed_peer, nil, key) end
  local tried = {}
  for addr in (ngx.var.upstream_addr or ""):gmatch("[^%s,]+") do tried[addr] = true end
  local n = #eps
  local start = positions[key] or 0
  for k = 1, n do
    local ep = eps[(start + k - 1) % n + 1]
    if not tried[ep[3]] then return set(ep[1], ep[2], key) end
  end
  set(failed_peer, nil, key)
end

function M.balance(key)
  local eps = pools[key]
  if balancer.get_last_failure() then return retry(key, eps) end
  local n = eps and #eps or 0
  if n == 0 then return set(empty_peer, nil, key) end
  local i = (positions[key] or 0) % n + 1
  positions[key] = i
  if n > 1 then balancer.set_more_tries(n < 3 and n - 1 or 2) end
  local ep = eps[i]
  set(ep[1], ep[2], key)
end

return M
`;

/**
 * The endpoints file: a version line (hash of the rest), then one line per pool —
 * `key host|port host|port…`. Pool keys (`namespace/service:port`) and addresses have no spaces.
 * The balancer takes IP addresses only: a name (an ExternalName pool's) is listed as the
 * addresses `resolve` gives for it, none until it has resolved (the pool answers 503 meanwhile).
 */
export function endpointsFile(pools: readonly Pool[], resolve: (host: string) => readonly string[] = () => []): string {
  const addr = (host: string): string => (isIP(host) === 6 ? `[${host}]` : host);
  const listed = (e: Pool['endpoints'][number]): string[] => (isIP(e.host) ? [e.host] : [...resolve(e.host)].filter((h) => isIP(h))).map((h) => `${addr(h)}|${e.port}`);
  const body = pools.map((p) => [p.key, ...p.endpoints.flatMap(listed)].join(' ')).join('\n');
  return `v${createHash('sha256').update(body).digest('hex').slice(0, 16)}\n${body}\n`;
}
