// How the proxy talks to nftables: the `nft` command, optionally inside a named network
// namespace (`ip netns exec NS nft …`, for an agent whose node is a namespace, and for tests),
// through an injectable runner. Scripts go in on stdin so a large ruleset never meets an
// argument-length limit.
import { run as runCommand } from '../network/index.js';
import { deleteScript, FAMILY, parseExisting, type ExistingObjects } from './script.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion with `input` on stdin; resolves (never rejects) with its exit code. */
export type CommandRunner = (cmd: string, args: string[], o?: { input?: string }) => Promise<CommandResult>;

export interface NftOptions {
  /** Named network namespace to run `nft` in; default: the agent's own. */
  netns?: string;
  run?: CommandRunner;
}

export class Nft {
  private readonly run: CommandRunner;

  constructor(private readonly o: NftOptions = {}) {
    this.run = o.run ?? runCommand;
  }

  /** `nft ARGS` with `input` on stdin, in the configured namespace. */
  exec(args: string[], input?: string): Promise<CommandResult> {
    const opts = input === undefined ? {} : { input };
    return this.o.netns ? this.run('ip', ['netns', 'exec', this.o.netns, 'nft', ...args], opts) : this.run('nft', args, opts);
  }

  /** Applies a script as one transaction; `check` only validates it (`nft -c`). */
  async apply(script: string, o: { check?: boolean } = {}): Promise<void> {
    const r = await this.exec(o.check ? ['-c', '-f', '-'] : ['-f', '-'], script);
    if (r.code !== 0) throw new Error(`nft -f failed (exit ${r.code}): ${firstLines(r.stderr || r.stdout, 6)}`);
  }

  /** What the table holds now, or undefined when it does not exist. */
  async existing(table: string): Promise<ExistingObjects | undefined> {
    const r = await this.exec(['-j', '-t', 'list', 'table', FAMILY, table]);
    if (r.code !== 0) {
      if (/No such file or directory/.test(r.stderr)) return undefined;
      throw new Error(`nft list table ${FAMILY} ${table} failed (exit ${r.code}): ${firstLines(r.stderr, 3)}`);
    }
    return parseExisting(r.stdout);
  }

  async deleteTable(table: string): Promise<void> {
    await this.apply(deleteScript(table));
  }
}

function firstLines(text: string, n: number): string {
  const lines = text.trim().split('\n');
  return lines.slice(0, n).join('\n') + (lines.length > n ? `\n… (${lines.length - n} more lines)` : '');
}
