// Leader election on a coordination.k8s.io Lease, so that of several `tug server` processes
// sharing one datastore only one runs the controllers and the scheduler. The leader renews the
// Lease every retry period; a candidate takes it over once it has seen no renewal for a whole
// lease duration (measured on its own clock from when it last saw the record change, so clock
// skew between machines does not matter). A leader that cannot renew within the renew deadline
// steps down.
import type { ApiObject } from '../api/kind.js';
import { leaseKind } from '../api/refs/index.js';
import { StatusError } from '../lib/errors.js';
import { realSleeper, type Sleeper } from '../lib/backoff.js';
import type { Client } from './client.js';

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  now?: () => number;
  sleeper?: Sleeper;
  onError?(err: unknown): void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = ApiObject & { spec?: LeaseSpec };

const microTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');

export class LeaderElector {
  private observed = '';
  private observedAt = 0;
  private readonly now: () => number;

  constructor(
    private readonly client: Client,
    private readonly o: LeaderElectionOptions,
  ) {
    this.now = o.now ?? Date.now;
  }

  private get durationMs(): number {
    return (this.o.leaseDurationSeconds ?? 10) * 1000;
  }

  /**
   * Campaigns until elected, then calls `lead` with a signal that aborts when leadership is lost
   * (or `signal` aborts). Returns when `signal` aborts; after losing, it campaigns again.
   */
  async run(signal: AbortSignal, lead: (leading: AbortSignal) => void): Promise<void> {
    const sleeper = this.o.sleeper ?? realSleeper;
    const retry = this.o.retryPeriodMs ?? 2000;
    while (!signal.aborted) {
      if (!(await this.tryAcquireOrRenew())) {
        await sleeper.sleep(retry, signal);
        continue;
      }
      const term = new AbortController();
      const onAbort = (): void => term.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      lead(term.signal);
      let lastRenew = this.now();
      while (!signal.aborted) {
        await sleeper.sleep(retry, signal);
        if (signal.aborted) break;
        if (await this.tryAcquireOrRenew()) lastRenew = this.now();
        else if (this.now() - lastRenew > (this.o.renewDeadlineMs ?? 7000)) break;
      }
      signal.removeEventListener('abort', onAbort);
      term.abort();
      if (!signal.aborted) await this.release().catch((e: unknown) => this.o.onError?.(e));
    }
    await this.release().catch(() => undefined);
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    try {
      const now = this.now();
      let lease: Lease | undefined;
      try {
        lease = await this.client.get<Lease>(leaseKind, this.o.namespace, this.o.name);
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
      }
      const mine: LeaseSpec = { holderIdentity: this.o.identity, leaseDurationSeconds: this.durationMs / 1000, renewTime: microTime(now) };
      if (!lease) {
        await this.client.create<Lease>(leaseKind, this.o.namespace, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.o.name, namespace: this.o.namespace },
          spec: { ...mine, acquireTime: microTime(now), leaseTransitions: 0 },
        });
        return true;
      }
      const spec = lease.spec ?? {};
      const record = JSON.stringify(spec);
      if (record !== this.observed) {
        this.observed = record;
        this.observedAt = now;
      }
      const held = spec.holderIdentity && spec.holderIdentity !== this.o.identity;
      if (held && now - this.observedAt < (spec.leaseDurationSeconds ?? 10) * 1000) return false;
      const next: LeaseSpec =
        spec.holderIdentity === this.o.identity
          ? { ...spec, ...mine }
          : { ...mine, acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 };
      const updated = await this.client.update<Lease>(leaseKind, this.o.namespace, { ...lease, spec: next });
      this.observed = JSON.stringify(updated.spec ?? {});
      this.observedAt = now;
      return true;
    } catch (err) {
      if (!(err instanceof StatusError && (err.reason === 'Conflict' || err.reason === 'AlreadyExists'))) this.o.onError?.(err);
      return false;
    }
  }

  /** Gives the lease up so a standby need not wait a whole lease duration. */
  private async release(): Promise<void> {
    const lease = await this.client.get<Lease>(leaseKind, this.o.namespace, this.o.name);
    if (lease.spec?.holderIdentity !== this.o.identity) return;
    await this.client.update<Lease>(leaseKind, this.o.namespace, {
      ...lease,
      spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.now()) },
    });
  }
}
