// The node's service proxy (kube-proxy's job): watches Services and EndpointSlices through the
// shared informers and keeps one nftables table, `inet tugboat-proxy_<node>`, equal to what they
// describe. Every change marks the state dirty; a single loop re-renders the whole ruleset and
// applies the difference in one `nft -f` transaction, at most once per `minSyncIntervalMs`
// (bursts of events coalesce into one sync). The kernel applies each transaction entirely or not
// at all. The whole table is rewritten at start (after reading what a previous agent left, so
// rules are re-synced after a restart and traffic keeps flowing while the agent is down), at
// every periodic resync and after any failure; in between only the objects that changed are
// (see script.ts). `cleanup()` removes the table (`tug down`).
import { performance } from 'node:perf_hooks';
import type { Client, InformerFactory, Informer } from '../../client/index.js';
import type { Service } from '../../api/core/v1/index.js';
import { serviceKind, endpointSliceKind } from '../../api/refs/index.js';
import type { EndpointSlice } from '../../api/discovery/v1/index.js';
import type { ApiObject } from '../../api/kind.js';
import { Backoff, realSleeper } from '../../lib/backoff.js';
import { buildModel } from './model.js';
import { renderRuleset, type NftObject, type RulesetOptions } from './ruleset.js';
import { checkName, diffScript, replaceScript, syncScript, type ExistingObjects } from './script.js';
import { Nft, type CommandRunner } from './nft.js';
import { run } from '../network/index.js';

/**
 * The node network's table is `tugboat-<node>`; node names never contain '_', so no node's
 * network table can be another node's proxy table (with '-', node `proxy-a` and node `a` would
 * share one).
 */
export const TABLE_PREFIX = 'tugboat-proxy_';
export const DEFAULT_CLUSTER_CIDR = '10.42.0.0/16';

export function proxyTableName(nodeName: string): string {
  return checkName(`${TABLE_PREFIX}${nodeName}`);
}

export interface ServiceProxyOptions {
  client: Client;
  informers: InformerFactory;
  nodeName: string;
  log(msg: string): void;
  /** nftables table (family inet); default `tugboat-proxy_<nodeName>`. */
  tableName?: string;
  /** Addresses that serve NodePorts; empty = every local address except loopback. */
  nodeIps: string[];
  /** Cluster pod CIDR: sources outside it reaching cluster IPs are masqueraded. Default 10.42.0.0/16; '' never. */
  clusterCIDR?: string;
  /** Masquerade all cluster-IP traffic, pods' too. */
  masqueradeAll?: boolean;
  /** Named network namespace the rules belong in (the node is a namespace); default: this one. */
  netns?: string;
  /** Runs `nft`/`ip`; default spawns them. */
  run?: CommandRunner;
  /** Least time between two syncs; changes in between coalesce (default 100 ms). */
  minSyncIntervalMs?: number;
  /** Re-read the kernel's table and re-apply everything this often, even without changes (default 5 min; 0 never). */
  resyncIntervalMs?: number;
}

export interface SyncStats {
  /** Successful syncs that reached the kernel. */
  applied: number;
  /** Milliseconds the last applied sync took (render + nft). */
  lastSyncMs: number;
  /** Whether the last sync rewrote the whole table (else it changed only what differed). */
  lastSyncFull: boolean;
  servicePorts: number;
  endpoints: number;
  lastError: string;
}

type SliceObj = EndpointSlice & ApiObject;
type ServiceObj = Service & ApiObject;

const namesOf = (objects: readonly NftObject[]): ExistingObjects => ({
  chains: new Set(objects.filter((o) => o.kind === 'chain').map((o) => o.name)),
  sets: new Set(objects.filter((o) => o.kind === 'set').map((o) => o.name)),
  maps: new Set(objects.filter((o) => o.kind === 'map').map((o) => o.name)),
});

export class ServiceProxy {
  readonly ready: Promise<void>;
  readonly table: string;
  readonly stats: SyncStats = { applied: 0, lastSyncMs: 0, lastSyncFull: false, servicePorts: 0, endpoints: 0, lastError: '' };
  private readonly nft: Nft;
  private readonly runCmd: CommandRunner;
  private readonly services: Informer<ServiceObj>;
  private readonly slices: Informer<SliceObj>;
  private readonly rules: RulesetOptions;
  /**
   * What the kernel's table holds: the names in it (undefined: no table) and, after our own
   * apply, exactly the objects applied. `null` = unknown; read the table before the next sync.
   */
  private known: { existing: ExistingObjects | undefined; applied?: NftObject[] } | null = null;
  private dirty = true;
  private wake: (() => void) | undefined;
  private markReady!: () => void;
  private failReady!: (err: Error) => void;

  constructor(private readonly o: ServiceProxyOptions) {
    this.table = o.tableName ? checkName(o.tableName) : proxyTableName(o.nodeName);
    this.runCmd = o.run ?? run;
    this.nft = new Nft({ ...(o.netns ? { netns: o.netns } : {}), run: this.runCmd });
    this.rules = { nodeIps: o.nodeIps, clusterCIDR: o.clusterCIDR ?? DEFAULT_CLUSTER_CIDR, masqueradeAll: o.masqueradeAll ?? false };
    this.services = o.informers.for<ServiceObj>(serviceKind);
    this.slices = o.informers.for<SliceObj>(endpointSliceKind);
    const changed = (): void => this.changed();
    for (const inf of [this.services, this.slices] as Informer[]) inf.addHandlers({ onAdd: changed, onUpdate: (a, b) => a !== b && changed(), onDelete: changed });
    this.ready = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // A caller that never awaits `ready` must not crash the process when run() stops early.
    this.ready.catch(() => undefined);
  }

  /**
   * Syncs until the signal aborts; the informer factory is started by the caller. The table is
   * left in place on abort, so Services keep working while the agent restarts.
   */
  async run(signal: AbortSignal): Promise<void> {
    const aborted = new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
    await Promise.race([Promise.all([this.services.synced, this.slices.synced]), aborted]);
    await this.warnWithoutBridgeNetfilter();
    const minGap = this.o.minSyncIntervalMs ?? 100;
    const resyncMs = this.o.resyncIntervalMs ?? 300_000;
    const backoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
    let last = -Infinity;
    let nextResync = performance.now() + resyncMs;
    while (!signal.aborted) {
      if (!this.dirty) {
        await this.waitForChange(signal, resyncMs > 0 ? nextResync - performance.now() : undefined);
        if (signal.aborted) break;
      }
      const gap = last + minGap - performance.now();
      if (gap > 0) await realSleeper.sleep(gap, signal);
      if (signal.aborted) break;
      const force = resyncMs > 0 && performance.now() >= nextResync;
      if (force) {
        nextResync = performance.now() + resyncMs;
        this.known = null;
      }
      this.dirty = false;
      last = performance.now();
      try {
        await this.sync({ force });
        backoff.reset();
        this.markReady();
      } catch (err) {
        this.stats.lastError = err instanceof Error ? err.message : String(err);
        this.o.log(`proxy: sync of table ${this.table} failed, retrying: ${this.stats.lastError}`);
        this.known = null;
        this.dirty = true;
        await backoff.wait(signal);
      }
    }
    if (this.stats.applied === 0) this.failReady(new Error(`proxy stopped before table ${this.table} was first synced`));
  }

  /** Deletes the table (`tug down`), after run() has ended; safe when it does not exist. */
  async cleanup(): Promise<void> {
    await this.nft.deleteTable(this.table);
    this.known = { existing: undefined };
  }

  private changed(): void {
    this.dirty = true;
    this.wake?.();
  }

  private waitForChange(signal: AbortSignal, timeoutMs: number | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, Math.max(0, timeoutMs));
      function done(): void {
        if (timer) clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    }).finally(() => (this.wake = undefined));
  }

  /** Renders the ruleset from the caches and applies what the kernel does not have yet. */
  private async sync(o: { force: boolean }): Promise<void> {
    const t0 = performance.now();
    const model = buildModel({ services: this.services.store.list(), slices: this.slices.store.list(), nodeName: this.o.nodeName });
    const objects = renderRuleset(model, this.rules);
    const applied = !o.force ? this.known?.applied : undefined;
    const partial = applied ? diffScript({ table: this.table, objects, previous: applied }) : undefined;
    if (partial === '') return;
    let full = partial === undefined;
    if (partial !== undefined) {
      try {
        await this.nft.apply(partial);
      } catch (err) {
        this.o.log(`proxy: partial update of table ${this.table} failed (${err instanceof Error ? err.message : String(err)}); rewriting it whole`);
        this.known = null;
        full = true;
      }
    }
    if (full) await this.fullSync(objects);
    this.known = { existing: namesOf(objects), applied: objects };
    const first = this.stats.applied === 0;
    this.stats.applied += 1;
    this.stats.lastSyncMs = performance.now() - t0;
    this.stats.lastSyncFull = full;
    this.stats.servicePorts = model.length;
    this.stats.endpoints = model.reduce((n, sp) => n + sp.endpoints.length, 0);
    this.stats.lastError = '';
    if (first) this.o.log(`proxy: table ${this.table} in sync: ${model.length} service ports, ${this.stats.endpoints} endpoints (${this.stats.lastSyncMs.toFixed(0)} ms)`);
  }

  /** Rewrites every object of the table, reading first what it holds if that is not known. */
  private async fullSync(objects: NftObject[]): Promise<void> {
    this.known ??= { existing: await this.nft.existing(this.table) };
    try {
      await this.nft.apply(syncScript({ table: this.table, objects, existing: this.known.existing }));
    } catch (err) {
      // Something else changed the table under us (or an older layout is in the way): start over.
      this.o.log(`proxy: updating table ${this.table} failed (${err instanceof Error ? err.message : String(err)}); replacing it, which resets session affinity`);
      this.known = null;
      await this.nft.apply(replaceScript({ table: this.table, objects }));
    }
  }

  /** Pods on one bridge reach each other's Services only if bridged traffic passes netfilter. */
  private async warnWithoutBridgeNetfilter(): Promise<void> {
    const file = '/proc/sys/net/bridge/bridge-nf-call-iptables';
    const r = this.o.netns ? await this.runCmd('ip', ['netns', 'exec', this.o.netns, 'cat', file]) : await this.runCmd('cat', [file]);
    const value = r.code === 0 ? r.stdout.trim() : '';
    if (value !== '1') this.o.log(`proxy: ${file} is ${value || 'missing (br_netfilter not loaded)'}; replies between pods on one bridge will bypass Service NAT`);
  }
}
