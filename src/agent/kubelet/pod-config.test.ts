// Unit tests of how a pod becomes runtime config: DNS per policy and merged dnsConfig, host
// names and the managed hosts file, the sandbox (ports, namespaces, sysctls, identity), cgroup
// settings and OOM scores from resources, and securityContext with the runAsNonRoot check.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../api/core/v1/index.js';
import { parseResolvConf, podDNSConfig, podHostname, type DnsSettings } from './dns-config.js';
import { hostNetworkHostsFile, podHostsFile } from './hosts-file.js';
import { cpuQuota, cpuShares, linuxResources, oomScoreAdj } from './linux-resources.js';
import { containerConfigFor, sandboxConfigFor, type PodContainer } from './pod-config.js';
import { containerSecurity, verifyRunAsNonRoot } from './security-context.js';

const host = parseResolvConf('# comment\nnameserver 192.168.1.1\nnameserver 8.8.8.8\nsearch corp.example lab.example\noptions edns0 ndots:1\n');
const dns: DnsSettings = { clusterDNS: ['10.43.0.10'], clusterDomain: 'cluster.local', host };

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}, meta: Partial<NonNullable<Pod['metadata']>> = {}): Pod => ({
  metadata: { name: 'web-0', namespace: 'shop', uid: 'uid-1', ...meta },
  spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
});

describe('pod DNS', () => {
  it('parses resolv.conf', () => {
    assert.deepEqual(host, { servers: ['192.168.1.1', '8.8.8.8'], searches: ['corp.example', 'lab.example'], options: ['edns0', 'ndots:1'] });
  });

  it('ClusterFirst: cluster DNS, namespace search path then the node\'s, ndots:5', () => {
    assert.deepEqual(podDNSConfig(pod(), dns), {
      servers: ['10.43.0.10'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
      options: ['ndots:5'],
    });
  });

  it('host network pods use the node resolver unless ClusterFirstWithHostNet', () => {
    assert.deepEqual(podDNSConfig(pod({ hostNetwork: true }), dns), host);
    assert.equal(podDNSConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), dns).servers?.[0], '10.43.0.10');
    assert.deepEqual(podDNSConfig(pod({ dnsPolicy: 'Default' }), dns), host);
  });

  it('None takes only dnsConfig; dnsConfig merges without duplicates and replaces options by name', () => {
    assert.deepEqual(podDNSConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }] } }), dns), {
      servers: ['1.1.1.1'],
      searches: ['a.example'],
      options: ['ndots:2'],
    });
    const merged = podDNSConfig(pod({ dnsConfig: { nameservers: ['10.43.0.10', '1.1.1.1', '2.2.2.2', '3.3.3.3'], searches: ['corp.example', 'x.example'], options: [{ name: 'ndots', value: '3' }, { name: 'single-request' }] } }), dns);
    assert.deepEqual(merged.servers, ['10.43.0.10', '1.1.1.1', '2.2.2.2']);
    assert.deepEqual(merged.searches?.slice(-2), ['lab.example', 'x.example']);
    assert.deepEqual(merged.options, ['ndots:3', 'single-request']);
  });
});

describe('hostname and /etc/hosts', () => {
  it('uses spec.hostname or the pod name, with a subdomain FQDN', () => {
    assert.deepEqual(podHostname(pod(), 'cluster.local'), { hostname: 'web-0', domain: undefined });
    assert.deepEqual(podHostname(pod({ hostname: 'db', subdomain: 'peers' }), 'cluster.local'), { hostname: 'db', domain: 'peers.shop.svc.cluster.local' });
    assert.equal(podHostname(pod({}, { name: `${'a'.repeat(62)}-x-long` }), 'cluster.local').hostname, 'a'.repeat(62));
  });

  it('writes the pod IP, FQDN and host aliases', () => {
    const text = podHostsFile({ pod: pod({ hostAliases: [{ ip: '10.1.1.1', hostnames: ['foo.local', 'bar.local'] }] }), podIPs: ['10.244.0.7'], hostname: 'db', domain: 'peers.shop.svc.cluster.local' });
    assert.match(text, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
    assert.match(text, /\n10\.244\.0\.7\tdb\.peers\.shop\.svc\.cluster\.local\tdb\n/);
    assert.match(text, /\n# Entries added by HostAliases\.\n10\.1\.1\.1\tfoo\.local\tbar\.local\n$/);
    assert.equal(hostNetworkHostsFile({ pod: pod(), nodeHosts: '127.0.0.1 localhost' }), '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n');
  });
});

describe('sandbox and container config', () => {
  it('carries hostname, DNS, ports, namespaces, sysctls and pod identity', () => {
    const p = pod({
      hostPID: true,
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000], sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
      containers: [{ name: 'app', image: 'busybox', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'UDP' }] }],
    });
    const sb = sandboxConfigFor(p, 2, { dns: podDNSConfig(p, dns), logDirectory: '/data/logs/pods/shop_web-0_uid-1' });
    assert.equal(sb.hostname, 'web-0');
    assert.equal(sb.metadata.attempt, 2);
    assert.equal(sb.logDirectory, '/data/logs/pods/shop_web-0_uid-1');
    assert.deepEqual(sb.dnsConfig?.servers, ['10.43.0.10']);
    assert.deepEqual(sb.portMappings, [{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }]);
    assert.deepEqual(sb.linux?.securityContext, { namespaceOptions: { network: 'POD', pid: 'NODE', ipc: 'POD' }, runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000, 2000] });
    assert.deepEqual(sb.linux?.sysctls, { 'net.ipv4.ip_unprivileged_port_start': '0' });
    assert.equal(sandboxConfigFor(pod({ hostNetwork: true }), 0).hostname, undefined);
  });

  it('expands $(VAR) in command and args from the resolved environment', () => {
    const c: PodContainer = { name: 'app', image: 'busybox', command: ['sh', '-c', 'echo $(GREETING) $(NOPE)'], args: ['$$(GREETING)'] };
    const cfg = containerConfigFor(pod(), c, { kind: 'app', attempt: 1, resolved: { env: new Map([['GREETING', 'hi']]) } });
    assert.deepEqual(cfg.command, ['sh', '-c', 'echo hi $(NOPE)']);
    assert.deepEqual(cfg.args, ['$(GREETING)']);
    assert.deepEqual(cfg.envs, [{ key: 'GREETING', value: 'hi' }]);
    assert.equal(cfg.logPath, 'app/1.log');
  });
});

describe('resources to cgroups', () => {
  const GiB = 1024 ** 3;
  it('computes shares, quota and memory limits as Kubernetes does', () => {
    assert.equal(cpuShares(0), 2);
    assert.equal(cpuShares(1), 2);
    assert.equal(cpuShares(250), 256);
    assert.equal(cpuShares(2000), 2048);
    assert.equal(cpuQuota(500), 50_000);
    assert.equal(cpuQuota(5), 1_000);
    const c: PodContainer = { name: 'app', image: 'x', resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } };
    assert.deepEqual(linuxResources(pod({ containers: [c] }), c, 4 * GiB), { cpuShares: 256, cpuPeriod: 100_000, cpuQuota: 50_000, memoryLimitInBytes: 512 * 1024 * 1024, oomScoreAdj: 938 });
    const limitOnly: PodContainer = { name: 'app', image: 'x', resources: { limits: { cpu: '1' } } };
    assert.equal(linuxResources(pod({ containers: [limitOnly] }), limitOnly, GiB).cpuShares, 1024);
  });

  it('scores OOM by QoS class', () => {
    const g: PodContainer = { name: 'a', image: 'x', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } };
    assert.equal(oomScoreAdj(pod({ containers: [g] }), g, 4 * GiB), -997);
    const be: PodContainer = { name: 'a', image: 'x' };
    assert.equal(oomScoreAdj(pod({ containers: [be] }), be, 4 * GiB), 1000);
    const big: PodContainer = { name: 'a', image: 'x', resources: { requests: { memory: '4Gi' } } };
    assert.equal(oomScoreAdj(pod({ containers: [big] }), big, 4 * GiB), 3);
    const tiny: PodContainer = { name: 'a', image: 'x', resources: { requests: { memory: '1' } } };
    assert.equal(oomScoreAdj(pod({ containers: [tiny] }), tiny, 4 * GiB), 999);
    assert.equal(oomScoreAdj(pod({ containers: [be], priorityClassName: 'system-node-critical' }), be, GiB), -997);
  });
});

describe('security context', () => {
  it('merges pod and container settings', () => {
    const c: PodContainer = {
      name: 'app',
      image: 'x',
      securityContext: { runAsUser: 1001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
    };
    const p = pod({ securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 }, containers: [c] });
    assert.deepEqual(containerSecurity(p, c), {
      namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' },
      runAsUser: 1001,
      runAsGroup: 3000,
      supplementalGroups: [2000],
      readonlyRootfs: true,
      noNewPrivs: true,
      capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
    });
    const priv: PodContainer = { name: 'p', image: 'x', securityContext: { privileged: true } };
    assert.equal(containerSecurity(pod({ shareProcessNamespace: true }), priv).privileged, true);
    assert.equal(containerSecurity(pod({ shareProcessNamespace: true }), priv).namespaceOptions?.pid, 'POD');
  });

  it('refuses runAsNonRoot containers that would run as root', () => {
    const c: PodContainer = { name: 'app', image: 'x', securityContext: { runAsNonRoot: true } };
    const p = pod({ containers: [c] });
    const img = (o: { uid?: number; username?: string }): { id: string; repoTags: string[]; repoDigests: string[]; size: number; uid?: number; username?: string } => ({ id: 'i', repoTags: [], repoDigests: [], size: 0, ...o });
    assert.throws(() => verifyRunAsNonRoot(p, c, img({ uid: 0 })), /container has runAsNonRoot and image will run as root \(pod: "web-0_shop\(uid-1\)", container: app\)/);
    assert.throws(() => verifyRunAsNonRoot(p, c, img({})), /will run as root/);
    assert.throws(() => verifyRunAsNonRoot(p, c, img({ username: 'nobody' })), /non-numeric user \(nobody\)/);
    assert.doesNotThrow(() => verifyRunAsNonRoot(p, c, img({ uid: 65534 })));
    const withUser: PodContainer = { ...c, securityContext: { runAsNonRoot: true, runAsUser: 0 } };
    assert.throws(() => verifyRunAsNonRoot(p, withUser, img({ uid: 1000 })), /runAsUser breaks non-root policy/);
  });
});
