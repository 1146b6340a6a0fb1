// Checks the image building blocks without containerd: our tars read back byte-exact with GNU tar's
// view of them (numeric owner 0, PAX for long names), docker archives carry what containerd's
// importer needs, builds are reproducible, the project images are cached until their inputs
// change, and ctr's output is parsed into image names.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { busyboxImageDefinition, isStaticElf } from './busybox-image.js';
import { buildImage, dockerArchive, parseDockerArchive } from './docker-archive.js';
import { importedNames } from './import.js';
import { ociArchive } from './oci-archive.js';
import { ensureProjectImages } from './project-images.js';
import { readTar, tarBuffer, type TarEntry } from './tar.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'tugboat-images-test-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('tar writer', () => {
  const longName = `${'deep/'.repeat(40)}file.txt`;
  const entries: TarEntry[] = [
    { type: 'dir', path: 'etc' },
    { type: 'file', path: 'etc/passwd', data: Buffer.from('root:x:0:0::/root:/bin/sh\n'), mode: 0o600 },
    { type: 'symlink', path: 'bin/sh', target: '/bin/busybox' },
    { type: 'file', path: longName, data: Buffer.from('x') },
    { type: 'symlink', path: 'long-link', target: `/${'t'.repeat(150)}` },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
  ];

  it('writes what GNU tar lists, owned by 0:0 at time 0', async () => {
    const d = await tempDir();
    await writeFile(join(d, 'x.tar'), tarBuffer(entries));
    const listing = execFileSync('tar', ['--numeric-owner', '-tvf', join(d, 'x.tar')], { encoding: 'utf8' }).trim().split('\n');
    assert.equal(listing.length, entries.length);
    assert.match(listing[1] ?? '', /^-rw------- 0\/0\s+26 1970-01-01 00:00 etc\/passwd$/);
    assert.match(listing[2] ?? '', /^lrwxrwxrwx 0\/0\s+0 1970-01-01 00:00 bin\/sh -> \/bin\/busybox$/);
    assert.ok(listing[3]?.endsWith(longName));
    assert.ok(listing[4]?.endsWith(`-> /${'t'.repeat(150)}`));
    assert.match(listing[5] ?? '', /^drwxrwxrwt /);
  });

  it('reads its own tars back', () => {
    const back = readTar(tarBuffer(entries));
    assert.deepEqual(
      back.map((e) => [e.type, e.path]),
      entries.map((e) => [e.type, e.type === 'dir' ? `${e.path}/` : e.path]),
    );
    const file = back.find((e) => e.path === longName);
    assert.equal(file?.type === 'file' && file.data.toString(), 'x');
    const link = back.find((e) => e.path === 'long-link');
    assert.equal(link?.type === 'symlink' ? link.target : undefined, `/${'t'.repeat(150)}`);
  });
});

describe('image archives', () => {
  const def = {
    repoTags: ['localhost/tugboat/test:1'],
    layers: [[{ type: 'file' as const, path: 'hello', data: Buffer.from('hi\n'), mode: 0o755 }]],
    config: { Cmd: ['/hello'] },
  };

  it('builds reproducible images with the config containerd expects', () => {
    const a = buildImage(def);
    const b = buildImage(def);
    assert.equal(a.configDigest, b.configDigest);
    const config = JSON.parse(a.config.toString()) as { architecture: string; os: string; rootfs: { type: string; diff_ids: string[] }; config: { Cmd: string[]; Env: string[] } };
    assert.equal(config.architecture, 'amd64');
    assert.equal(config.os, 'linux');
    assert.deepEqual(config.rootfs, { type: 'layers', diff_ids: [a.layers[0]?.diffId] });
    assert.deepEqual(config.config.Cmd, ['/hello']);
    assert.ok(config.config.Env.some((e) => e.startsWith('PATH=')));
  });

  it('writes docker archives with manifest.json and reads them back', () => {
    const img = buildImage(def);
    const tar = dockerArchive(img);
    const files = new Map(readTar(tar).map((e) => [e.path, e]));
    const manifest = files.get('manifest.json');
    assert.ok(manifest?.type === 'file');
    const m = JSON.parse(manifest.data.toString()) as { Config: string; RepoTags: string[]; Layers: string[] }[];
    assert.deepEqual(m[0]?.RepoTags, ['localhost/tugboat/test:1']);
    assert.equal(m[0]?.Config, `${img.configDigest.slice(7)}.json`);
    const back = parseDockerArchive(tar);
    assert.equal(back.configDigest, img.configDigest);
    assert.deepEqual(back.layers.map((l) => l.diffId), img.layers.map((l) => l.diffId));
  });

  it('writes OCI layouts whose blobs match their digests', () => {
    const img = buildImage(def);
    const files = new Map(readTar(ociArchive(img)).flatMap((e) => (e.type === 'file' ? [[e.path, e.data] as const] : [])));
    const index = JSON.parse(files.get('index.json')?.toString() ?? '{}') as { manifests: { digest: string; annotations: Record<string, string> }[] };
    const entry = index.manifests[0];
    assert.equal(entry?.annotations['io.containerd.image.name'], 'localhost/tugboat/test:1');
    const manifest = JSON.parse(files.get(`blobs/sha256/${entry?.digest.slice(7)}`)?.toString() ?? '{}') as { config: { digest: string } };
    assert.equal(manifest.config.digest, img.configDigest);
    assert.ok(files.has(`blobs/sha256/${img.configDigest.slice(7)}`));
  });
});

describe('project images', () => {
  it('tells static executables from dynamic ones', async () => {
    assert.equal(isStaticElf(await readFile('/bin/busybox')), true);
    assert.equal(isStaticElf(await readFile(process.execPath)), false);
    assert.equal(isStaticElf(Buffer.from('#!/bin/sh\n')), false);
  });

  it('puts busybox, applet links, users and /tmp into the test image', async () => {
    const def = await busyboxImageDefinition();
    assert.ok(def.repoTags.includes('localhost/tugboat/busybox:latest'));
    assert.ok(def.repoTags.some((t) => /^localhost\/tugboat\/busybox:\d+\.\d+\.\d+$/.test(t)));
    const byPath = new Map((def.layers[0] ?? []).map((e) => [e.path, e]));
    for (const applet of ['bin/sh', 'usr/sbin/httpd', 'usr/bin/wget', 'usr/bin/nslookup', 'bin/sleep', 'bin/tar']) {
      assert.deepEqual(byPath.get(applet), { type: 'symlink', path: applet, target: '/bin/busybox' }, applet);
    }
    const passwd = byPath.get('etc/passwd');
    assert.match(passwd?.type === 'file' ? passwd.data.toString() : '', /^root:x:0:0:.*\nnobody:x:65534:65534:/);
    assert.deepEqual(byPath.get('tmp'), { type: 'dir', path: 'tmp', mode: 0o1777 });
  });

  it('builds the tars once and rebuilds only when inputs change', async () => {
    const cacheDir = await tempDir();
    const first = await ensureProjectImages({ cacheDir });
    assert.equal(first.pause.rebuilt, true);
    assert.equal(first.busybox.rebuilt, true);
    const pause = parseDockerArchive(await readFile(first.pause.tarPath));
    assert.deepEqual(pause.repoTags, ['localhost/tugboat/pause:3.9']);
    assert.equal(pause.configDigest, first.pause.id);
    const config = JSON.parse(pause.config.toString()) as { config: { Entrypoint: string[] } };
    assert.deepEqual(config.config.Entrypoint, ['/pause']);

    const second = await ensureProjectImages({ cacheDir });
    assert.equal(second.pause.rebuilt, false);
    assert.equal(second.busybox.rebuilt, false);
    assert.equal(second.busybox.id, first.busybox.id);

    await writeFile(join(cacheDir, 'pause.inputs'), 'stale\n');
    const third = await ensureProjectImages({ cacheDir });
    assert.equal(third.pause.rebuilt, true);
    assert.equal(third.busybox.rebuilt, false);
  });

  it('reads image names from ctr import output', () => {
    const out = 'unpacking localhost/tugboat/busybox:latest (sha256:0123abcd)...done\nunpacking localhost/tugboat/busybox:1.35.0 (sha256:0123abcd)...done\n';
    assert.deepEqual(importedNames(out), ['localhost/tugboat/busybox:latest', 'localhost/tugboat/busybox:1.35.0']);
  });
});
