// What "running a command" means in a fake container: nothing runs, but a few commands answer
// the way a shell would, so exec-based probes and conformance checks behave predictably on hollow
// nodes: `false` exits 1, `sh -c 'exit N'` exits N, `echo ARGS` prints them; anything else
// succeeds silently.
import type { ExecSyncResult } from '../runtime.js';

const result = (exitCode: number, stdout = ''): ExecSyncResult => ({ stdout: Buffer.from(stdout), stderr: Buffer.alloc(0), exitCode });

export function fakeExec(cmd: string[]): ExecSyncResult {
  const [prog = '', ...args] = cmd;
  const name = prog.slice(prog.lastIndexOf('/') + 1);
  if (name === 'false') return result(1);
  if (name === 'echo') return result(0, `${args.join(' ')}\n`);
  if ((name === 'sh' || name === 'bash') && args[0] === '-c') {
    const m = /^\s*exit\s+(\d+)\s*$/.exec(args[1] ?? '');
    if (m) return result(Number(m[1]) % 256);
    const echo = /^\s*echo\s+(.*)$/.exec(args[1] ?? '');
    if (echo) return result(0, `${echo[1] ?? ''}\n`);
  }
  return result(0);
}
