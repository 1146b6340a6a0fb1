// The pause image every pod sandbox starts from, built at setup from images/pause/pause.c with the
// machine's gcc (`-static -Os -s`, so the image holds one ~700 KB file and nothing else). It runs
// as 65535:65535, as Kubernetes' own pause image does, because it needs no privileges.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ImageDefinition } from './docker-archive.js';

const run = promisify(execFile);

export const PAUSE_IMAGE = 'localhost/tugboat/pause:3.9';

// The source sits in the top-level images/ folder; src/ and dist/ are both one level below the
// package root, so the same relative path works from TypeScript sources and the compiled build.
export const PAUSE_SOURCE = fileURLToPath(new URL('../../../images/pause/pause.c', import.meta.url));

export async function pauseImageDefinition(opts: { compiler?: string } = {}): Promise<ImageDefinition> {
  const dir = await mkdtemp(join(tmpdir(), 'tugboat-pause-'));
  try {
    const out = join(dir, 'pause');
    try {
      await run(opts.compiler ?? 'gcc', ['-static', '-Os', '-s', '-Wall', '-o', out, PAUSE_SOURCE]);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`building the pause image needs gcc and libc6-dev (apt-get install gcc libc6-dev): ${why}`, { cause: err });
    }
    const binary = await readFile(out);
    return {
      repoTags: [PAUSE_IMAGE],
      layers: [[{ type: 'file', path: 'pause', data: binary, mode: 0o755 }]],
      config: { Entrypoint: ['/pause'], User: '65535:65535', WorkingDir: '/' },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
