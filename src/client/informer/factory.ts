// Shares one informer per kind among all the components of a process (controllers, scheduler),
// so each kind is listed and watched once however many controllers read it.
import type { ApiObject, KindRef } from '../../api/kind.js';
import type { Client } from '../client.js';
import { Informer, type InformerOptions } from './informer.js';

export class InformerFactory {
  private readonly informers = new Map<string, Informer>();
  private started: AbortSignal | undefined;

  constructor(
    private readonly client: Client,
    private readonly opts: Omit<InformerOptions, 'namespace' | 'labelSelector' | 'fieldSelector'> = {},
  ) {}

  for<T extends ApiObject = ApiObject>(kind: KindRef): Informer<T> {
    const id = `${kind.group}/${kind.plural}`;
    let inf = this.informers.get(id);
    if (!inf) {
      inf = new Informer(this.client, kind, this.opts);
      this.informers.set(id, inf);
      if (this.started) inf.start(this.started);
    }
    return inf as unknown as Informer<T>;
  }

  /** Starts every informer created so far and any created later. */
  start(signal: AbortSignal): void {
    this.started = signal;
    for (const inf of this.informers.values()) inf.start(signal);
  }

  /** Resolves once every informer created so far has listed. */
  async synced(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.synced));
  }
}
