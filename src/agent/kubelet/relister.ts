// For runtimes without container events (containerd 1.6 does not implement CRI's
// GetContainerEvents), the pod lifecycle event generator Kubernetes' kubelet calls PLEG: every
// second, one listing of all sandboxes and containers, compared with the previous one, and a sync
// for each pod whose sandboxes or containers appeared, vanished or changed state. Pods that did
// not change cost nothing until their periodic resync.
import type { Clock } from '../../lib/workqueue.js';
import type { Runtime } from '../cri/index.js';
import { POD_UID_LABEL } from './pod-config.js';

export class Relister {
  private last = new Map<string, string>();

  constructor(private readonly d: { runtime: Runtime; clock: Clock; periodMs: number; onChange(uid: string): void; log(msg: string): void }) {}

  /** The pods whose runtime state differs from the last listing. */
  async relist(): Promise<string[]> {
    const [sandboxes, containers] = await Promise.all([this.d.runtime.listPodSandbox(), this.d.runtime.listContainers()]);
    const parts = new Map<string, string[]>();
    const add = (uid: string | undefined, part: string): void => {
      if (!uid) return;
      let list = parts.get(uid);
      if (!list) parts.set(uid, (list = []));
      list.push(part);
    };
    for (const s of sandboxes) add(s.labels[POD_UID_LABEL], `s/${s.id}/${s.state}`);
    for (const c of containers) add(c.labels[POD_UID_LABEL], `c/${c.id}/${c.state}`);
    const now = new Map([...parts].map(([uid, list]) => [uid, list.sort().join(',')] as const));
    const changed = [...now].filter(([uid, fp]) => this.last.get(uid) !== fp).map(([uid]) => uid);
    for (const uid of this.last.keys()) if (!now.has(uid)) changed.push(uid);
    this.last = now;
    return changed;
  }

  start(signal: AbortSignal): void {
    let timer: { cancel(): void } | undefined;
    const tick = (): void => {
      this.relist()
        .then((uids) => uids.forEach((uid) => this.d.onChange(uid)))
        .catch((err: unknown) => this.d.log(`relisting the runtime failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          if (!signal.aborted) timer = this.d.clock.setTimeout(tick, this.d.periodMs);
        });
    };
    timer = this.d.clock.setTimeout(tick, this.d.periodMs);
    signal.addEventListener('abort', () => timer?.cancel(), { once: true });
  }
}
