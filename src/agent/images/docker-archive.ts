// Builds container images as data and writes them as docker-archive tars (the `docker save`
// layout containerd's importer reads): one uncompressed layer tar per layer under
// `<diff id>/layer.tar`, the image config as `<config digest>.json`, and `manifest.json` naming
// the config, the layers and the image's tags. The same parts feed the registry push in
// registry-push.ts, so a test can serve exactly the image the node imports.
import { createHash } from 'node:crypto';
import { tarBuffer, readTar, type TarEntry } from './tar.js';

export interface ImageDefinition {
  /** Full names, e.g. `localhost/tugboat/busybox:latest`. */
  repoTags: string[];
  /** Each layer's entries, lowest first. */
  layers: TarEntry[][];
  /** The runtime defaults of the image config (Docker's capitalised keys). */
  config: { Entrypoint?: string[]; Cmd?: string[]; Env?: string[]; WorkingDir?: string; User?: string };
}

export interface BuiltImage {
  repoTags: string[];
  /** The image config JSON; its sha256 is the image id. */
  config: Buffer;
  configDigest: string;
  layers: { tar: Buffer; diffId: string }[];
}

export const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const hex = (digest: string): string => digest.slice('sha256:'.length);

export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
// Fixed so rebuilding unchanged inputs yields the same image id.
const CREATED = '1970-01-01T00:00:00Z';

export function buildImage(def: ImageDefinition): BuiltImage {
  const layers = def.layers.map((entries) => {
    const tar = tarBuffer(entries);
    return { tar, diffId: sha256(tar) };
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: CREATED,
      config: { Env: [DEFAULT_PATH_ENV], ...def.config },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map(() => ({ created: CREATED, created_by: 'tugboat image builder' })),
    }),
  );
  return { repoTags: def.repoTags, config, configDigest: sha256(config), layers };
}

export function dockerArchive(img: BuiltImage): Buffer {
  const entries: TarEntry[] = [];
  for (const l of img.layers) {
    entries.push({ type: 'dir', path: hex(l.diffId) }, { type: 'file', path: `${hex(l.diffId)}/layer.tar`, data: l.tar });
  }
  const configName = `${hex(img.configDigest)}.json`;
  entries.push({ type: 'file', path: configName, data: img.config });
  const manifest = [{ Config: configName, RepoTags: img.repoTags, Layers: img.layers.map((l) => `${hex(l.diffId)}/layer.tar`) }];
  entries.push({ type: 'file', path: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) });
  return tarBuffer(entries);
}

interface ArchiveManifest {
  Config: string;
  RepoTags?: string[];
  Layers: string[];
}

/** Reads a docker-archive tar back into its parts (first image only). */
export function parseDockerArchive(tar: Buffer): BuiltImage {
  const files = new Map<string, Buffer>();
  for (const e of readTar(tar)) if (e.type === 'file') files.set(e.path.replace(/^\.\//, ''), e.data);
  const manifestRaw = files.get('manifest.json');
  if (!manifestRaw) throw new Error('not a docker archive: manifest.json missing');
  const manifest = (JSON.parse(manifestRaw.toString()) as ArchiveManifest[])[0];
  if (!manifest) throw new Error('docker archive: empty manifest.json');
  const need = (name: string): Buffer => {
    const b = files.get(name);
    if (!b) throw new Error(`docker archive: ${name} missing`);
    return b;
  };
  const config = need(manifest.Config);
  return {
    repoTags: manifest.RepoTags ?? [],
    config,
    configDigest: sha256(config),
    layers: manifest.Layers.map((name) => {
      const layer = need(name);
      return { tar: layer, diffId: sha256(layer) };
    }),
  };
}
