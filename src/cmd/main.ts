// The `tug` command: a thin entrypoint that assembles the subcommands. Each subcommand lives in
// its own file and receives an AbortSignal tied to SIGINT/SIGTERM, so components shut down in
// order; only this file decides the process exit code.
import { Command } from 'commander';
import { serverCommand } from './server.js';
import { agentCommand } from './agent.js';
import { imageCommand } from './image.js';
import { upCommand } from './up.js';
import { downCommand } from './down.js';

const program = new Command();
program
  .name('tug')
  .description('Tugboat: a Kubernetes-compatible container orchestrator')
  .version('0.1.0')
  .showHelpAfterError();

program.addCommand(serverCommand());
program.addCommand(agentCommand());
program.addCommand(imageCommand());
program.addCommand(upCommand());
program.addCommand(downCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`tug: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
