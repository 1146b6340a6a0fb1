// `tug image`: images on this machine's nodes. `load FILE.tar` imports a docker-archive or OCI
// archive into each node's containerd (CRI has no import call, so it goes through `ctr` on the
// node's socket) and `ls` lists what the CRI sees, like `crictl images`. A node is named by its
// agent data dir (`--data-dir`, the socket is DIR/containerd/containerd.sock) or by its socket
// (`--address`); both repeat, for machines running several nodes.
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ContainerdRuntime, nodeEndpoint } from '../agent/cri/index.js';
import { importImage } from '../agent/images/index.js';

export const DEFAULT_AGENT_DATA_DIR = '/var/lib/tugboat/agent';

interface TargetFlags {
  address: string[];
  dataDir: string[];
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function endpoints(o: TargetFlags): string[] {
  const out = [...o.address.map((a) => (a.startsWith('unix://') ? a : `unix://${resolve(a)}`)), ...o.dataDir.map((d) => nodeEndpoint({ dataDir: resolve(d) }))];
  return out.length > 0 ? out : [nodeEndpoint({ dataDir: DEFAULT_AGENT_DATA_DIR })];
}

/** Runs `fn` with a runtime on each node's existing containerd (never starting one). */
async function eachNode(o: TargetFlags, fn: (rt: ContainerdRuntime, endpoint: string) => Promise<void>): Promise<void> {
  for (const endpoint of endpoints(o)) {
    const socket = endpoint.replace(/^unix:\/\//, '');
    if (!existsSync(socket)) throw new Error(`no containerd socket at ${socket} (is the agent running? pass --data-dir or --address)`);
    const rt = new ContainerdRuntime({ endpoint, projectImages: false });
    try {
      await fn(rt, endpoint);
    } finally {
      await rt.close();
    }
  }
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
    .option('--data-dir <dir>', `agent data dir of a node (repeatable; default ${DEFAULT_AGENT_DATA_DIR})`, collect, [])
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
      await eachNode(o, async (rt) => {
        const { images } = await importImage({ address: rt.address, imageStatus: (i) => rt.imageStatus(i) }, path);
        for (const name of images) out.write(`Loaded image: ${name}\n`);
      });
    });
  targetOptions(image.command('ls'))
    .description('list the images each node holds')
    .action(async (o: TargetFlags) => {
      const many = endpoints(o).length > 1;
      await eachNode(o, async (rt, endpoint) => {
        const rows = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
        for (const img of await rt.listImages()) {
          const id = img.id.replace(/^sha256:/, '').slice(0, 13);
          const refs = img.repoTags.length > 0 ? img.repoTags : img.repoDigests.map((d) => `${d.slice(0, d.indexOf('@'))}:<none>`);
          for (const ref of refs) {
            const { repo, tag } = splitTag(ref);
            rows.push([repo, tag, id, humanSize(img.size)]);
          }
        }
        rows.splice(1, rows.length, ...rows.slice(1).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '') || (a[1] ?? '').localeCompare(b[1] ?? '')));
        if (many) out.write(`${endpoint}:\n`);
        out.write(table(rows));
      });
    });
  return image;
}
