// Pulls through containerd's CRI from a real OCI registry (Debian's docker-registry on loopback,
// root only): plain-HTTP pulls from 127.0.0.1 with no extra registry config, pulls that need
// credentials (a Basic-auth proxy in front of the registry, as imagePullSecrets would unlock), the
// errors a missing image or wrong credentials give, and importing docker-archive and OCI archive
// tars the way `tug image load` does.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeRegistryHost } from '../cri/containerd/index.js';
import { startTestNode, type TestNode } from '../cri/containerd/test-node.js';
import type { PodSandboxConfig } from '../cri/runtime.js';
import { buildImage, dockerArchive } from './docker-archive.js';
import { importImage } from './import.js';
import { ociArchive } from './oci-archive.js';
import { PULLED_MARKER, pushTestImage, startTestRegistry, type TestRegistry } from './test-registry.js';

const isRoot = process.getuid?.() === 0;
const USER = 'puller';
const PASSWORD = 'pull-secret';

/** A proxy to the registry that answers 401 with a Basic challenge unless given USER/PASSWORD. */
function authProxy(registry: TestRegistry): Promise<{ host: string; server: Server }> {
  const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  const [, port] = registry.host.split(':');
  const server = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="tugboat-test"', 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    const up = request({ host: '127.0.0.1', port: Number(port), method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ host: `127.0.0.1:${addr && typeof addr === 'object' ? addr.port : 0}`, server });
    }),
  );
}

describe('pulling from a registry through CRI', { skip: !isRoot && 'needs root' }, () => {
  let node: TestNode;
  let registry: TestRegistry;
  let proxy: { host: string; server: Server } | undefined;
  before(async () => {
    registry = await startTestRegistry();
    node = await startTestNode();
    proxy = await authProxy(registry);
  });
  after(async () => {
    await new Promise((r) => (proxy ? proxy.server.close(r) : r(undefined)));
    await node?.teardown();
    await registry?.stop();
  });

  it('pulls over plain HTTP from a loopback registry and runs the image', async () => {
    const rt = node.runtime;
    const image = await pushTestImage(registry, { tag: 'v1', marker: 'v1\n' });
    const ref = await rt.pullImage({ image: { image } });
    const status = await rt.imageStatus({ image });
    assert.equal(status?.id, ref);
    assert.ok(status?.repoDigests.some((d) => d.startsWith(`${registry.host}/tugboat/busybox@sha256:`)));

    const uid = randomUUID();
    const sb: PodSandboxConfig = { metadata: { name: 'pulled', uid, namespace: 'default', attempt: 0 }, logDirectory: join(node.logRoot, uid), labels: {}, annotations: {} };
    const sandboxId = await rt.runPodSandbox({ config: sb });
    const id = await rt.createContainer({
      podSandboxId: sandboxId,
      sandboxConfig: sb,
      config: { metadata: { name: 'main', attempt: 0 }, image: { image }, command: ['sleep', '3600'], labels: {}, annotations: {}, logPath: 'main/0.log' },
    });
    await rt.startContainer(id);
    const out = await rt.execSync({ containerId: id, cmd: ['cat', PULLED_MARKER], timeoutSeconds: 10 });
    assert.equal(out.stdout.toString(), 'v1\n');
    await rt.removePodSandbox(sandboxId);
  });

  it('pulls a registry name mapped to a plain-HTTP endpoint by hosts.toml', async () => {
    const rt = node.runtime;
    await pushTestImage(registry, { repository: 'mapped/busybox', tag: 'v3' });
    assert.ok(rt.registryHostsDir);
    const image = 'registry.tugboat.test:5999/mapped/busybox:v3';
    await writeRegistryHost(rt.registryHostsDir, 'registry.tugboat.test:5999', { server: registry.url });
    assert.match(await rt.pullImage({ image: { image } }), /^sha256:/);
  });

  it('fails to pull an image the registry does not have', async () => {
    await assert.rejects(node.runtime.pullImage({ image: { image: `${registry.host}/tugboat/missing:none` } }), /not found/);
  });

  it('needs the credentials of a registry that asks for them', async () => {
    const rt = node.runtime;
    await pushTestImage(registry, { repository: 'private/busybox', tag: 'v2', marker: 'private\n' });
    const image = `${proxy?.host}/private/busybox:v2`;
    await assert.rejects(rt.pullImage({ image: { image } }), /401|unauthorized/i);
    await assert.rejects(rt.pullImage({ image: { image }, auth: { username: USER, password: 'wrong' } }), /401|unauthorized/i);
    const ref = await rt.pullImage({ image: { image }, auth: { username: USER, password: PASSWORD } });
    assert.match(ref, /^sha256:[0-9a-f]{64}$/);
    await rt.removeImage({ image });
    // serverAddress as docker config files key it: host:port without a scheme.
    const viaAuthField = await rt.pullImage({ image: { image }, auth: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64'), serverAddress: proxy?.host ?? '' } });
    assert.equal(viaAuthField, ref);
    await rt.removeImage({ image });
    await assert.rejects(rt.pullImage({ image: { image }, auth: { username: USER, password: PASSWORD, serverAddress: 'https://elsewhere.example:5000' } }), /401|unauthorized/i);
  });

  it('imports docker-archive and OCI archive tars', async () => {
    const rt = node.runtime;
    const def = (name: string): Parameters<typeof buildImage>[0] => ({
      repoTags: [name],
      layers: [[{ type: 'file', path: 'marker', data: Buffer.from(name) }]],
      config: { Cmd: ['/marker'] },
    });
    const docker = join(node.dir, 'docker.tar');
    const oci = join(node.dir, 'oci.tar');
    await writeFile(docker, dockerArchive(buildImage(def('localhost/tugboat/imported-docker:1'))));
    await writeFile(oci, ociArchive(buildImage(def('localhost/tugboat/imported-oci:1'))));
    const target = { address: rt.address, imageStatus: (i: { image: string }) => rt.imageStatus(i) };
    assert.deepEqual((await importImage(target, docker)).images, ['localhost/tugboat/imported-docker:1']);
    assert.deepEqual((await importImage(target, oci)).images, ['localhost/tugboat/imported-oci:1']);
    const tags = (await rt.listImages()).flatMap((i) => i.repoTags);
    assert.ok(tags.includes('localhost/tugboat/imported-docker:1'));
    assert.ok(tags.includes('localhost/tugboat/imported-oci:1'));
    await assert.rejects(importImage(target, join(node.dir, 'absent.tar')), /importing .*absent\.tar failed/);
  });
});
