#!/usr/bin/env node
// The `tunnelscope` command line. Each subcommand lives in its own module under ./commands.
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { UserError } from './errors';
import { terminalSafe } from '../overlay/output/terminal-text';

async function main(argv: string[]): Promise<number> {
  const program = new Command('tunnelscope')
    .description('Overlay network analyzer: VXLAN, NVGRE, GRE and Geneve tenants, VTEP learning, switch replay')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);
  registerCommands(program);
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its one-line message; help and version exit 0, usage errors 2
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UserError) {
      process.stderr.write(`tunnelscope: ${err.message.split('\n').map(terminalSafe).join('\n')}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`tunnelscope: internal error: ${terminalSafe(message)}\n`);
    return 1;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
