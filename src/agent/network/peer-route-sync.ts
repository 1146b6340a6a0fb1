// Keeps a node's routes to its peers' pod CIDRs in step with the cluster: a Node informer (all
// Nodes, not just this one) enqueues one key on any change, and one idempotent sync reads every
// Node's spec.podCIDR and InternalIP from the cache and hands the full peer list to the node's
// PodNetwork, which installs them through its PeerRoutes. A failed sync is retried with
// back-off. Runs until the signal aborts.
import type { Node } from '../../api/core/v1/index.js';
import { nodeKind } from '../../api/refs/index.js';
import { Informer, type Client } from '../../client/index.js';
import { WorkQueue } from '../../lib/workqueue.js';
import type { Peer } from './routes.js';

/** What the sync needs of the node network: PodNetwork provides it. */
export interface PeerRouteTarget {
  syncPeers(peers: Peer[]): Promise<void>;
}

export interface PeerRouteSyncOptions {
  client: Client;
  network: PeerRouteTarget;
  log(msg: string): void;
}

const KEY = 'peers';

/** Every Node with a pod CIDR and an InternalIP, as a peer. */
export function peersOf(nodes: Node[]): Peer[] {
  const out: Peer[] = [];
  for (const n of nodes) {
    const nodeName = n.metadata?.name ?? '';
    const podCIDR = n.spec?.podCIDR ?? '';
    const nodeIP = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    if (nodeName && podCIDR && nodeIP) out.push({ nodeName, podCIDR, nodeIP });
  }
  return out;
}

export async function runPeerRouteSync(o: PeerRouteSyncOptions, signal: AbortSignal): Promise<void> {
  const nodes = new Informer<Node>(o.client, nodeKind, { onError: (e) => o.log(`peer routes: node informer: ${String(e)}`) });
  const queue = new WorkQueue({ baseDelayMs: 200, maxDelayMs: 30_000 });
  const enqueue = (): void => queue.add(KEY);
  nodes.addHandlers({ onAdd: enqueue, onUpdate: enqueue, onDelete: enqueue });
  signal.addEventListener('abort', () => queue.shutDown(), { once: true });
  if (signal.aborted) return;
  nodes.start(signal);
  for (;;) {
    const key = await queue.get();
    if (key === undefined) return;
    try {
      await o.network.syncPeers(peersOf(nodes.store.list()));
      queue.forget(key);
    } catch (err) {
      o.log(`peer routes: ${err instanceof Error ? err.message : String(err)}`);
      queue.addRateLimited(key);
    } finally {
      queue.done(key);
    }
  }
}
