// The volume through which pods reach the API as their service account: a projected volume
// `kube-api-access-<suffix>` with a bound token, the cluster CA (`ca.crt`) and the pod's
// namespace, mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every
// container. Kubernetes adds it to the pod spec at admission; Tugboat's kubelet adds it when it
// runs the pod (the API object is left as written), unless automountServiceAccountToken is false
// on the pod (or, when the pod does not say, on its ServiceAccount), or the pod already carries
// one. The suffix derives from the pod's uid, so it is stable across kubelet restarts.
import { createHash } from 'node:crypto';
import type { Pod, Volume } from '../../../api/core/v1/index.js';
import { ROOT_CA_CONFIGMAP } from './projected.js';

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const PREFIX = 'kube-api-access-';
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** Kubernetes' choice: just over an hour, so a token refreshed at 80 % of its life is never stale. */
const TOKEN_SECONDS = 3607;

function suffix(uid: string): string {
  const h = createHash('sha256').update(uid).digest();
  return Array.from(h.subarray(0, 5), (b) => ALPHABET[b % ALPHABET.length]).join('');
}

export function kubeApiAccessVolume(pod: Pod): Volume {
  return {
    name: `${PREFIX}${suffix(pod.metadata?.uid ?? '')}`,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_SECONDS, path: 'token' } },
        { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/**
 * The pod as the kubelet runs it: with the kube-api-access volume and its mounts added when the
 * token is to be automounted. `saAutomount` is the ServiceAccount's setting, if it has one.
 */
export function withServiceAccountVolume(pod: Pod, saAutomount: boolean | undefined): Pod {
  const spec = pod.spec;
  if (!spec) return pod;
  const automount = spec.automountServiceAccountToken ?? saAutomount ?? true;
  if (!automount) return pod;
  if ((spec.volumes ?? []).some((v) => v.name.startsWith(PREFIX))) return pod;
  const volume = kubeApiAccessVolume(pod);
  const addMount = <C extends { volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] }>(c: C): C =>
    (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)
      ? c
      : { ...c, volumeMounts: [...(c.volumeMounts ?? []), { name: volume.name, mountPath: SERVICE_ACCOUNT_MOUNT_PATH, readOnly: true }] };
  return {
    ...pod,
    spec: {
      ...spec,
      volumes: [...(spec.volumes ?? []), volume],
      containers: spec.containers.map(addMount),
      ...(spec.initContainers ? { initContainers: spec.initContainers.map(addMount) } : {}),
    },
  };
}
