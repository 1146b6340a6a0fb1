// The commands a fake container can run when exec'd or attached to: a tiny shell with the
// builtins Kubernetes tooling and tests reach for — echo, cat, true/false, exit, sleep, test,
// mkdir, ls, pwd, hostname, env, tar (c and x, what `kubectl cp` runs) and `sh -c` scripts or an
// interactive `sh` with `;`, `&&`, `||` and `>`/`>>` redirections. Anything else fails like a
// missing program (exit 127), so tests see honest errors rather than silent success.
import { posix } from 'node:path';
import { readTar, tarBuffer, type TarEntry } from '../../images/index.js';
import type { FakeFs } from './fake-fs.js';
import type { InputReader } from './input.js';

export interface ShellIO {
  input: InputReader;
  out(data: string | Buffer): void;
  err(data: string | Buffer): void;
  fs: FakeFs;
  env: Record<string, string>;
  signal: AbortSignal;
  /** Printed before each line an interactive shell reads (a terminal's `/ # `). */
  prompt?: string;
}

type Builtin = (args: string[], io: ShellIO) => Promise<number> | number;

/** Splits a script into words and operators, honouring single and double quotes. */
export function tokenize(script: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i] as string;
    if (ch === "'" || ch === '"') {
      const end = script.indexOf(ch, i + 1);
      const stop = end < 0 ? script.length : end;
      cur += script.slice(i + 1, stop);
      has = true;
      i = stop;
    } else if (ch === '\\' && i + 1 < script.length) {
      cur += script[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else if (ch === ';' || ch === '&' || ch === '|' || ch === '>') {
      if (has) out.push(cur);
      cur = '';
      has = false;
      const two = script.slice(i, i + 2);
      if (two === '&&' || two === '||' || two === '>>') {
        out.push(two);
        i++;
      } else out.push(ch);
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

function tarCreate(args: string[], io: ShellIO): number {
  const cIdx = args.findIndex((a) => a === '-C');
  const cwd = cIdx >= 0 ? (args[cIdx + 1] ?? '/') : '/';
  const paths = args.filter((a, i) => i > 0 && a !== '-' && a !== '-C' && i !== cIdx + 1);
  const entries: TarEntry[] = [];
  for (const p of paths) {
    const found = io.fs.walk(io.fs.resolve(p, cwd));
    if (found.length === 0) {
      io.err(`tar: ${p}: No such file or directory\n`);
      return 2;
    }
    for (const e of found) {
      // Like GNU tar, absolute names lose their leading slash.
      const name = p.startsWith('/') ? e.path.slice(1) : posix.relative(io.fs.resolve(cwd), e.path);
      entries.push(e.dir ? { type: 'dir', path: `${name}/` } : { type: 'file', path: name, data: io.fs.read(e.path) ?? Buffer.alloc(0) });
    }
  }
  io.out(tarBuffer(entries));
  return 0;
}

async function tarExtract(args: string[], io: ShellIO): Promise<number> {
  const cIdx = args.indexOf('-C');
  const dir = cIdx >= 0 ? (args[cIdx + 1] ?? '/') : '/';
  if (!io.fs.isDir(dir)) {
    io.err(`tar: can't change directory to '${dir}': No such file or directory\n`);
    return 2;
  }
  for (const e of readTar(await io.input.all())) {
    const target = io.fs.resolve(e.path, dir);
    if (e.type === 'dir') io.fs.mkdir(target, { parents: true });
    else if (e.type === 'file') io.fs.write(target, e.data, { makeParents: true });
  }
  return 0;
}

const BUILTINS: Record<string, Builtin> = {
  true: () => 0,
  false: () => 1,
  echo: (args, io) => {
    const noNewline = args[0] === '-n';
    io.out(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
    return 0;
  },
  cat: async (args, io) => {
    if (args.length === 0 || (args.length === 1 && args[0] === '-')) {
      for (let c = await io.input.chunk(); c; c = await io.input.chunk()) io.out(c);
      return 0;
    }
    let code = 0;
    for (const f of args) {
      const data = io.fs.read(f);
      if (data) io.out(data);
      else {
        io.err(`cat: can't open '${f}': ${io.fs.isDir(f) ? 'Is a directory' : 'No such file or directory'}\n`);
        code = 1;
      }
    }
    return code;
  },
  sleep: async (args, io) => {
    await sleep(Number(args[0] ?? 0) * 1000, io.signal);
    return 0;
  },
  test: (args, io) => {
    const [op, p = ''] = args;
    if (op === '-d') return io.fs.isDir(p) ? 0 : 1;
    if (op === '-f') return io.fs.isFile(p) ? 0 : 1;
    if (op === '-e') return io.fs.exists(p) ? 0 : 1;
    return args.length === 1 && args[0] !== '' ? 0 : 1;
  },
  mkdir: (args, io) => {
    const parents = args.includes('-p');
    let code = 0;
    for (const d of args.filter((a) => a !== '-p')) {
      if (!io.fs.mkdir(d, { parents }) && !(parents && io.fs.isDir(d))) {
        io.err(`mkdir: can't create directory '${d}': ${io.fs.exists(d) ? 'File exists' : 'No such file or directory'}\n`);
        code = 1;
      }
    }
    return code;
  },
  rm: (args, io) => {
    let code = 0;
    for (const p of args.filter((a) => !a.startsWith('-'))) if (!io.fs.remove(p) && !args.includes('-f')) code = 1;
    return code;
  },
  ls: (args, io) => {
    const targets = args.filter((a) => !a.startsWith('-'));
    for (const t of targets.length ? targets : ['/']) {
      if (io.fs.isFile(t)) io.out(`${t}\n`);
      else if (io.fs.isDir(t)) for (const n of io.fs.list(t)) io.out(`${n}\n`);
      else {
        io.err(`ls: ${t}: No such file or directory\n`);
        return 1;
      }
    }
    return 0;
  },
  pwd: (_args, io) => {
    io.out('/\n');
    return 0;
  },
  hostname: (_args, io) => {
    io.out(io.fs.read('/etc/hostname') ?? 'fake\n');
    return 0;
  },
  env: (_args, io) => {
    for (const [k, v] of Object.entries(io.env)) io.out(`${k}=${v}\n`);
    return 0;
  },
  tar: (args, io) => {
    const mode = (args[0] ?? '').replace(/^-/, '');
    if (mode.includes('c')) return tarCreate(args, io);
    if (mode.includes('x')) return tarExtract(args, io);
    io.err('tar: unsupported mode\n');
    return 1;
  },
};

class ExitSignal {
  constructor(readonly code: number) {}
}

/** Runs one command line (argv); resolves with its exit code. */
export async function runCommand(argv: string[], io: ShellIO): Promise<number> {
  const [prog = '', ...args] = argv;
  const name = prog.slice(prog.lastIndexOf('/') + 1);
  if (name === 'sh' || name === 'bash' || name === 'ash') {
    if (args[0] === '-c') return runScript(args[1] ?? '', io).catch(exitCode);
    return interactive(io);
  }
  const builtin = BUILTINS[name];
  if (!builtin) {
    io.err(`sh: ${name}: not found\n`);
    return 127;
  }
  return builtin(args, io);
}

function exitCode(e: unknown): number {
  if (e instanceof ExitSignal) return e.code;
  throw e;
}

/** Runs a script of commands joined by ;, && and ||, with > and >> redirections. */
export async function runScript(script: string, io: ShellIO): Promise<number> {
  const tokens = tokenize(script);
  let code = 0;
  let skip = false;
  let words: string[] = [];
  const flush = async (): Promise<void> => {
    if (words.length === 0) return;
    const cmd = words;
    words = [];
    if (skip) return;
    code = await runOne(cmd, io);
  };
  for (const t of tokens) {
    if (t === ';' || t === '&&' || t === '||' || t === '&') {
      await flush();
      skip = (t === '&&' && code !== 0) || (t === '||' && code === 0) ? true : false;
    } else words.push(t);
  }
  await flush();
  return code;
}

async function runOne(words: string[], io: ShellIO): Promise<number> {
  if (words[0] === 'exit') throw new ExitSignal(Number(words[1] ?? 0) & 255);
  const redirect = words.findIndex((w) => w === '>' || w === '>>');
  if (redirect < 0) return runCommand(words, io);
  const file = words[redirect + 1] ?? '';
  const chunks: Buffer[] = [];
  const code = await runCommand(words.slice(0, redirect), { ...io, out: (d) => chunks.push(Buffer.from(d)) });
  if (!io.fs.write(file, Buffer.concat(chunks), { append: words[redirect] === '>>' })) {
    io.err(`sh: can't create ${file}: No such file or directory\n`);
    return 1;
  }
  return code;
}

/** `sh` reading commands from stdin until it ends or `exit`. */
async function interactive(io: ShellIO): Promise<number> {
  let code = 0;
  const next = (): Promise<string | undefined> => {
    if (io.prompt) io.out(io.prompt);
    return io.input.line();
  };
  for (let line = await next(); line !== undefined && !io.signal.aborted; line = await next()) {
    try {
      code = await runScript(line, io);
    } catch (e) {
      return exitCode(e);
    }
  }
  return code;
}
