// What has to happen before a node's containerd can run pods: its own containerd started (unless
// the agent was pointed at a running one) and the project's images — the pause image every
// sandbox starts from, and the busybox test image — built or found in the cache and imported when
// the node does not hold that exact build yet. Both run concurrently; a managed containerd that
// dies unexpectedly is started again with back-off, and its pods keep running meanwhile.
import { join } from 'node:path';
import { ensureProjectImages, importImage, PAUSE_IMAGE, type ImageFile } from '../../images/index.js';
import { CriConnection } from './grpc-client.js';
import { containerdPaths } from './config.js';
import { DEFAULT_CNI_BIN_DIR, startContainerd, type ContainerdProcess } from './supervisor.js';
import type { WireImage } from './wire.js';

export interface ContainerdNodeOptions {
  /** A running containerd to use (`unix:///path`), instead of starting one. */
  endpoint?: string;
  /** The agent's data dir: containerd lives in `<dataDir>/containerd`, image tars in `<dataDir>/images`. */
  dataDir?: string;
  /** Where the CNI conflist is read from (default `<dataDir>/cni/net.d`). */
  cniConfDir?: string;
  cniBinDir?: string;
  sandboxImage?: string;
  /** Where built image tars are cached (default `<dataDir>/images`). */
  imageCacheDir?: string;
  /** Build and import the pause and test images (default true). */
  projectImages?: boolean;
  log?: (msg: string) => void;
}

export interface ContainerdNode {
  endpoint: string;
  /** The containerd we started, if we did. */
  process: ContainerdProcess | undefined;
  stop(): Promise<void>;
}

export function nodeEndpoint(o: ContainerdNodeOptions): string {
  if (o.endpoint) return o.endpoint;
  if (!o.dataDir) throw new Error('the containerd runtime needs --data-dir or --container-runtime-endpoint');
  return `unix://${containerdPaths(join(o.dataDir, 'containerd')).address}`;
}

async function importIfMissing(conn: CriConnection, endpoint: string, img: ImageFile, log: (m: string) => void): Promise<void> {
  const res = await conn.call<{ image: WireImage | null }>('ImageStatus', { image: { image: img.name } });
  if (res.image?.id === img.id) return;
  const t = performance.now();
  const imageStatus = async (spec: { image: string }): Promise<boolean> =>
    Boolean((await conn.call<{ image: WireImage | null }>('ImageStatus', { image: spec })).image?.id);
  const { images } = await importImage({ address: endpoint, imageStatus }, img.tarPath);
  log(`imported ${images.join(', ')} in ${(performance.now() - t).toFixed(0)} ms`);
}

export async function setUpContainerdNode(o: ContainerdNodeOptions): Promise<ContainerdNode> {
  const log = o.log ?? (() => undefined);
  const endpoint = nodeEndpoint(o);
  const projectImages = o.projectImages !== false;
  const cacheDir = o.imageCacheDir ?? (o.dataDir ? join(o.dataDir, 'images') : undefined);
  if (projectImages && !cacheDir) throw new Error('building the project images needs a data dir or an image cache dir');
  const images = projectImages && cacheDir ? ensureProjectImages({ cacheDir }) : undefined;
  // Keep a rejected build from being reported as unhandled while containerd starts.
  images?.catch(() => undefined);

  let proc: ContainerdProcess | undefined;
  let stopping = false;
  let retry: NodeJS.Timeout | undefined;
  const start = async (): Promise<ContainerdProcess> => {
    const dataDir = o.dataDir ?? '';
    const p = await startContainerd({
      dataDir: join(dataDir, 'containerd'),
      cniConfDir: o.cniConfDir ?? join(dataDir, 'cni', 'net.d'),
      cniBinDir: o.cniBinDir ?? DEFAULT_CNI_BIN_DIR,
      sandboxImage: o.sandboxImage ?? PAUSE_IMAGE,
      log,
    });
    void p.exited.then((code) => {
      if (stopping) return;
      log(`containerd (pid ${p.pid}) exited unexpectedly (code ${code}); restarting`);
      restartAfter(1_000);
    });
    return p;
  };
  const restartAfter = (delayMs: number): void => {
    retry = setTimeout(() => {
      retry = undefined;
      void (async () => {
        try {
          const p = await start();
          proc = p;
          // stop() ran while this containerd was starting.
          if (stopping) await p.stop();
        } catch (err) {
          log(`restarting containerd failed: ${err instanceof Error ? err.message : String(err)}`);
          if (!stopping) restartAfter(Math.min(delayMs * 2, 30_000));
        }
      })();
    }, delayMs);
  };
  if (!o.endpoint) proc = await start();

  const stop = async (): Promise<void> => {
    stopping = true;
    clearTimeout(retry);
    await proc?.stop();
  };
  try {
    if (images) {
      const built = await images;
      const conn = new CriConnection(endpoint);
      try {
        await Promise.all([importIfMissing(conn, endpoint, built.pause, log), importIfMissing(conn, endpoint, built.busybox, log)]);
      } finally {
        conn.close();
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    endpoint,
    get process() {
      return proc;
    },
    stop,
  };
}
