// A process started with its young generation held small (as `tug server` is) keeps it small while
// it allocates little, and lets V8 grow it once it allocates like a busy server — but only when
// growYoungGenerationWhenBusy is armed. Each case runs in its own node process: V8 flags are
// per process.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const moduleUrl = new URL('./young-generation.ts', import.meta.url).href;

/** New-space size before and after a burst of short-lived allocation, in a fresh process. */
function newSpaceAfterBurst(o: { armed: boolean }): Promise<{ before: number; after: number }> {
  const script = `
    import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
    // As main.ts does; on the command line V8 would raise the factor to its minimum of 2.
    setFlagsFromString('--semi-space-growth-factor=1');
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
    const { growYoungGenerationWhenBusy } = await import(${JSON.stringify(moduleUrl)});
    const before = newSpace();
    if (${o.armed}) growYoungGenerationWhenBusy({ scavengesPerSecond: 5 });
    const keep = [];
    // ~200 MB of small objects within a second or two, a few kept alive, like requests in flight.
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 50000; i++) { const o = { i, s: 'x' + i, a: [i, i + 1] }; if (i % 500 === 0) keep.push(o); }
      await new Promise((r) => setImmediate(r));
    }
    process.stdout.write(JSON.stringify({ before, after: newSpace() }));
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: 60_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as { before: number; after: number })),
    );
  });
}

describe('growYoungGenerationWhenBusy', () => {
  it('leaves the young generation at its start size when not armed', async () => {
    const { before, after } = await newSpaceAfterBurst({ armed: false });
    assert.equal(after, before);
  });

  it('lets it grow once the process allocates like a busy server', async () => {
    const { before, after } = await newSpaceAfterBurst({ armed: true });
    assert.ok(after >= 4 * before, `new space ${before} → ${after} bytes`);
  });
});
