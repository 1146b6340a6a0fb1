// Runs short host commands (mount, umount) through one long-lived /bin/sh instead of spawning
// each from the agent. Spawning from Node forks the whole agent process and blocks its event loop
// until the child has exec'd: in a CPU profile of 60 pod starts on a loaded 2-CPU machine that
// was ~2 s of the agent's main thread, about 20 ms per tmpfs mount or unmount, stalling every
// other pod's CRI calls and status writes meanwhile. The shell forks itself (a small process)
// while the agent carries on. Commands run one at a time; each ends with a line holding a random
// marker and its exit status. The shell exits when the agent does (its stdin closes), and a shell
// that died is replaced on the next command. A command that does not answer within its timeout
// (a mount hung on a dead server, say) fails, and its shell is killed with everything it started
// (the shell leads a process group of its own), so the commands queued behind it still run.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** Quotes one argument for sh: inside single quotes everything is literal but the quote itself. */
const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

interface Pending {
  marker: string;
  argv: string[];
  resolve(): void;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
}

/** How long one mount or unmount may take before it is given up. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;

export class ShellRunner {
  private sh: ChildProcessWithoutNullStreams | undefined;
  private out = '';
  private current: Pending | undefined;
  private readonly queue: Pending[] = [];

  constructor(private readonly o: { timeoutMs?: number } = {}) {}

  /** Runs `argv` (no shell expansion); rejects with its output if it exits non-zero. */
  run(argv: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ marker: `__tug_done_${randomBytes(8).toString('hex')}`, argv, resolve, reject });
      this.next();
    });
  }

  private shell(): ChildProcessWithoutNullStreams {
    if (this.sh && this.sh.exitCode === null && this.sh.signalCode === null) return this.sh;
    const sh = spawn('/bin/sh', [], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.sh = sh;
    this.out = '';
    sh.stdout.setEncoding('utf8');
    sh.stdout.on('data', (d: string) => this.onOutput(d));
    sh.stderr.resume();
    const lost = (why: string): void => {
      if (this.sh !== sh) return;
      this.sh = undefined;
      const cur = this.current;
      this.current = undefined;
      if (cur) clearTimeout(cur.timer);
      cur?.reject(new Error(`${cur.argv.join(' ')}: helper shell ${why}`));
      this.next();
    };
    sh.on('error', (err) => lost(err.message));
    sh.on('exit', (code, sig) => lost(`exited (${code ?? sig ?? '?'})`));
    sh.stdin.on('error', () => undefined);
    return sh;
  }

  /** An idle shell keeps no process alive; a command being run does, until it answers. */
  private hold(sh: ChildProcessWithoutNullStreams, busy: boolean): void {
    if (busy) sh.ref();
    else sh.unref();
    for (const s of [sh.stdin, sh.stdout, sh.stderr] as unknown as { ref(): void; unref(): void }[]) {
      if (busy) s.ref();
      else s.unref();
    }
  }

  private onOutput(d: string): void {
    this.out += d;
    const cur = this.current;
    if (!cur) return;
    const at = this.out.indexOf(`${cur.marker} `);
    if (at < 0) return;
    const eol = this.out.indexOf('\n', at);
    if (eol < 0) return;
    const status = Number(this.out.slice(at + cur.marker.length + 1, eol));
    const output = this.out.slice(0, at).trim();
    this.out = this.out.slice(eol + 1);
    this.current = undefined;
    clearTimeout(cur.timer);
    if (this.sh && this.queue.length === 0) this.hold(this.sh, false);
    if (status === 0) cur.resolve();
    else cur.reject(new Error(`${cur.argv.join(' ')} exited with status ${status}${output ? `: ${output}` : ''}`));
    this.next();
  }

  private next(): void {
    if (this.current) return;
    const p = this.queue.shift();
    if (!p) return;
    this.current = p;
    try {
      const sh = this.shell();
      this.out = '';
      this.hold(sh, true);
      const ms = this.o.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
      p.timer = setTimeout(() => this.expire(p, sh, ms), ms);
      p.timer.unref();
      sh.stdin.write(`${p.argv.map(quote).join(' ')} </dev/null 2>&1; tug_rc=$?; echo; echo "${p.marker} $tug_rc"\n`);
    } catch (err) {
      this.current = undefined;
      p.reject(err instanceof Error ? err : new Error(String(err)));
      this.next();
    }
  }

  /** Gives up a command that did not answer: kills its shell's process group, then goes on. */
  private expire(p: Pending, sh: ChildProcessWithoutNullStreams, ms: number): void {
    if (this.current !== p) return;
    this.current = undefined;
    if (this.sh === sh) this.sh = undefined;
    try {
      if (sh.pid !== undefined) process.kill(-sh.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    p.reject(new Error(`${p.argv.join(' ')}: no answer after ${ms / 1000} s; gave up and killed it`));
    this.next();
  }
}
