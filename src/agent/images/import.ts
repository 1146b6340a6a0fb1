// Imports a docker-archive or OCI archive tar into a containerd's `k8s.io` namespace (the one its
// CRI plugin serves). CRI has no import call, so this runs containerd's own client, `ctr` (shipped
// in Debian's containerd package), against the node's socket. containerd's CRI learns of new
// images from events, a moment after ctr returns, so when given the runtime's imageStatus this
// waits until the CRI sees every imported name.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const CTR_BINARY = '/usr/bin/ctr';
export const CRI_NAMESPACE = 'k8s.io';

export interface ImportTarget {
  /** containerd's socket: a path, or `unix:///path`. */
  address: string;
  /** When present, used to wait until the CRI lists the imported images. */
  imageStatus?(image: { image: string }): Promise<unknown>;
}

export interface ImportResult {
  /** Names of the imported images, as containerd stored them. */
  images: string[];
}

const socketPath = (address: string): string => address.replace(/^unix:\/\//, '');

/** Image names from ctr's progress lines, `unpacking <name> (sha256:…)...done`. */
export function importedNames(ctrOutput: string): string[] {
  const names: string[] = [];
  for (const m of ctrOutput.matchAll(/^unpacking (\S+) \(sha256:[0-9a-f]+\)/gm)) if (m[1]) names.push(m[1]);
  return names;
}

export async function importImage(target: ImportTarget, tarPath: string, opts: { ctr?: string; timeoutMs?: number } = {}): Promise<ImportResult> {
  let stdout: string;
  try {
    ({ stdout } = await run(opts.ctr ?? CTR_BINARY, ['-n', CRI_NAMESPACE, '--address', socketPath(target.address), 'images', 'import', tarPath], {
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`importing ${tarPath} failed: ${stderr || (err instanceof Error ? err.message : String(err))}`, { cause: err });
  }
  const images = importedNames(stdout);
  if (target.imageStatus) {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    for (const image of images) {
      while (!(await target.imageStatus({ image }))) {
        if (Date.now() > deadline) throw new Error(`imported ${image}, but the CRI does not list it`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
  return { images };
}
