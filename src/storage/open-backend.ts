// Chooses and opens a storage driver from a data-source name, through one explicit map from
// scheme to driver: `memory://`, `sqlite:///abs/path/state.db` (or a plain file path) and
// `etcd://host:port[,host:port]`. This is the only place that knows the drivers exist. The etcd
// driver is loaded only when an etcd DSN asks for it: its etcd3 / gRPC / protobuf stack is ~9 MB
// of a server's idle memory that a sqlite server never uses.
import { isAbsolute, resolve } from 'node:path';
import type { Backend } from './backend.js';
import { MemoryBackend } from './drivers/memory.js';
import { SqliteBackend } from './drivers/sqlite.js';

export interface OpenBackendOptions {
  /** etcd: prefix for every key, so that several clusters (or tests) can share one etcd. */
  keyPrefix?: string;
  /** sqlite: 'normal' (default) survives a killed process; 'full' also survives power loss. */
  synchronous?: 'normal' | 'full';
}

type DriverFactory = (location: string, opts: OpenBackendOptions) => Backend | Promise<Backend>;

const drivers = {
  memory: () => new MemoryBackend(),
  sqlite: (location, opts) => new SqliteBackend({ path: sqlitePath(location), synchronous: opts.synchronous }),
  etcd: async (location, opts) => {
    const endpoints = etcdEndpoints(location);
    const { EtcdBackend } = await import('./drivers/etcd.js');
    return new EtcdBackend({ endpoints, keyPrefix: opts.keyPrefix });
  },
} satisfies Record<string, DriverFactory>;

export type DriverName = keyof typeof drivers;

/** Opens the store `dsn` names. A DSN without a scheme is the path of a sqlite file. */
export async function openBackend(dsn: string, opts: OpenBackendOptions = {}): Promise<Backend> {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(dsn);
  if (!match) return drivers.sqlite(dsn, opts);
  const scheme = (match[1] as string).toLowerCase();
  if (!Object.hasOwn(drivers, scheme)) {
    throw new Error(`unknown datastore "${scheme}" in ${dsn}; known: ${Object.keys(drivers).join(', ')}`);
  }
  return drivers[scheme as DriverName](match[2] as string, opts);
}

function sqlitePath(location: string): string {
  const path = decodeURIComponent(location);
  if (path === '') throw new Error('sqlite datastore needs a file path, e.g. sqlite:///var/lib/tug/state.db');
  return isAbsolute(path) ? path : resolve(path);
}

function etcdEndpoints(location: string): string[] {
  const hosts = location.replace(/\/+$/, '').split(',').map((h) => h.trim()).filter((h) => h !== '');
  if (hosts.length === 0) throw new Error('etcd datastore needs at least one host:port, e.g. etcd://127.0.0.1:2379');
  for (const host of hosts) {
    if (!/^[^/:]+:\d+$/.test(host) && !/^\[[0-9a-f:]+\]:\d+$/i.test(host)) {
      throw new Error(`etcd endpoint "${host}" is not host:port`);
    }
  }
  return hosts.map((h) => `http://${h}`);
}
