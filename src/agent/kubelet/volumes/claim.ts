// persistentVolumeClaim (and generic ephemeral) volumes: the claim must be bound; its
// PersistentVolume's `local` or `hostPath` source names a directory on this node — for the
// local-path provisioner, `<storage root>/pvc-<uid>_<ns>_<name>` — which is created on first
// mount and bound into the pod directly, so the data outlives the pod.
import { chmod, mkdir } from 'node:fs/promises';
import type { Pod } from '../../../api/core/v1/index.js';
import { VolumeError, type VolumePlugin, type Volume } from './types.js';

/** The claim a volume uses: its own for persistentVolumeClaim, `<pod>-<volume>` for ephemeral ones. */
function claimOf(pod: Pod, v: Volume): { name: string; readOnly: boolean } {
  if (v.persistentVolumeClaim) return { name: v.persistentVolumeClaim.claimName, readOnly: v.persistentVolumeClaim.readOnly ?? false };
  return { name: `${pod.metadata?.name ?? ''}-${v.name}`, readOnly: false };
}

export const claimPlugin: VolumePlugin = {
  name: 'kubernetes.io~local-volume',
  refreshes: false,
  handles: (v) => v.persistentVolumeClaim !== undefined || v.ephemeral !== undefined,
  references: (pod, v) => [`persistentvolumeclaims/${pod.metadata?.namespace ?? ''}/${claimOf(pod, v).name}`],
  async setUp(ctx, v, _dir) {
    const ns = ctx.pod.metadata?.namespace ?? '';
    const { name, readOnly } = claimOf(ctx.pod, v);
    const claim = await ctx.objects.claim(ns, name);
    if (!claim) throw new VolumeError(`persistentvolumeclaim "${name}" not found`);
    if (v.ephemeral && !claim.metadata?.ownerReferences?.some((r) => r.uid === ctx.pod.metadata?.uid)) {
      throw new VolumeError(`PVC ${ns}/${name} was not created for pod ${ns}/${ctx.pod.metadata?.name ?? ''} (pod is not owner)`);
    }
    const pvName = claim.spec?.volumeName;
    if (!pvName || claim.status?.phase !== 'Bound') throw new VolumeError(`PVC ${ns}/${name} is not bound`);
    const pv = await ctx.objects.volume(pvName);
    if (!pv) throw new VolumeError(`persistentvolume "${pvName}" not found`);
    const path = pv.spec?.local?.path ?? pv.spec?.hostPath?.path;
    if (!path) throw new VolumeError(`persistentvolume "${pvName}" has no local or hostPath source; only node-local volumes are supported`);
    // World-writable like the local-path provisioner's directories, so any container user can write.
    if (await mkdir(path, { recursive: true })) await chmod(path, 0o777);
    return { hostPath: path, readOnly };
  },
};
