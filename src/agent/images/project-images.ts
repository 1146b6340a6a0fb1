// The images Tugboat builds for itself at setup (pause and the busybox test image), kept as
// docker-archive tars in a cache directory and rebuilt only when their inputs change: the inputs
// (pause.c, the busybox binary, this builder's version) are hashed into `<name>.inputs` beside
// `<name>.tar`. Files are written to a temporary name and renamed, so agents starting at the same
// time on one machine never read a half-written tar.
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { busyboxImageDefinition, BUSYBOX_BINARY, TEST_IMAGE } from './busybox-image.js';
import { buildImage, dockerArchive, type ImageDefinition } from './docker-archive.js';
import { pauseImageDefinition, PAUSE_IMAGE, PAUSE_SOURCE } from './pause-image.js';

// Bump when the builder's output changes for the same inputs.
const BUILDER_VERSION = '1';

export interface ImageFile {
  /** The image's primary name. */
  name: string;
  tarPath: string;
  /** The image id (digest of its config), to tell whether a node already holds this build. */
  id: string;
  /** Whether this call (re)built the tar. */
  rebuilt: boolean;
}

export interface ProjectImages {
  pause: ImageFile;
  busybox: ImageFile;
}

interface Recipe {
  file: string;
  name: string;
  inputs: () => Promise<Buffer[]>;
  define: () => Promise<ImageDefinition>;
}

const recipes: Record<keyof ProjectImages, Recipe> = {
  pause: { file: 'pause', name: PAUSE_IMAGE, inputs: async () => [await readFile(PAUSE_SOURCE)], define: () => pauseImageDefinition() },
  busybox: { file: 'busybox', name: TEST_IMAGE, inputs: async () => [await readFile(BUSYBOX_BINARY)], define: () => busyboxImageDefinition() },
};

async function ensure(cacheDir: string, r: Recipe): Promise<ImageFile> {
  const h = createHash('sha256').update(`tugboat-images/${BUILDER_VERSION}/${r.name}\n`);
  for (const b of await r.inputs()) h.update(b);
  const digest = h.digest('hex');
  const tarPath = join(cacheDir, `${r.file}.tar`);
  const inputsPath = join(cacheDir, `${r.file}.inputs`);
  // `<name>.inputs` holds the inputs digest and, on its second line, the image id it produced.
  const [haveDigest, haveId] = (await readFile(inputsPath, 'utf8').catch(() => '')).split('\n');
  const tarPresent = await access(tarPath).then(
    () => true,
    () => false,
  );
  if (haveDigest === digest && haveId && tarPresent) return { name: r.name, tarPath, id: haveId, rebuilt: false };
  const image = buildImage(await r.define());
  const tar = dockerArchive(image);
  const tmp = `${tarPath}.${process.pid}.tmp`;
  await writeFile(tmp, tar);
  await rename(tmp, tarPath);
  await writeFile(`${inputsPath}.${process.pid}.tmp`, `${digest}\n${image.configDigest}\n`);
  await rename(`${inputsPath}.${process.pid}.tmp`, inputsPath);
  return { name: r.name, tarPath, id: image.configDigest, rebuilt: true };
}

/** Builds (or finds up to date in `cacheDir`) the pause and test image tars. */
export async function ensureProjectImages(opts: { cacheDir: string }): Promise<ProjectImages> {
  await mkdir(opts.cacheDir, { recursive: true });
  const [pause, busybox] = await Promise.all([ensure(opts.cacheDir, recipes.pause), ensure(opts.cacheDir, recipes.busybox)]);
  return { pause, busybox };
}
