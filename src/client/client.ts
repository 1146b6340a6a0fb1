// The Client interface every component uses to talk to the API (controllers, scheduler, agent,
// CLI): typed by the kind definitions in src/api, so the same code reads `client.get(podKind,
// ns, name)` whatever the transport. The HTTP implementation lives in http/; errors are the
// StatusError family from src/lib, rebuilt from the server's Status bodies.
import type { ApiObject, KindRef } from '../api/kind.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  signal: AbortSignal;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T extends ApiObject = ApiObject> {
  type: WatchEventType;
  object: T;
}

export interface ObjectList<T extends ApiObject = ApiObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
  /** Write a subresource instead of the main resource, e.g. `status`. */
  subresource?: string;
}

export type PatchType = 'json' | 'merge' | 'strategic';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface Client {
  get<T extends ApiObject = ApiObject>(kind: KindRef, namespace: string | undefined, name: string): Promise<T>;
  list<T extends ApiObject = ApiObject>(kind: KindRef, namespace: string | undefined, opts?: ListOptions): Promise<ObjectList<T>>;
  /**
   * Streams events to `onEvent` until the server ends the watch, the signal aborts (both resolve)
   * or the connection fails (rejects). A 410 arrives as an ERROR event, as from Kubernetes.
   */
  watch<T extends ApiObject = ApiObject>(kind: KindRef, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Promise<void>;
  create<T extends ApiObject = ApiObject>(kind: KindRef, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T>;
  update<T extends ApiObject = ApiObject>(kind: KindRef, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T>;
  patch<T extends ApiObject = ApiObject>(
    kind: KindRef,
    namespace: string | undefined,
    name: string,
    patch: { type: PatchType; body: unknown },
    opts?: WriteOptions,
  ): Promise<T>;
  /**
   * Returns the object when the server answers with it — deletion only started (finalizers,
   * graceful pods), or a kind that returns what it deleted (pods, services, namespaces) — and
   * undefined when it answers with a Status. Check `metadata.deletionTimestamp` to tell.
   */
  delete<T extends ApiObject = ApiObject>(kind: KindRef, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<T | undefined>;
  /** POST to a subresource such as pods/binding or pods/eviction. */
  createSubresource<R = unknown>(kind: KindRef, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<R>;
}
