// Unit checks (no containerd needed) of what the agent tells containerd: the config keys this
// machine kind needs and the per-node paths that keep several containerds apart, registry
// hosts.toml files, the request/response translation, and how gRPC failures surface.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuntimeNotFoundError, RuntimeStateError } from '../runtime.js';
import { containerdPaths, renderContainerdConfig } from './config.js';
import { containerStatusFromWire, sandboxConfigToWire, containerConfigToWire } from './convert.js';
import { CriError, mapError } from './errors.js';
import { grpcStatus } from './grpc-client.js';
import { renderHostsToml } from './registry-hosts.js';

describe('containerd config', () => {
  const paths = containerdPaths('/var/lib/tugboat/agent/containerd');
  const toml = renderContainerdConfig({ paths, cniConfDir: '/etc/tug/net.d', cniBinDir: '/usr/lib/cni', sandboxImage: 'localhost/tugboat/pause:3.9' });

  it('keeps every path of the node under its data dir', () => {
    assert.match(toml, /^root = "\/var\/lib\/tugboat\/agent\/containerd\/root"$/m);
    assert.match(toml, /^state = "\/var\/lib\/tugboat\/agent\/containerd\/state"$/m);
    assert.match(toml, /^\[grpc\]\n {2}address = "\/var\/lib\/tugboat\/agent\/containerd\/containerd\.sock"$/m);
    assert.match(toml, /SystemdCgroup = false\n {2}Root = "\/var\/lib\/tugboat\/agent\/containerd\/runc"/);
    assert.match(toml, /\[plugins\."io\.containerd\.internal\.v1\.opt"\]\n {2}path = "\/var\/lib\/tugboat\/agent\/containerd\/opt"/);
    assert.match(toml, /config_path = "\/var\/lib\/tugboat\/agent\/containerd\/certs\.d"/);
  });

  it('sets what the CRI plugin needs on this machine kind', () => {
    for (const line of [
      'sandbox_image = "localhost/tugboat/pause:3.9"',
      'restrict_oom_score_adj = true',
      'disable_apparmor = true',
      'stream_server_address = "127.0.0.1"',
      'stream_server_port = "0"',
      'bin_dir = "/usr/lib/cni"',
      'conf_dir = "/etc/tug/net.d"',
    ]) {
      assert.ok(toml.includes(`  ${line}\n`), line);
    }
  });

  it('refuses socket paths longer than a unix socket allows', () => {
    assert.throws(() => containerdPaths(`/tmp/${'x'.repeat(100)}`), /socket path too long/);
  });

  it('writes hosts.toml for plain-HTTP and self-signed registries', () => {
    assert.equal(renderHostsToml({ server: 'http://10.0.0.5:5000' }), 'server = "http://10.0.0.5:5000"\n\n[host."http://10.0.0.5:5000"]\n  capabilities = ["pull", "resolve"]\n');
    assert.match(renderHostsToml({ server: 'https://r.example', skipVerify: true }), /skip_verify = true/);
  });
});

describe('CRI translation', () => {
  const sb = {
    metadata: { name: 'p', uid: 'u', namespace: 'ns', attempt: 1 },
    hostname: 'p',
    labels: {},
    annotations: {},
    linux: { securityContext: { namespaceOptions: { network: 'NODE' as const }, runAsUser: 0, supplementalGroups: [5] } },
  };

  it('wraps optional integers and drops the hostname of host-network pods', () => {
    const w = sandboxConfigToWire(sb) as { hostname: string; linux: { security_context: { run_as_user: unknown; namespace_options: unknown; supplemental_groups: number[] } } };
    assert.equal(w.hostname, '');
    assert.deepEqual(w.linux.security_context.run_as_user, { value: 0 });
    assert.deepEqual(w.linux.security_context.namespace_options, { network: 'NODE', pid: 'CONTAINER', ipc: 'POD', target_id: '' });
    assert.deepEqual(w.linux.security_context.supplemental_groups, [5]);
    const withNet = sandboxConfigToWire({ ...sb, linux: {} }) as { hostname: string };
    assert.equal(withNet.hostname, 'p');
  });

  it('maps container resources, users and mounts', () => {
    const w = containerConfigToWire({
      metadata: { name: 'c', attempt: 0 },
      image: { image: 'busybox' },
      labels: {},
      annotations: {},
      mounts: [{ containerPath: '/data', hostPath: '/var/x', propagation: 'PROPAGATION_HOST_TO_CONTAINER' }],
      linux: { resources: { cpuShares: 102, memoryLimitInBytes: 1 << 20 }, securityContext: { runAsUser: 1000, runAsGroup: 3000, readonlyRootfs: true } },
    }) as { mounts: { propagation: string }[]; linux: { resources: { cpu_shares: number; memory_limit_in_bytes: number }; security_context: { run_as_user: unknown; run_as_group: unknown; readonly_rootfs: boolean } } };
    assert.equal(w.mounts[0]?.propagation, 'PROPAGATION_HOST_TO_CONTAINER');
    assert.equal(w.linux.resources.cpu_shares, 102);
    assert.equal(w.linux.resources.memory_limit_in_bytes, 1 << 20);
    assert.deepEqual(w.linux.security_context.run_as_user, { value: 1000 });
    assert.deepEqual(w.linux.security_context.run_as_group, { value: 3000 });
    assert.equal(w.linux.security_context.readonly_rootfs, true);
  });

  it('turns nanosecond timestamps into milliseconds, keeping 0 as unset', () => {
    const st = containerStatusFromWire({
      id: 'c1',
      metadata: { name: 'c', attempt: 2 },
      image: { image: 'busybox', annotations: {} },
      image_ref: 'sha256:ab',
      state: 'CONTAINER_EXITED',
      created_at: 1_700_000_000_123_456_789,
      started_at: 1_700_000_001_000_000_000,
      finished_at: 0,
      exit_code: 137,
      reason: 'OOMKilled',
      message: '',
      labels: {},
      annotations: {},
      mounts: [],
      log_path: '/logs/c/2.log',
    });
    assert.equal(st.createdAt, 1_700_000_000_123);
    assert.equal(st.startedAt, 1_700_000_001_000);
    assert.equal(st.finishedAt, 0);
    assert.equal(st.reason, 'OOMKilled');
    assert.deepEqual(st.metadata, { name: 'c', attempt: 2 });
  });

  it('maps gRPC failures to the runtime errors', () => {
    const grpcErr = (code: number, details: string): Error => Object.assign(new Error(`${code} X: ${details}`), { code, details });
    assert.ok(mapError(grpcErr(grpcStatus.NOT_FOUND, 'no such container'), 'container', 'c1') instanceof RuntimeNotFoundError);
    assert.ok(mapError(grpcErr(grpcStatus.FAILED_PRECONDITION, 'not running'), 'container', 'c1') instanceof RuntimeStateError);
    const other = mapError(grpcErr(grpcStatus.UNKNOWN, 'failed to pull'), 'image', 'x');
    assert.ok(other instanceof CriError);
    assert.equal(other.message, 'rpc error: code = Unknown desc = failed to pull');
  });
});
