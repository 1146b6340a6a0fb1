// VolumeBinding (lite): a pod's PersistentVolumeClaims must exist; a claim already bound to a
// volume with node affinity (a local volume) restricts the pod to the nodes that volume can be
// reached from; an unbound claim of a WaitForFirstConsumer class is left for later — once a node
// is chosen, PreBind marks the claim with the `volume.kubernetes.io/selected-node` annotation,
// which tells the provisioner where to create the volume, and waits until the claim is bound.
// Unbound claims of other classes must be bound by the PV binder before the pod can schedule.
import { compileTerms, type NodeMatcher } from '../../framework/node-selector.js';
import { SKIP, unresolvable, type Status } from '../../framework/status.js';
import { StateKey, immutableState, type StateData } from '../../framework/cycle-state.js';
import type { PodInfo } from '../../framework/pod-info.js';
import type { FilterPlugin, Handle, PluginFactory, PreBindPlugin, PreFilterPlugin } from '../../framework/types.js';
import { persistentVolumeClaimKind } from '../../../api/core/v1/index.js';

export const Name = 'VolumeBinding';
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
export const ErrReasonNodeConflict = 'node(s) had volume node affinity conflict';
export const ErrReasonPVNotExist = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';

interface VolumeState extends StateData {
  /** Node affinity of the bound volumes that have one. */
  readonly affinities: readonly NodeMatcher[];
  readonly missingVolume: boolean;
  /** Unbound WaitForFirstConsumer claims, to be given the selected node. */
  readonly delayed: readonly string[];
}
const KEY = new StateKey<VolumeState>(`PreFilter${Name}`);

const REJECT_CONFLICT: Status = unresolvable(ErrReasonNodeConflict);
const REJECT_MISSING_PV: Status = unresolvable(ErrReasonPVNotExist);

/** Names of the claims the pod uses, including the per-pod claims of ephemeral volumes. */
function claimNames(pod: PodInfo): string[] {
  const out: string[] = [];
  for (const v of pod.pod.spec?.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(`${pod.name}-${v.name}`);
  }
  return out;
}

export const create: PluginFactory = (h: Handle): PreFilterPlugin & FilterPlugin & PreBindPlugin => ({
  name: Name,
  events: ['VolumeChange', 'NodeAdd', 'NodeUpdate'],
  preFilter(state, pod) {
    const names = claimNames(pod);
    if (names.length === 0) return SKIP;
    const affinities: NodeMatcher[] = [];
    const delayed: string[] = [];
    let missingVolume = false;
    for (const name of names) {
      const claim = h.volumes.claim(pod.namespace, name);
      if (!claim) return unresolvable(`persistentvolumeclaim "${name}" not found`);
      if (claim.metadata?.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
      const volumeName = claim.spec?.volumeName;
      if (volumeName) {
        const pv = h.volumes.volume(volumeName);
        if (!pv) missingVolume = true;
        const terms = pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms;
        if (terms) affinities.push(compileTerms(terms));
        continue;
      }
      const cls = claim.spec?.storageClassName ? h.volumes.storageClass(claim.spec.storageClassName) : undefined;
      if (cls?.volumeBindingMode !== 'WaitForFirstConsumer') return unresolvable('pod has unbound immediate PersistentVolumeClaims');
      delayed.push(name);
    }
    state.write(KEY, immutableState({ affinities, missingVolume, delayed }));
    return undefined;
  },
  filter(state, _pod, node) {
    const s = state.read(KEY);
    if (!s) return undefined;
    if (s.missingVolume) return REJECT_MISSING_PV;
    for (const m of s.affinities) if (!m(node)) return REJECT_CONFLICT;
    return undefined;
  },
  async preBind(state, pod, { nodeName, signal, timeoutMs }) {
    for (const name of state.read(KEY)?.delayed ?? []) {
      const claim = h.volumes.claim(pod.namespace, name);
      if (claim?.spec?.volumeName) continue;
      if (claim?.metadata?.annotations?.[SELECTED_NODE_ANNOTATION] !== nodeName)
        await h.client.patch(persistentVolumeClaimKind, pod.namespace, name, {
          type: 'merge',
          body: { metadata: { annotations: { [SELECTED_NODE_ANNOTATION]: nodeName } } },
        });
      await h.volumes.waitForBound(pod.namespace, name, { signal, timeoutMs });
    }
  },
});
