// The node's heartbeat: a Lease named after the node in kube-node-lease, owned by the Node (so it
// goes when the Node goes), renewed every 10 s with a 40 s duration. The node lifecycle controller
// reads renewTime to decide whether the node is alive. Renewals of the many hollow nodes in one
// process are spread over the period by each kubelet's phase; failures retry quickly (200 ms
// doubling to 7 s) so one lost request does not cost a whole period. A renewal landing more than
// 5 s after it was due is logged with where the time went (late timer or slow request).
import type { Lease } from '../../api/coordination/v1/index.js';
import { leaseKind } from '../../api/refs/index.js';
import type { Node } from '../../api/core/v1/index.js';
import type { Client } from '../../client/index.js';
import { StatusError } from '../../lib/errors.js';
import type { Clock } from '../../lib/workqueue.js';
import type { KubeletTiming } from './options.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** A renewal finishing this long after it was due is logged. */
const SLOW_RENEWAL_MS = 5_000;

/** MicroTime: RFC 3339 with microseconds, as Lease times are serialised. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

export interface NodeLeaseDeps {
  client: Client;
  name: string;
  clock: Clock;
  timing: KubeletTiming;
  /** The registered Node, for the owner reference. */
  node(): Node | undefined;
  log(msg: string): void;
}

export class NodeLease {
  private lease: Lease | undefined;

  constructor(private readonly d: NodeLeaseDeps) {}

  private desired(now: number): Lease {
    const node = this.d.node();
    const ownerReferences = node?.metadata?.uid ? [{ apiVersion: 'v1', kind: 'Node', name: this.d.name, uid: node.metadata.uid }] : undefined;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.d.name, namespace: NODE_LEASE_NAMESPACE, ...(ownerReferences ? { ownerReferences } : {}) },
      spec: { holderIdentity: this.d.name, leaseDurationSeconds: this.d.timing.leaseDurationSeconds, renewTime: microTime(now) },
    };
  }

  /** Creates or renews the lease once; throws when the API refuses. */
  async renew(): Promise<void> {
    const { client, clock } = this.d;
    const now = clock.now();
    if (!this.lease) {
      // Creating first saves a request per node when a thousand hollow nodes register at once.
      try {
        this.lease = await client.create<Lease>(leaseKind, NODE_LEASE_NAMESPACE, this.desired(now));
        return;
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
        this.lease = await client.get<Lease>(leaseKind, NODE_LEASE_NAMESPACE, this.d.name);
      }
    }
    const want = this.desired(now);
    const next: Lease = {
      ...this.lease,
      metadata: { ...this.lease.metadata, ...(want.metadata?.ownerReferences ? { ownerReferences: want.metadata.ownerReferences } : {}) },
      spec: { ...this.lease.spec, ...want.spec },
    };
    try {
      this.lease = await client.update<Lease>(leaseKind, NODE_LEASE_NAMESPACE, next);
    } catch (err) {
      // Someone else wrote it (or deleted it): start from the server's copy next time.
      this.lease = undefined;
      throw err;
    }
  }

  start(signal: AbortSignal): void {
    const { clock, timing } = this.d;
    let timer: { cancel(): void } | undefined;
    let failures = 0;
    let first = true;
    let due = clock.now();
    const tick = (): void => {
      const fired = clock.now();
      this.renew()
        .then(
          () => {
            const done = clock.now();
            if (done - due > SLOW_RENEWAL_MS) this.d.log(`node ${this.d.name}: slow lease renewal: timer ${fired - due} ms late, request ${done - fired} ms`);
            failures = 0;
            // Offsetting the first period by the phase spreads renewals that all began together.
            const delay = first ? timing.leaseRenewMs * (1 + timing.phase) : timing.leaseRenewMs;
            first = false;
            due = done + delay;
            if (!signal.aborted) timer = clock.setTimeout(tick, delay);
          },
          (err: unknown) => {
            this.d.log(`node ${this.d.name}: lease renewal failed: ${err instanceof Error ? err.message : String(err)}`);
            const delay = Math.min(7_000, 200 * 2 ** failures);
            failures += 1;
            due = clock.now() + delay;
            if (!signal.aborted) timer = clock.setTimeout(tick, delay);
          },
        );
    };
    tick();
    signal.addEventListener('abort', () => timer?.cancel(), { once: true });
  }
}
