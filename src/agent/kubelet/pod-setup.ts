// What a pod needs on this node before and around its sandbox, for real nodes: the pod as the
// kubelet runs it (plus the automounted service-account volume), its volumes (set up before the
// sandbox, as Kubernetes does, and refreshed on every sync), its log directory, and the managed
// /etc/hosts written once the pod's IP is known. Hollow nodes skip the files and only get the
// sandbox's DNS settings. Removal unmounts and deletes the pod's directory and logs.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from '../../api/core/v1/index.js';
import type { PodSandboxStatus } from '../cri/index.js';
import type { PodObjects } from './api-objects.js';
import { podDNSConfig, podHostname, type DnsSettings } from './dns-config.js';
import type { PodAddresses } from './env/index.js';
import { hostNetworkHostsFile, podHostsFile } from './hosts-file.js';
import { podLogDirName, type SandboxExtras } from './pod-config.js';
import { withServiceAccountVolume, type MountedVolume, type VolumeFailure, type VolumeManager } from './volumes/index.js';

/** Real-node facilities; absent on hollow nodes. */
export interface PodHostDeps {
  volumes: VolumeManager;
  /** Where pod log directories go (`<data dir>/logs/pods`). */
  logRoot: string;
  /** The node's own hosts file, copied for host-network pods. */
  nodeHostsFile: string;
}

export interface PodRun {
  /** The pod as the kubelet runs it. */
  pod: Pod;
  extras: SandboxExtras;
  volumes: Map<string, MountedVolume> | undefined;
  /** Volumes that could not be set up and were never set up before: the pod cannot start containers. */
  blocking: VolumeFailure[];
  /** Refresh failures of volumes that are already in use (reported, not blocking). */
  stale: VolumeFailure[];
  addresses: PodAddresses;
  hostsFile: string | undefined;
}

export class PodSetup {
  /** Volumes each pod had set up successfully, kept when a later refresh fails. */
  private readonly mounted = new Map<string, Map<string, MountedVolume>>();
  private readonly hostsWritten = new Map<string, string>();
  private readonly logDirs = new Set<string>();

  constructor(
    private readonly d: { objects: PodObjects; dns: DnsSettings; hostIP: string; allocatable: Record<string, string>; host: PodHostDeps | undefined },
  ) {}

  /** Prepares a pod's run before its sandbox: service-account volume, volumes, DNS and log directory. */
  async prepare(pod: Pod): Promise<PodRun> {
    const uid = pod.metadata?.uid ?? '';
    const host = this.d.host;
    const prevIP = pod.status?.podIP;
    const addresses: PodAddresses = { podIPs: prevIP ? [prevIP] : [], hostIPs: [this.d.hostIP] };
    const { hostname, domain } = podHostname(pod, this.d.dns.clusterDomain);
    const extras: SandboxExtras = { dns: podDNSConfig(pod, this.d.dns), ...(pod.spec?.setHostnameAsFQDN && domain ? { hostname: `${hostname}.${domain}` } : {}) };
    if (!host) return { pod, extras, volumes: undefined, blocking: [], stale: [], addresses, hostsFile: undefined };

    let runPod = pod;
    if (pod.spec?.automountServiceAccountToken !== false) {
      const sa = await this.d.objects.serviceAccount(pod.metadata?.namespace ?? '', pod.spec?.serviceAccountName || 'default');
      runPod = withServiceAccountVolume(pod, sa?.automountServiceAccountToken);
    }
    const logDirectory = join(host.logRoot, podLogDirName(pod));
    if (!this.logDirs.has(uid)) {
      await mkdir(logDirectory, { recursive: true, mode: 0o755 });
      this.logDirs.add(uid);
    }
    extras.logDirectory = logDirectory;
    const res = await host.volumes.setUp(runPod, { addresses, allocatable: this.d.allocatable });
    const known = this.mounted.get(uid) ?? new Map<string, MountedVolume>();
    for (const [name, v] of res.volumes) known.set(name, v);
    this.mounted.set(uid, known);
    const blocking = res.failures.filter((f) => !known.has(f.volume));
    const stale = res.failures.filter((f) => known.has(f.volume));
    return { pod: runPod, extras, volumes: known, blocking, stale, addresses, hostsFile: undefined };
  }

  /** Fills in the pod's addresses from its ready sandbox and writes its hosts file. */
  async afterSandbox(run: PodRun, sandbox: PodSandboxStatus): Promise<void> {
    const hostNetwork = run.pod.spec?.hostNetwork ?? false;
    const ips = hostNetwork ? [this.d.hostIP] : [sandbox.network?.ip ?? '', ...(sandbox.network?.additionalIps ?? [])].filter(Boolean);
    if (ips.length > 0) run.addresses = { ...run.addresses, podIPs: ips };
    const host = this.d.host;
    if (!host) return;
    const uid = run.pod.metadata?.uid ?? '';
    const { hostname, domain } = podHostname(run.pod, this.d.dns.clusterDomain);
    const content = hostNetwork
      ? hostNetworkHostsFile({ pod: run.pod, nodeHosts: await readFile(host.nodeHostsFile, 'utf8').catch(() => '') })
      : podHostsFile({ pod: run.pod, podIPs: run.addresses.podIPs, hostname, domain });
    const path = join(host.volumes.podDir(uid), 'etc-hosts');
    if (this.hostsWritten.get(uid) !== content) {
      await mkdir(host.volumes.podDir(uid), { recursive: true });
      await writeFile(path, content, { mode: 0o644 });
      this.hostsWritten.set(uid, content);
    }
    run.hostsFile = path;
  }

  /** Pods whose volumes read the given object (their sync refreshes the files). */
  podsReferencing(kind: string, namespace: string, name: string): string[] {
    return this.d.host?.volumes.podsReferencing(kind, namespace, name) ?? [];
  }

  /** Unmounts and deletes what the pod had on this node. */
  async tearDown(uid: string): Promise<void> {
    this.mounted.delete(uid);
    this.hostsWritten.delete(uid);
    this.logDirs.delete(uid);
    const host = this.d.host;
    if (!host) return;
    await host.volumes.tearDown(uid);
    const logs = await readdir(host.logRoot).catch(() => [] as string[]);
    for (const dir of logs.filter((d) => d.endsWith(`_${uid}`))) await rm(join(host.logRoot, dir), { recursive: true, force: true });
  }

  /** After a restart: removes pod directories of pods this node no longer has. */
  async cleanupOrphans(keep: ReadonlySet<string>): Promise<void> {
    const host = this.d.host;
    if (!host) return;
    const orphans = await host.volumes.cleanupOrphans(keep);
    const logs = await readdir(host.logRoot).catch(() => [] as string[]);
    for (const dir of logs) {
      const uid = dir.slice(dir.lastIndexOf('_') + 1);
      if (!keep.has(uid) || orphans.includes(uid)) await rm(join(host.logRoot, dir), { recursive: true, force: true });
    }
  }
}
