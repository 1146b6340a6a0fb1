// Routes one informer's objects to the kubelet of the node they belong to, so a process hosting
// a thousand hollow nodes lists and watches pods (and nodes) once, with an index by node name,
// instead of opening a thousand watches. A single real node uses the same type over an informer
// already narrowed by a field selector to its own objects.
import type { ApiObject } from '../../api/kind.js';
import type { Informer, InformerHandlers } from '../../client/index.js';

const INDEX = 'tugboat.dev/node-name';

export class NodeScoped<T extends ApiObject> {
  private readonly subscribers = new Map<string, InformerHandlers<T>>();

  constructor(
    private readonly informer: Informer<T>,
    nodeOf: (obj: T) => string,
  ) {
    informer.store.addIndex(INDEX, (o) => [nodeOf(o)]);
    informer.addHandlers({
      onAdd: (o) => this.subscribers.get(nodeOf(o))?.onAdd?.(o),
      onUpdate: (old, o) => {
        const before = nodeOf(old);
        const after = nodeOf(o);
        // Bound pods never move, but an object seen first with another node value is handled as a move.
        if (before !== after) {
          this.subscribers.get(before)?.onDelete?.(old);
          this.subscribers.get(after)?.onAdd?.(o);
        } else {
          this.subscribers.get(after)?.onUpdate?.(old, o);
        }
      },
      onDelete: (o) => this.subscribers.get(nodeOf(o))?.onDelete?.(o),
    });
  }

  /** Resolves once the informer has listed. */
  get synced(): Promise<void> {
    return this.informer.synced;
  }

  /** Delivers the node's objects to `h` (those already known at once, as adds); returns an unsubscribe. */
  subscribe(nodeName: string, h: InformerHandlers<T>): () => void {
    this.subscribers.set(nodeName, h);
    if (this.informer.hasSynced) for (const o of this.list(nodeName)) h.onAdd?.(o);
    return () => {
      if (this.subscribers.get(nodeName) === h) this.subscribers.delete(nodeName);
    };
  }

  list(nodeName: string): T[] {
    return this.informer.store.byIndex(INDEX, nodeName);
  }
}
