// Pushes an image to an OCI distribution registry (the Docker Registry HTTP API v2) without any
// container tooling: each blob — the config and the gzip-compressed layers — is uploaded with a
// POST (start an upload session) and a PUT (finish it with the digest), skipping blobs the
// registry already has, then a Docker v2 schema 2 manifest is PUT under the tag. Used by tests to
// serve the project's test image from a real registry, so pulls go through containerd's CRI.
import { gzipSync } from 'node:zlib';
import { sha256, type BuiltImage } from './docker-archive.js';

export const MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const CONFIG_MEDIA_TYPE = 'application/vnd.docker.container.image.v1+json';
const LAYER_MEDIA_TYPE = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

export interface PushOptions {
  /** `http://127.0.0.1:5000` */
  registryUrl: string;
  /** e.g. `tugboat/busybox` */
  repository: string;
  tag: string;
  image: BuiltImage;
  /** Basic credentials, for registries that ask for them. */
  auth?: { username: string; password: string };
}

interface Blob {
  mediaType: string;
  data: Buffer;
  digest: string;
}

async function expect(res: Response, ok: number[], what: string): Promise<Response> {
  if (!ok.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${await res.text().catch(() => '')}`.trim());
  return res;
}

export async function pushImage(o: PushOptions): Promise<{ digest: string }> {
  const base = o.registryUrl.replace(/\/$/, '');
  const headers: Record<string, string> = o.auth ? { authorization: `Basic ${Buffer.from(`${o.auth.username}:${o.auth.password}`).toString('base64')}` } : {};
  const blobs: Blob[] = [{ mediaType: CONFIG_MEDIA_TYPE, data: o.image.config, digest: o.image.configDigest }];
  for (const l of o.image.layers) {
    const data = gzipSync(l.tar);
    blobs.push({ mediaType: LAYER_MEDIA_TYPE, data, digest: sha256(data) });
  }
  for (const b of blobs) {
    const head = await fetch(`${base}/v2/${o.repository}/blobs/${b.digest}`, { method: 'HEAD', headers });
    if (head.status === 200) continue;
    const start = await expect(await fetch(`${base}/v2/${o.repository}/blobs/uploads/`, { method: 'POST', headers }), [202], `starting upload of ${b.digest}`);
    const location = start.headers.get('location');
    if (!location) throw new Error('registry sent no upload location');
    const url = new URL(location, `${base}/`);
    url.searchParams.set('digest', b.digest);
    await expect(
      await fetch(url, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: b.data }),
      [201, 204],
      `uploading ${b.digest}`,
    );
  }
  const [config, ...layers] = blobs.map((b) => ({ mediaType: b.mediaType, size: b.data.length, digest: b.digest }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_MEDIA_TYPE, config, layers }));
  await expect(
    await fetch(`${base}/v2/${o.repository}/manifests/${o.tag}`, { method: 'PUT', headers: { ...headers, 'content-type': MANIFEST_MEDIA_TYPE }, body: manifest }),
    [201],
    `putting manifest ${o.repository}:${o.tag}`,
  );
  return { digest: sha256(manifest) };
}
