// The /etc/hosts the kubelet writes for each pod and bind-mounts into its containers, so the pod
// resolves its own name (and, with a subdomain, its FQDN) to its IP and hostAliases entries
// appear. Pods on the host network get the node's /etc/hosts plus their hostAliases instead.
import type { Pod } from '../../api/core/v1/index.js';

const HEADER = '# Kubernetes-managed hosts file.\n';
const HOST_HEADER = '# Kubernetes-managed hosts file (host network).\n';
const DEFAULTS = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'fe00::0\tip6-mcastprefix',
  'fe00::1\tip6-allnodes',
  'fe00::2\tip6-allrouters',
].join('\n');

function aliases(pod: Pod): string {
  const list = pod.spec?.hostAliases ?? [];
  if (list.length === 0) return '';
  return `\n# Entries added by HostAliases.\n${list.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}`).join('\n')}\n`;
}

/** The managed hosts file of a pod with its own network namespace. */
export function podHostsFile(o: { pod: Pod; podIPs: string[]; hostname: string; domain: string | undefined }): string {
  const own = o.podIPs.map((ip) => (o.domain ? `${ip}\t${o.hostname}.${o.domain}\t${o.hostname}` : `${ip}\t${o.hostname}`)).join('\n');
  return `${HEADER}${DEFAULTS}\n${own ? `${own}\n` : ''}${aliases(o.pod)}`;
}

/** The hosts file of a host-network pod: the node's, plus hostAliases. */
export function hostNetworkHostsFile(o: { pod: Pod; nodeHosts: string }): string {
  const base = o.nodeHosts.endsWith('\n') || o.nodeHosts === '' ? o.nodeHosts : `${o.nodeHosts}\n`;
  return `${HOST_HEADER}${base}${aliases(o.pod)}`;
}
