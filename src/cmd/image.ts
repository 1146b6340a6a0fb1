// `tug image`: images on this machine's nodes. `load FILE.tar` imports a docker-archive or OCI
// archive into each node's containerd (CRI has no import call, so it goes through `ctr` on the
// node's socket) and `ls` lists what the CRI sees, like `crictl images`, with a NODE column when
// it covers several nodes. `--data-dir` names a `tug up` data dir (every node of that cluster, the
// default /var/lib/tugboat) or one node's agent data dir; `--address` names a socket. Both repeat.
// One node that cannot be reached does not stop the others; the command fails at the end.
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ContainerdRuntime } from '../agent/cri/index.js';
import { importImage } from '../agent/images/index.js';
import { hasSocket, imageTargets, type ImageTarget, type TargetFlags } from './image-targets.js';

/** A `tug up` data dir (all its nodes) or, on a `tug agent` machine, the parent of its agent dir. */
export const DEFAULT_IMAGE_DATA_DIR = '/var/lib/tugboat';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Runs `fn` with a runtime on each node's existing containerd (never starting one). */
async function eachNode(targets: ImageTarget[], fn: (rt: ContainerdRuntime, t: ImageTarget) => Promise<void>): Promise<void> {
  const failed: string[] = [];
  for (const t of targets) {
    const socket = t.endpoint.replace(/^unix:\/\//, '');
    if (!hasSocket(t)) {
      failed.push(`${targets.length > 1 ? `${t.name}: ` : ''}no containerd socket at ${socket} (is the agent running? pass --data-dir or --address)`);
      continue;
    }
    const rt = new ContainerdRuntime({ endpoint: t.endpoint, projectImages: false });
    try {
      await fn(rt, t);
    } catch (err) {
      if (targets.length === 1) throw err;
      failed.push(`${t.name}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await rt.close();
    }
  }
  if (failed.length === 1 && targets.length === 1) throw new Error(failed[0]);
  if (failed.length > 0) throw new Error(`${failed.length} of ${targets.length} nodes failed:\n  ${failed.join('\n  ')}`);
}

/** Sizes as crictl prints them: decimal units, three significant digits. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

function splitTag(ref: string): { repo: string; tag: string } {
  const at = ref.lastIndexOf(':');
  return at > ref.lastIndexOf('/') ? { repo: ref.slice(0, at), tag: ref.slice(at + 1) } : { repo: ref, tag: '<none>' };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('')).join('\n') + '\n';
}

function targetOptions(c: Command): Command {
  return c
    .option('--data-dir <dir>', `a tug up data dir (all its nodes) or one node's agent data dir (repeatable; default ${DEFAULT_IMAGE_DATA_DIR})`, collect, [])
    .option('--address <socket>', "a node's containerd socket (repeatable)", collect, []);
}

export function imageCommand(io: { out?: NodeJS.WritableStream } = {}): Command {
  const out = io.out ?? process.stdout;
  const image = new Command('image').description("manage images on this machine's nodes");
  targetOptions(image.command('load').argument('<file>', 'a docker-archive (docker save) or OCI archive tar'))
    .description("import an image archive into each node's containerd")
    .action(async (file: string, o: TargetFlags) => {
      const path = resolve(file);
      if (!existsSync(path)) throw new Error(`${file}: no such file`);
      const targets = await imageTargets(o, DEFAULT_IMAGE_DATA_DIR);
      await eachNode(targets, async (rt, t) => {
        const { images } = await importImage({ address: rt.address, imageStatus: (i) => rt.imageStatus(i) }, path);
        for (const name of images) out.write(`${targets.length > 1 ? `[${t.name}] ` : ''}Loaded image: ${name}\n`);
      });
    });
  targetOptions(image.command('ls'))
    .description('list the images each node holds')
    .action(async (o: TargetFlags) => {
      const targets = await imageTargets(o, DEFAULT_IMAGE_DATA_DIR);
      const many = targets.length > 1;
      const rows: string[][] = [];
      // Printed even when a node fails, so the others' images still show.
      const listing = eachNode(targets, async (rt, t) => {
        for (const img of await rt.listImages()) {
          const id = img.id.replace(/^sha256:/, '').slice(0, 13);
          const refs = img.repoTags.length > 0 ? img.repoTags : img.repoDigests.map((d) => `${d.slice(0, d.indexOf('@'))}:<none>`);
          for (const ref of refs) {
            const { repo, tag } = splitTag(ref);
            rows.push([...(many ? [t.name] : []), repo, tag, id, humanSize(img.size)]);
          }
        }
      });
      const failure = await listing.then(() => undefined, (err: unknown) => err);
      const byText = (a: string[], b: string[]): number => a.reduce((d, x, i) => d || x.localeCompare(b[i] ?? ''), 0);
      // Nodes keep their order; images sort by name and tag within each.
      const order = new Map(targets.map((t, i) => [t.name, i]));
      rows.sort((a, b) => (many ? (order.get(a[0] ?? '') ?? 0) - (order.get(b[0] ?? '') ?? 0) : 0) || byText(a, b));
      if (rows.length > 0 || failure === undefined) out.write(table([[...(many ? ['NODE'] : []), 'IMAGE', 'TAG', 'IMAGE ID', 'SIZE'], ...rows]));
      if (failure !== undefined) throw failure;
    });
  return image;
}
