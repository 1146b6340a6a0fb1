// The real tmpfs mounter (secrets and memory-backed emptyDirs): `mount -t tmpfs`, `umount`, and
// /proc/self/mountinfo to see what is mounted where. The agent runs in the host's mount
// namespace, so containerd bind-mounts these directories into containers as they are. The
// commands go through one helper shell (shell-runner.ts), so the agent never forks itself per mount.
import { readFile } from 'node:fs/promises';
import { ShellRunner } from './shell-runner.js';
import type { Mounter } from './types.js';

const shell = new ShellRunner();
const run = (cmd: string, args: string[]): Promise<void> => shell.run([cmd, ...args]);

/** Mount points from /proc/self/mountinfo, with octal escapes (\040 for space) decoded. */
export async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8))));
}

export const systemMounter: Mounter = {
  async mountTmpfs(dir, o) {
    if ((await mountPoints()).includes(dir)) return;
    const opts = ['mode=0755', ...(o.sizeBytes ? [`size=${o.sizeBytes}`] : [])].join(',');
    await run('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
  },
  async unmountAll(dir) {
    const below = (await mountPoints()).filter((p) => p === dir || p.startsWith(`${dir}/`));
    for (const p of [...new Set(below)].sort((a, b) => b.length - a.length)) {
      await run('umount', [p]).catch(() => run('umount', ['-l', p]));
    }
  },
};
