// The extra nodes of `tug up --nodes N` as supervised child processes: each is a `tug agent`
// started inside its node's network namespace with `nsenter --net` (only the network namespace,
// so the pod namespaces containerd bind-mounts under /run/netns stay visible to everyone), run by
// the same Node binary and entry script as this process. Their output is passed on line by line
// with the node's name in front. A child that dies is reported, never restarted — a node failure
// is something the cluster must see — and stopping sends SIGTERM to each child's own PID, then
// SIGKILL after a grace period.
import { spawn, type ChildProcess } from 'node:child_process';
import { inNetns } from './node-netns.js';

export interface ChildAgentSpec {
  nodeName: string;
  netns: string;
  /** Arguments after `tug agent`. */
  args: string[];
}

export interface ChildAgent {
  nodeName: string;
  pid: number;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs: number): Promise<void>;
}

/** How this process was started (node, its flags such as `--import tsx`, the entry script). */
export function selfCommand(): string[] {
  const script = process.argv[1];
  if (!script) throw new Error('cannot tell how tug was started (no script in argv)');
  return [process.execPath, ...process.execArgv, script];
}

/**
 * The environment of an agent process: glibc's malloc otherwise keeps up to 8 arenas per CPU, one
 * per thread that allocates (gRPC, OpenSSL, libuv's pool), each holding freed memory. It reads
 * MALLOC_ARENA_MAX only at process start, so it is set here, where the process is made; a value
 * the user set is kept.
 */
function agentEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, MALLOC_ARENA_MAX: env['MALLOC_ARENA_MAX'] ?? '2' };
}

function forwardLines(stream: NodeJS.ReadableStream | null, prefix: string, out: (line: string) => void): void {
  let buf = '';
  stream?.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      out(`${prefix}${buf.slice(0, i)}`);
      buf = buf.slice(i + 1);
    }
  });
  stream?.on('end', () => {
    if (buf) out(`${prefix}${buf}`);
  });
}

const exitOf = (child: ChildProcess): Promise<number | string> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode ?? child.signalCode ?? -1)
    : new Promise((res) => child.once('exit', (code, sig) => res(code ?? sig ?? -1)));

export function startChildAgent(spec: ChildAgentSpec, o: { output(line: string): void; log(msg: string): void }): ChildAgent {
  const [cmd, ...args] = inNetns(spec.netns, selfCommand()[0] ?? process.execPath, [...selfCommand().slice(1), 'agent', ...spec.args]);
  const child = spawn(cmd ?? 'nsenter', args, { stdio: ['ignore', 'pipe', 'pipe'], env: agentEnv(process.env) });
  if (child.pid === undefined) throw new Error(`could not start the agent of node ${spec.nodeName}`);
  const pid = child.pid;
  const prefix = `[${spec.nodeName}] `;
  forwardLines(child.stdout, prefix, o.output);
  forwardLines(child.stderr, prefix, o.output);
  let stopping = false;
  const exited = exitOf(child);
  child.on('error', (err) => o.log(`node ${spec.nodeName}: agent process: ${err.message}`));
  void exited.then((how) => {
    if (!stopping) o.log(`node ${spec.nodeName}: agent (pid ${pid}) exited (${how}); not restarting it`);
  });
  return {
    nodeName: spec.nodeName,
    pid,
    exited,
    async stop(graceMs) {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), graceMs)));
      const first = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (first !== 'timeout') return;
      o.log(`node ${spec.nodeName}: agent (pid ${pid}) did not stop within ${graceMs} ms; killing it`);
      child.kill('SIGKILL');
      await exited;
    },
  };
}
