// One kubectl end-to-end session: a fresh `tug server` on the chosen datastore (sqlite in its
// data dir, or a throwaway etcd), a private HOME so kubectl's discovery cache never leaks between
// runs, a scratch folder for manifests, and helpers that run one kubectl version against it and
// fold the server's log tail into failures (so a broken step says what the server saw).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd, type RunningEtcd } from '../support/etcd.js';
import { kubectl, type KubectlResult } from '../support/kubectl.js';
import { startTugServer, type TugServer } from '../support/tug-server.js';

export type Datastore = 'sqlite' | 'etcd';

export interface ScenarioOptions {
  datastore: Datastore;
  kubectlVersion: string;
}

export interface RunOptions {
  stdin?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export class KubectlSession {
  private tug: TugServer | undefined;
  private etcd: RunningEtcd | undefined;
  private scratch: string | undefined;

  constructor(readonly opts: ScenarioOptions) {}

  get server(): TugServer {
    if (!this.tug) throw new Error('the tug server did not start');
    return this.tug;
  }

  get dir(): string {
    if (!this.scratch) throw new Error('the session did not start');
    return this.scratch;
  }

  async start(): Promise<void> {
    this.scratch = await mkdtemp(join(tmpdir(), 'tug-e2e-'));
    let datastore = 'sqlite';
    if (this.opts.datastore === 'etcd') {
      this.etcd = await startEtcd();
      datastore = `etcd://${new URL(this.etcd.endpoint).host}`;
    }
    // These suites test the API's own semantics, so only the controllers those semantics rely
    // on run (namespace deletion, cascading deletes); workload controllers and the scheduler
    // would otherwise act on the test's objects (there is no kubelet to finish their pods).
    this.tug = await startTugServer({ datastore, extraArgs: ['--controllers=namespace,garbagecollector,serviceaccount', '--disable-scheduler'] });
  }

  async stop(): Promise<void> {
    try {
      await this.tug?.cleanup();
    } finally {
      await this.etcd?.stop();
      if (this.scratch) await rm(this.scratch, { recursive: true, force: true });
    }
  }

  /** The last lines the server logged, for failure messages. */
  serverLog(): string {
    return this.tug ? this.tug.logs().split('\n').slice(-15).join('\n') : '(no server)';
  }

  run(args: string[], o: RunOptions = {}): Promise<KubectlResult> {
    return kubectl(args, {
      kubeconfig: this.server.kubeconfig,
      version: this.opts.kubectlVersion,
      env: { HOME: this.dir, ...(o.env ?? {}) },
      ...(o.stdin !== undefined ? { stdin: o.stdin } : {}),
      timeoutMs: o.timeoutMs ?? 90_000,
    });
  }

  /** kubectl that must exit 0; returns stdout. */
  async ok(args: string[], o: RunOptions = {}): Promise<string> {
    const r = await this.run(args, o);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} exited ${r.code}\nstderr: ${r.stderr}\nstdout: ${r.stdout}\nserver log:\n${this.serverLog()}`);
    return r.stdout;
  }

  /** kubectl that must fail; returns what it printed. */
  async fails(args: string[], o: RunOptions = {}): Promise<KubectlResult> {
    const r = await this.run(args, o);
    assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should have failed but printed:\n${r.stdout}${r.stderr}`);
    return r;
  }

  /** `kubectl get ... -o jsonpath=EXPR` for one object. */
  jsonpath(what: string[], expr: string): Promise<string> {
    return this.ok(['get', ...what, '-o', `jsonpath=${expr}`]);
  }

  async file(name: string, content: string, mode?: number): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, content);
    if (mode !== undefined) await chmod(path, mode);
    return path;
  }
}

/** Output split into trimmed, non-empty lines. */
export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0);

/** A table printed by `kubectl get`: header cells and rows, split on runs of 2+ spaces. */
export function table(text: string): { header: string[]; rows: string[][] } {
  const [head, ...rest] = lines(text);
  const split = (l: string): string[] => l.trim().split(/\s{2,}/);
  return { header: head ? split(head) : [], rows: rest.map(split) };
}

/** The row whose first cell (or second, after NAMESPACE) is `name`. */
export function row(t: { header: string[]; rows: string[][] }, name: string): string[] {
  const col = t.header[0] === 'NAMESPACE' ? 1 : 0;
  const r = t.rows.find((cells) => cells[col] === name);
  assert.ok(r, `no row named ${name} in table ${JSON.stringify(t)}`);
  return r;
}
