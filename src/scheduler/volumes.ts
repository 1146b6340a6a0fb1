// The VolumeLister plugins use, over the shared informers for PersistentVolumeClaims,
// PersistentVolumes and StorageClasses; waiting for a claim to be bound is event-driven (claim
// updates wake the waiters) rather than polled.
import type { PersistentVolume, PersistentVolumeClaim } from '../api/core/v1/index.js';
import type { StorageClass } from '../api/storage/v1/index.js';
import type { Informer } from '../client/index.js';
import type { VolumeLister, WaitOptions } from './framework/types.js';

const isBound = (c: PersistentVolumeClaim | undefined): boolean => !!c?.spec?.volumeName && c.status?.phase === 'Bound';

export class InformerVolumes implements VolumeLister {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly claims: Informer<PersistentVolumeClaim>,
    private readonly volumes: Informer<PersistentVolume>,
    private readonly classes: Informer<StorageClass>,
  ) {}

  /** Call with every claim the informer adds or updates. */
  claimChanged(c: PersistentVolumeClaim): void {
    const key = `${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`;
    if (!isBound(c)) return;
    const ws = this.waiters.get(key);
    if (!ws) return;
    this.waiters.delete(key);
    for (const w of ws) w();
  }

  claim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.claims.store.get(namespace, name);
  }

  volume(name: string): PersistentVolume | undefined {
    return this.volumes.store.get(undefined, name);
  }

  storageClass(name: string): StorageClass | undefined {
    return this.classes.store.get(undefined, name);
  }

  waitForBound(namespace: string, name: string, { signal, timeoutMs }: WaitOptions): Promise<void> {
    if (isBound(this.claim(namespace, name))) return Promise.resolve();
    const key = `${namespace}/${name}`;
    return new Promise((resolve, reject) => {
      let ws = this.waiters.get(key);
      if (!ws) this.waiters.set(key, (ws = new Set()));
      const set = ws;
      const stop = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onGiveUp);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
      };
      const onGiveUp = (): void => {
        stop();
        reject(new Error(`timed out waiting for persistentvolumeclaim "${name}" to be bound`));
      };
      const done = (): void => {
        stop();
        resolve();
      };
      const timer = setTimeout(onGiveUp, timeoutMs);
      if (signal.aborted) return onGiveUp();
      signal.addEventListener('abort', onGiveUp, { once: true });
      set.add(done);
    });
  }
}
