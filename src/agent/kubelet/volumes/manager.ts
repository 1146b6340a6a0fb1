// Sets up and tears down the volumes of the pods of one node. Every pod sync calls `setUp`, which
// is idempotent and cheap when nothing changed (directories exist, tmpfs is mounted, projected
// data is compared in memory before touching the disk), so projected ConfigMaps, Secrets, labels
// and tokens follow their sources on the kubelet's regular resyncs; changes of a referenced object
// also trigger a sync at once through `podsReferencing`. `tearDown` unmounts a removed pod's tmpfs
// volumes and deletes its directory; data of claims and hostPaths lives elsewhere and stays.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from '../../../api/core/v1/index.js';
import type { PodAddresses } from '../env/index.js';
import { AtomicWriter } from './atomic-writer.js';
import { mountPoints } from './mounter.js';
import { volumePlugins } from './plugins.js';
import type { TokenManager } from './tokens.js';
import { type MountedVolume, type Mounter, type VolumeContext, type VolumeObjects, type VolumePlugin } from './types.js';

export interface VolumeManagerDeps {
  /** Pod directories live in `<dataDir>/pods/<uid>`. */
  dataDir: string;
  objects: VolumeObjects;
  tokens: TokenManager;
  mounter: Mounter;
  caCertPem: string;
}

export interface VolumeFailure {
  volume: string;
  message: string;
}

export interface SetUpResult {
  volumes: Map<string, MountedVolume>;
  failures: VolumeFailure[];
}

export class VolumeManager {
  private readonly writer = new AtomicWriter();
  private readonly plugins: VolumePlugin[];
  /** `kind/namespace/name` → uids of pods whose volumes read that object. */
  private readonly refs = new Map<string, Set<string>>();
  /** Volumes set up once and not refreshed, by pod uid then volume name. */
  private readonly settled = new Map<string, Map<string, MountedVolume>>();
  /** tmpfs mounts made, so syncs do not re-read the mount table. */
  private readonly tmpfs = new Set<string>();
  private readonly mounter: Mounter;

  constructor(private readonly d: VolumeManagerDeps) {
    this.plugins = volumePlugins(this.writer);
    this.mounter = {
      mountTmpfs: async (dir, o) => {
        if (this.tmpfs.has(dir)) return;
        await d.mounter.mountTmpfs(dir, o);
        this.tmpfs.add(dir);
      },
      unmountAll: (dir) => d.mounter.unmountAll(dir),
    };
  }

  podDir(uid: string): string {
    return join(this.d.dataDir, 'pods', uid);
  }

  /** Makes every volume of the pod ready; the ones that cannot be are listed in `failures`. */
  async setUp(pod: Pod, o: { addresses: PodAddresses; allocatable: Record<string, string> }): Promise<SetUpResult> {
    const uid = pod.metadata?.uid ?? '';
    const podDir = this.podDir(uid);
    const ctx: VolumeContext = {
      pod,
      podDir,
      objects: this.d.objects,
      tokens: this.d.tokens,
      mounter: this.mounter,
      addresses: o.addresses,
      allocatable: o.allocatable,
      caCertPem: this.d.caCertPem,
    };
    const volumes = new Map<string, MountedVolume>();
    const failures: VolumeFailure[] = [];
    let settled = this.settled.get(uid);
    if (!settled) this.settled.set(uid, (settled = new Map()));
    for (const v of pod.spec?.volumes ?? []) {
      const done = settled.get(v.name);
      if (done) {
        volumes.set(v.name, done);
        continue;
      }
      const plugin = this.plugins.find((p) => p.handles(v));
      if (!plugin) {
        failures.push({ volume: v.name, message: 'volume type is not supported by this node' });
        continue;
      }
      for (const ref of plugin.references?.(pod, v) ?? []) {
        let set = this.refs.get(ref);
        if (!set) this.refs.set(ref, (set = new Set()));
        set.add(uid);
      }
      try {
        const mounted = await plugin.setUp(ctx, v, join(podDir, 'volumes', plugin.name, v.name));
        volumes.set(v.name, mounted);
        if (!plugin.refreshes) settled.set(v.name, mounted);
      } catch (err) {
        failures.push({ volume: v.name, message: err instanceof Error ? err.message : String(err) });
      }
    }
    return { volumes, failures };
  }

  /** Pods whose volumes read the given object. */
  podsReferencing(kind: string, namespace: string, name: string): string[] {
    return [...(this.refs.get(`${kind}/${namespace}/${name}`) ?? [])];
  }

  /** Unmounts and deletes a pod's directory (its volumes, hosts file, logs stay elsewhere). */
  async tearDown(uid: string): Promise<void> {
    const dir = this.podDir(uid);
    await this.d.mounter.unmountAll(dir);
    // Never delete through something still mounted: that would reach into whatever it shows.
    const left = (await mountPoints()).filter((p) => p === dir || p.startsWith(`${dir}/`));
    if (left.length > 0) throw new Error(`cannot remove ${dir}: still mounted: ${left.join(', ')}`);
    await rm(dir, { recursive: true, force: true });
    this.writer.forget(dir);
    this.d.tokens.forget(uid);
    this.settled.delete(uid);
    for (const m of this.tmpfs) if (m.startsWith(`${dir}/`)) this.tmpfs.delete(m);
    for (const [ref, set] of this.refs) {
      set.delete(uid);
      if (set.size === 0) this.refs.delete(ref);
    }
  }

  /** Tears down the directories of pods that are no longer this node's (after a restart). */
  async cleanupOrphans(keep: ReadonlySet<string>): Promise<string[]> {
    const uids = await readdir(join(this.d.dataDir, 'pods')).catch(() => [] as string[]);
    const orphans = uids.filter((u) => !keep.has(u));
    for (const uid of orphans) await this.tearDown(uid);
    return orphans;
  }
}
