// Writes an image as an OCI image layout tar (`oci-layout`, `index.json`, `blobs/sha256/…`), the
// other archive format `tug image load` accepts. The index names the image with containerd's
// `io.containerd.image.name` annotation (full name) and the OCI `ref.name` (its tag), so importers
// that know either find it.
import { sha256, type BuiltImage } from './docker-archive.js';
import { tarBuffer, type TarEntry } from './tar.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';

export function ociArchive(img: BuiltImage): Buffer {
  const blobs = new Map<string, Buffer>();
  const add = (data: Buffer): { digest: string; size: number } => {
    const digest = sha256(data);
    blobs.set(digest, data);
    return { digest, size: data.length };
  };
  const config = { mediaType: OCI_CONFIG, ...add(img.config) };
  const layers = img.layers.map((l) => ({ mediaType: OCI_LAYER, ...add(l.tar) }));
  const manifest = { mediaType: OCI_MANIFEST, ...add(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers }))) };
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: img.repoTags.map((name) => ({
      ...manifest,
      platform: { architecture: 'amd64', os: 'linux' },
      annotations: { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': name.slice(name.lastIndexOf(':') + 1) },
    })),
  };
  const entries: TarEntry[] = [
    { type: 'file', path: 'oci-layout', data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    { type: 'file', path: 'index.json', data: Buffer.from(JSON.stringify(index)) },
    { type: 'dir', path: 'blobs' },
    { type: 'dir', path: 'blobs/sha256' },
  ];
  for (const [digest, data] of blobs) entries.push({ type: 'file', path: `blobs/sha256/${digest.slice('sha256:'.length)}`, data });
  return tarBuffer(entries);
}
