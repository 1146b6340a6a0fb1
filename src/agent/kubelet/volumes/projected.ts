// projected volumes: several sources merged into one directory on a tmpfs — ConfigMap and Secret
// keys, downward API files, and service-account tokens from TokenRequest (bound to the pod,
// refreshed before they expire). This is also what the automatic kube-api-access volume is made
// of; its `kube-root-ca.crt` ConfigMap falls back to the kubelet's own copy of the cluster CA when
// the API has none, so tokens are usable even before a CA publisher runs.
import { mkdir } from 'node:fs/promises';
import type { Pod } from '../../../api/core/v1/index.js';
import type { AtomicWriter, FileProjection } from './atomic-writer.js';
import { downwardFiles } from './downward-api.js';
import { configMapData, DEFAULT_MODE, keyFiles, secretData } from './key-files.js';
import { VolumeError, type VolumeContext, type VolumePlugin, type Volume } from './types.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
/** Kubernetes' default lifetime of projected tokens when the projection does not say. */
const DEFAULT_TOKEN_SECONDS = 3600;

async function payloadOf(ctx: VolumeContext, v: Volume): Promise<Map<string, FileProjection>> {
  const src = v.projected ?? {};
  const ns = ctx.pod.metadata?.namespace ?? '';
  const out = new Map<string, FileProjection>();
  for (const s of src.sources ?? []) {
    if (s.configMap) {
      const name = s.configMap.name ?? '';
      let cm = await ctx.objects.configMap(ns, name);
      if (!cm && name === ROOT_CA_CONFIGMAP && ctx.caCertPem) cm = { data: { 'ca.crt': ctx.caCertPem } };
      if (!cm) {
        if (s.configMap.optional) continue;
        throw new VolumeError(`configmap "${name}" not found`);
      }
      keyFiles({ data: configMapData(cm), items: s.configMap.items, defaultMode: src.defaultMode, optional: s.configMap.optional ?? false, what: 'configmap', out });
    } else if (s.secret) {
      const name = s.secret.name ?? '';
      const secret = await ctx.objects.secret(ns, name);
      if (!secret) {
        if (s.secret.optional) continue;
        throw new VolumeError(`secret "${name}" not found`);
      }
      keyFiles({ data: secretData(secret), items: s.secret.items, defaultMode: src.defaultMode, optional: s.secret.optional ?? false, what: 'secret', out });
    } else if (s.downwardAPI) {
      downwardFiles({ pod: ctx.pod, items: s.downwardAPI.items ?? [], defaultMode: src.defaultMode, addresses: ctx.addresses, allocatable: ctx.allocatable, out });
    } else if (s.serviceAccountToken) {
      const t = s.serviceAccountToken;
      const token = await ctx.tokens
        .token({
          pod: ctx.pod,
          serviceAccountName: ctx.pod.spec?.serviceAccountName || 'default',
          audience: t.audience || undefined,
          expirationSeconds: t.expirationSeconds ?? DEFAULT_TOKEN_SECONDS,
        })
        .catch((err: unknown) => {
          throw new VolumeError(`failed to fetch token: ${err instanceof Error ? err.message : String(err)}`);
        });
      out.set(t.path, { data: token, mode: src.defaultMode ?? DEFAULT_MODE });
    } else if (s.clusterTrustBundle && !s.clusterTrustBundle.optional) {
      throw new VolumeError('clusterTrustBundle projections are not supported');
    }
  }
  return out;
}

function references(pod: Pod, v: Volume): string[] {
  const ns = pod.metadata?.namespace ?? '';
  return (v.projected?.sources ?? []).flatMap((s) =>
    s.configMap ? [`configmaps/${ns}/${s.configMap.name ?? ''}`] : s.secret ? [`secrets/${ns}/${s.secret.name ?? ''}`] : [],
  );
}

export function projectedPlugin(writer: AtomicWriter): VolumePlugin {
  return {
    name: 'kubernetes.io~projected',
    refreshes: true,
    handles: (v) => v.projected !== undefined,
    references,
    async setUp(ctx, v, dir) {
      const payload = await payloadOf(ctx, v);
      await mkdir(dir, { recursive: true });
      await ctx.mounter.mountTmpfs(dir, {});
      const fsGroup = ctx.pod.spec?.securityContext?.fsGroup;
      await writer.write(dir, payload, fsGroup !== undefined ? { fsGroup } : {});
      return { hostPath: dir, readOnly: true };
    },
  };
}
