// The fake runtime's streaming side, kept apart from its bookkeeping: one FakeContainerIo per
// container (its log file, attach clients and file system) and the lazily started stream server
// that Exec, Attach and PortForward URLs point at. The runtime calls the lifecycle hooks
// (created, started, exited, removed) as its containers change state. Log files are written only
// where the kubelet made the pod's log directory (or with `writeLogs`), so hollow nodes by the
// thousand touch no disk.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AttachRequest, ContainerConfig, ExecRequest, PodSandboxConfig } from '../runtime.js';
import { FakeContainerIo, removeEmptyDirs } from './container-io.js';
import { FakeStreamServer, FAKE_PORT_FORWARD } from './stream-server.js';

/** Makes a container write `tick <n>` to its log every so many milliseconds. */
export const FAKE_LOG_INTERVAL = 'tugboat.dev/fake-log-interval-ms';

const perContainer = (annotations: Record<string, string>, key: string, name: string): string | undefined => annotations[`${key}.${name}`] ?? annotations[key];

export class FakeStreaming {
  private readonly ios = new Map<string, FakeContainerIo>();
  private readonly server = new FakeStreamServer();
  private readonly logDirs = new Set<string>();

  constructor(private readonly o: { now: () => number; writeLogs: boolean }) {}

  /** The full log path containerd would report: the sandbox's log directory joined with the container's path. */
  static logPath(config: ContainerConfig, sandbox: PodSandboxConfig): string {
    return sandbox.logDirectory && config.logPath ? join(sandbox.logDirectory, config.logPath) : (config.logPath ?? '');
  }

  created(id: string, config: ContainerConfig, sandbox: PodSandboxConfig): void {
    const logPath = FakeStreaming.logPath(config, sandbox);
    const name = config.metadata.name;
    // Like containerd, write where the kubelet prepared the pod's log directory (or when asked to).
    const dir = sandbox.logDirectory;
    const writes = Boolean(logPath && dir && (this.o.writeLogs || existsSync(dir)));
    if (writes && dir && !existsSync(dir)) this.logDirs.add(dir);
    if (writes) this.logDirs.add(dirname(logPath));
    this.ios.set(
      id,
      new FakeContainerIo({
        name,
        logPath: writes ? logPath : '',
        stdinOpen: config.stdin ?? false,
        tty: config.tty ?? false,
        tickMs: Number(perContainer(sandbox.annotations, FAKE_LOG_INTERVAL, name) ?? 0) || 0,
        hostname: sandbox.hostname ?? sandbox.metadata.name,
        env: Object.fromEntries((config.envs ?? []).map((e) => [e.key, e.value])),
        now: this.o.now,
      }),
    );
  }

  started(id: string): void {
    this.ios.get(id)?.start();
  }

  exited(id: string): void {
    this.ios.get(id)?.exit();
  }

  /** The container record is gone; so is its log, as after the kubelet's container GC. */
  removed(id: string): void {
    this.ios.get(id)?.removeLog();
    this.ios.delete(id);
  }

  exec(req: ExecRequest): Promise<string> {
    const io = this.require(req.containerId);
    const options = { stdin: req.stdin ?? false, stdout: req.stdout ?? true, stderr: (req.stderr ?? true) && !req.tty, tty: req.tty ?? false };
    return this.server.url({ kind: 'exec', io, cmd: req.cmd, options });
  }

  attach(req: AttachRequest): Promise<string> {
    const io = this.require(req.containerId);
    const options = { stdin: req.stdin ?? false, stdout: req.stdout ?? true, stderr: (req.stderr ?? true) && !req.tty, tty: req.tty ?? false };
    return this.server.url({ kind: 'attach', io, options });
  }

  portForward(sandboxAnnotations: Record<string, string>): Promise<string> {
    return this.server.url({ kind: 'portforward', annotation: sandboxAnnotations[FAKE_PORT_FORWARD] });
  }

  /** Stops the stream server and deletes every log file this runtime wrote. */
  async close(): Promise<void> {
    for (const io of this.ios.values()) io.removeLog();
    this.ios.clear();
    removeEmptyDirs([...this.logDirs].sort((a, b) => b.length - a.length));
    await this.server.close();
  }

  private require(id: string): FakeContainerIo {
    const io = this.ios.get(id);
    if (!io) throw new Error(`container ${id} has no streams`);
    return io;
  }
}
