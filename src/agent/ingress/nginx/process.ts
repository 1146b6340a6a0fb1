// The nginx master as a child process of the agent: started in the foreground (`daemon off`)
// from the plane's own prefix directory, sent SIGHUP to reload (nginx starts new workers on the
// new config and lets the old ones finish their requests), restarted with back-off if it dies,
// and stopped by its PID: SIGQUIT (graceful), then SIGTERM, then SIGKILL to the master and its
// workers. A master left behind by an agent that was killed is found through the pid file in
// the prefix (and only if its command line names this prefix's config) and stopped first, so it
// cannot keep the ports. Workers outlive a master that is killed outright and would keep the
// ports too; they are found by their working directory (the prefix, where the master was
// started) and stopped before a restart. Its stderr (the error log) goes to the agent log line
// by line.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Backoff } from '../../../lib/backoff.js';

export interface NginxProcessOptions {
  bin: string;
  /** The prefix directory (`nginx -p`). */
  dir: string;
  /** Unix sockets the config listens on: removed before a start, since a killed nginx leaves them. */
  sockets: string[];
  conf: string;
  pidFile: string;
  log(msg: string): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Whether a process exists and is not a zombie waiting to be reaped. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(/\s+/).filter(Boolean).map(Number);
}

async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (pids.some(alive)) {
    if (Date.now() > until) return false;
    await sleep(25);
  }
  return true;
}

/** nginx processes (by command line) whose working directory is `dir`. */
function nginxProcessesIn(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) !== dir) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').startsWith('nginx: ')) out.push(Number(name));
    } catch {
      // exited meanwhile, or not ours to look at
    }
  }
  return out;
}

/** Runs `nginx -t` on a config; resolves with nginx's complaint, or undefined when it is valid. */
export function testConfig(o: { bin: string; dir: string; conf: string }): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(o.bin, ['-t', '-q', '-p', o.dir, '-c', o.conf, '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => resolve(e.message));
    child.on('close', (code) => resolve(code === 0 ? undefined : err.trim() || `nginx -t exited with ${code}`));
  });
}

export class NginxProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private readonly backoff = new Backoff({ initialMs: 500, maxMs: 30_000 });
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: NginxProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops a master an earlier agent left running from this prefix. */
  private async stopStale(): Promise<void> {
    const pid = Number((await readFile(this.o.pidFile, 'utf8').catch(() => '')).trim());
    if (!pid || !alive(pid)) return;
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
    if (!cmdline.includes('nginx') || !cmdline.includes(this.o.conf)) return;
    this.o.log(`ingress: stopping nginx ${pid} left from an earlier run`);
    await this.kill(pid);
  }

  /** Starts nginx; resolves once its workers run (the master binds the ports before forking them). */
  async start(): Promise<void> {
    this.stopping = false;
    await this.stopStale();
    this.killOrphans();
    for (const s of this.o.sockets) rmSync(s, { force: true });
    // Started in the prefix directory, so its workers can be told from other nginx processes by
    // their working directory once they have lost their master.
    const child = spawn(this.o.bin, ['-p', this.o.dir, '-c', this.o.conf, '-e', 'stderr'], { cwd: this.o.dir, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let recent = '';
    let partial = '';
    child.stderr?.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        if (!l) continue;
        recent = `${recent}${l}\n`.slice(-4000);
        this.o.log(`ingress: nginx: ${l}`);
      }
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('error', (err) => this.o.log(`ingress: nginx: ${err.message}`));
    child.once('exit', (code, signal) => {
      if (this.child !== child || this.stopping) return;
      this.child = undefined;
      this.killOrphans();
      const delay = this.backoff.next();
      this.o.log(`ingress: nginx exited (${signal ?? `code ${code}`}); restarting in ${Math.round(delay)} ms`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!this.stopping) this.start().catch((err: unknown) => this.o.log(`ingress: restarting nginx: ${err instanceof Error ? err.message : String(err)}`));
      }, delay);
    });
    const pid = child.pid;
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (pid && (await childrenOf(pid)).length > 0) break;
      if (child.exitCode !== null || child.signalCode !== null || !pid) {
        await exited;
        throw new Error(`nginx did not start: ${recent.trim() || 'no output'}`);
      }
      if (Date.now() > deadline) throw new Error(`nginx did not start its workers within 15 s: ${recent.trim()}`);
      await sleep(20);
    }
    this.backoff.reset();
  }

  /** SIGKILLs the workers a dead master left behind. */
  private killOrphans(): void {
    for (const w of nginxProcessesIn(this.o.dir)) {
      try {
        process.kill(w, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }

  /** Asks the master to reload its config (graceful: requests in flight finish on the old workers). */
  reload(): boolean {
    const pid = this.child?.pid;
    if (!pid || this.child?.exitCode !== null) return false;
    process.kill(pid, 'SIGHUP');
    return true;
  }

  private async kill(pid: number): Promise<void> {
    const workers = await childrenOf(pid);
    process.kill(pid, 'SIGQUIT');
    if (await waitGone([pid], 5_000)) return;
    const more = await childrenOf(pid);
    process.kill(pid, 'SIGTERM');
    if (await waitGone([pid], 2_000)) return;
    for (const p of [pid, ...workers, ...more]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await waitGone([pid], 2_000);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    this.child = undefined;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await this.kill(child.pid);
    await Promise.race([exited, sleep(1_000)]);
  }
}
