// What a fake container's "main process" does with its streams: it writes CRI-format log lines
// where the kubelet asked (`started <name>`, and `tick <n>` every tugboat.dev/fake-log-interval-ms
// if set), copies whatever an attached client types back to its output (like `cat`) when the
// container has stdin open, and shows its output live to attached clients. It also owns the
// container's fake file system. Log files are the fake's own and are deleted when the runtime
// closes, the way a kubelet's garbage collection would remove them.
import { appendFileSync, mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { FakeFs } from './fake-fs.js';

/** CRI log timestamps: RFC 3339 in UTC with nanoseconds. */
export const criTimestamp = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');

interface Attacher {
  stdout: Writable | undefined;
  stderr: Writable | undefined;
  done(): void;
}

export interface ContainerIoOptions {
  name: string;
  /** Full path of the CRI log file; empty when the kubelet gave no log directory. */
  logPath: string;
  stdinOpen: boolean;
  tty: boolean;
  tickMs: number;
  hostname: string;
  env: Record<string, string>;
  now(): number;
}

export class FakeContainerIo {
  readonly fs: FakeFs;
  private readonly attachers = new Set<Attacher>();
  private tick: NodeJS.Timeout | undefined;
  private ticks = 0;
  private logBroken = false;
  private exited = false;

  constructor(readonly o: ContainerIoOptions) {
    this.fs = new FakeFs(o.hostname);
  }

  get running(): boolean {
    return !this.exited;
  }

  start(): void {
    this.output('stdout', `started ${this.o.name}\n`);
    if (this.o.tickMs > 0) {
      this.tick = setInterval(() => this.output('stdout', `tick ${++this.ticks}\n`), this.o.tickMs);
      this.tick.unref();
    }
  }

  /** The process wrote to stdout or stderr: log it and show it to attached clients. */
  output(stream: 'stdout' | 'stderr', data: string | Buffer): void {
    const text = data.toString();
    this.writeLog(stream, text);
    for (const a of this.attachers) (stream === 'stderr' && a.stderr ? a.stderr : a.stdout)?.write(text);
  }

  /** Connects a client; resolves when the container exits or `detach` is called. */
  attach(a: { stdin: NodeJS.ReadableStream | undefined; stdout: Writable | undefined; stderr: Writable | undefined }): { done: Promise<void>; detach(): void } {
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const entry: Attacher = { stdout: a.stdout, stderr: a.stderr, done: resolve };
    this.attachers.add(entry);
    if (a.stdin && this.o.stdinOpen) a.stdin.on('data', (d: Buffer) => this.output('stdout', this.o.tty ? d.toString().replace(/\r/g, '\r\n') : d));
    if (this.exited) resolve();
    return {
      done,
      detach: () => {
        this.attachers.delete(entry);
        resolve();
      },
    };
  }

  exit(): void {
    if (this.exited) return;
    this.exited = true;
    if (this.tick) clearInterval(this.tick);
    for (const a of this.attachers) a.done();
    this.attachers.clear();
  }

  /** Deletes the log file (the runtime is going away). */
  removeLog(): void {
    this.exit();
    if (!this.o.logPath) return;
    rmSync(this.o.logPath, { force: true });
  }

  private writeLog(stream: string, text: string): void {
    if (!this.o.logPath || this.logBroken || text === '') return;
    const ts = criTimestamp(this.o.now());
    const parts = text.split('\n');
    const last = parts.pop() ?? '';
    let out = parts.map((l) => `${ts} ${stream} F ${l}\n`).join('');
    if (last !== '') out += `${ts} ${stream} P ${last}\n`;
    try {
      mkdirSync(dirname(this.o.logPath), { recursive: true });
      appendFileSync(this.o.logPath, out);
    } catch {
      // Hollow nodes run unprivileged too; without a writable log directory there are no logs.
      this.logBroken = true;
    }
  }
}

/** Removes now-empty directories the fake created for a pod's logs. */
export function removeEmptyDirs(paths: Iterable<string>): void {
  for (const p of paths) {
    try {
      rmdirSync(p);
    } catch {
      // Not empty or already gone.
    }
  }
}
