// The peer the ingress benchmark compares against: Debian's nginx configured by hand as a plain
// reverse proxy to the same endpoints — an upstream of the endpoint addresses with keep-alive
// connections, HTTP/1.1 to the backends, the same forwarding headers the controller sets,
// proxy_next_upstream "error timeout" with 3 tries, response buffering off, no access log. No
// Lua, no Ingress: what a user would write for this one route. It runs in the foreground from a
// private prefix directory and is stopped by its PID.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const NGINX_BIN = '/usr/sbin/nginx';

export interface NginxOptions {
  dir: string;
  port: number;
  serverName: string;
  upstreams: { host: string; port: number }[];
  workers: number | 'auto';
}

export interface RunningNginx {
  pid: number;
  /** The master and its workers, for CPU accounting. */
  pids(): Promise<number[]>;
  stop(): Promise<void>;
}

export function nginxAvailable(): boolean {
  return existsSync(NGINX_BIN) && spawnSync(NGINX_BIN, ['-v']).status === 0;
}

export function nginxVersion(): string {
  const r = spawnSync(NGINX_BIN, ['-v'], { encoding: 'utf8' });
  return (r.stderr || r.stdout).trim().replace(/^nginx version: /, '');
}

function config(o: NginxOptions): string {
  const temp = (name: string): string => `${name}_temp_path ${join(o.dir, `${name}-temp`)};`;
  return `worker_processes ${o.workers};
daemon off;
pid ${join(o.dir, 'nginx.pid')};
error_log ${join(o.dir, 'error.log')} warn;
events {
  worker_connections 16384;
  multi_accept on;
}
http {
  access_log off;
  ${temp('client_body')}
  ${temp('proxy')}
  ${temp('fastcgi')}
  ${temp('uwsgi')}
  ${temp('scgi')}
  keepalive_timeout 75s;
  keepalive_requests 1000;
  upstream default-app-80 {
${o.upstreams.map((u) => `    server ${u.host}:${u.port} max_fails=0;`).join('\n')}
    keepalive 320;
    keepalive_timeout 60s;
    keepalive_requests 10000;
  }
  server {
    listen 127.0.0.1:${o.port};
    server_name ${o.serverName};
    location / {
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-Port $server_port;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 5s;
      proxy_read_timeout 60s;
      proxy_send_timeout 60s;
      proxy_buffering off;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
      proxy_pass http://default-app-80;
    }
  }
}
`;
}

async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(/\s+/).filter(Boolean).map(Number);
}

export async function startNginx(o: NginxOptions): Promise<RunningNginx> {
  await mkdir(o.dir, { recursive: true });
  const conf = join(o.dir, 'nginx.conf');
  await writeFile(conf, config(o));
  const child: ChildProcess = spawn(NGINX_BIN, ['-p', o.dir, '-c', conf, '-e', join(o.dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid ?? 0;
  // Ready once the workers exist (the listening socket is opened by the master before them).
  const deadline = Date.now() + 10_000;
  const want = o.workers === 'auto' ? 1 : o.workers;
  while ((await childrenOf(pid)).length < want) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}${await readFile(join(o.dir, 'error.log'), 'utf8').catch(() => '')}`);
    if (Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid,
    pids: async () => [pid, ...(await childrenOf(pid))],
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
