// The `tug` command: a thin entrypoint that assembles the subcommands. Each subcommand lives in
// its own file and receives an AbortSignal tied to SIGINT/SIGTERM, so components shut down in
// order; only this file decides the process exit code. Only the subcommand being run is loaded
// (an agent need not load the control plane's code), except for help, which lists them all.
import { Command } from 'commander';
import { setFlagsFromString } from 'node:v8';

const SUBCOMMANDS: Record<string, () => Promise<Command>> = {
  server: async () => {
    // Loading the control plane's modules would grow V8's young generation to 2 × 16 MB, ~20 MB
    // of idle memory never given back; it starts held at 1 MB and `tug server` lets it grow again
    // once it is busy (young-generation.ts). Must be set before the server's modules load.
    setFlagsFromString('--semi-space-growth-factor=1');
    return (await import('./server.js')).serverCommand();
  },
  agent: async () => {
    const hollow = process.argv.some((a) => a === '--hollow-nodes' || a.startsWith('--hollow-nodes='));
    // A node agent allocates little but long-lived data. V8's young generation otherwise grows to
    // 2 × 16 MB while modules load and never shrinks, a third of the agent's memory; this must be
    // set before the agent's modules load (--max-semi-space-size is read only at process start).
    // With a small young generation more short-lived objects reach the old one, so its limit is
    // kept at 1.3 × the live size: without that, bursts of pod starts left 40 MB of garbage there
    // until the idle-time GC (docs/benchmarks.md, "Pod start").
    // No optimizing compiler (TurboFan) either: the agent's work is I/O-bound, and TurboFan's code,
    // its compile jobs' zones and the parts of the node binary it touches cost ~10 MB of RSS.
    // Measured over bursts of 30 pod starts the agent used no more CPU without it.
    // Hollow nodes are the exception to all three: one process running a thousand kubelets is
    // CPU-bound, and held at 1 MB semi-spaces it spent 13 % of its CPU in GC during bench/scheduler.
    if (!hollow) {
      setFlagsFromString('--semi-space-growth-factor=1');
      setFlagsFromString('--heap-growing-percent=30');
      setFlagsFromString('--no-opt');
    }
    return (await import('./agent.js')).agentCommand();
  },
  image: async () => (await import('./image.js')).imageCommand(),
  up: async () => (await import('./up.js')).upCommand(),
  down: async () => (await import('./down.js')).downCommand(),
};

async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program
    .name('tug')
    .description('Tugboat: a Kubernetes-compatible container orchestrator')
    .version('0.1.0')
    .showHelpAfterError();
  const wanted = argv[2];
  const load = wanted !== undefined ? SUBCOMMANDS[wanted] : undefined;
  const commands = load ? [await load()] : await Promise.all(Object.values(SUBCOMMANDS).map((f) => f()));
  for (const c of commands) program.addCommand(c);
  await program.parseAsync(argv);
}

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`tug: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
