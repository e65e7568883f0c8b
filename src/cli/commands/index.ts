// Every subcommand registers itself here, one line each.
import type { Command } from 'commander';
import { register as registerDissect } from './dissect';

export function registerCommands(program: Command): void {
  registerDissect(program);
}
