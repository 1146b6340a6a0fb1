// The helper shell runs each command with its arguments exactly as given (quotes, spaces, $ and
// backslashes included), reports failures with their output, survives its shell dying, and
// gives up a command that hangs (killing it) without holding up the ones behind it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ShellRunner } from './shell-runner.js';

describe('ShellRunner', () => {
  it('passes arguments through literally and runs commands in order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tug-shell-runner-'));
    try {
      const r = new ShellRunner();
      const tricky = `it's a "$HOME" \\ $(echo no) ; rm -rf /nothing`;
      const file = join(dir, 'a file');
      await Promise.all([r.run(['sh', '-c', 'printf "%s" "$1" > "$2"', 'sh', tricky, file]), r.run(['sh', '-c', 'printf x >> "$1"', 'sh', file])]);
      assert.equal(await readFile(file, 'utf8'), `${tricky}x`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects with the exit status and output of a failing command, then goes on', async () => {
    const r = new ShellRunner();
    await assert.rejects(r.run(['sh', '-c', 'echo "no such mount point" >&2; exit 32']), /exited with status 32: no such mount point/);
    await r.run(['true']);
  });

  it('starts a new shell when the old one died', async () => {
    const r = new ShellRunner();
    await assert.rejects(r.run(['sh', '-c', 'kill -9 $PPID']), /helper shell/);
    await r.run(['true']);
  });

  it('gives up a command that hangs, kills it, and runs the next one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tug-shell-runner-'));
    try {
      const r = new ShellRunner({ timeoutMs: 300 });
      const pidFile = join(dir, 'pid');
      // The hung command records its PID, then blocks (as a mount on a dead server would).
      const hung = r.run(['sh', '-c', 'echo $$ > "$1"; exec sleep 600', 'sh', pidFile]);
      const after = r.run(['true']);
      await assert.rejects(hung, /no answer after 0.3 s; gave up and killed it/);
      await after;
      const pid = Number(await readFile(pidFile, 'utf8'));
      assert.ok(pid > 0);
      const gone = async (): Promise<boolean> => !existsSync(`/proc/${pid}`) || (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => 'x x Z')).split(' ')[2] === 'Z';
      for (let i = 0; i < 100 && !(await gone()); i++) await new Promise((res) => setTimeout(res, 50));
      assert.ok(await gone(), `the hung command (pid ${pid}) is still running`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
