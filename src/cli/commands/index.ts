// Every subcommand registers itself here, one line each.
import type { Command } from 'commander';
import { register as registerDissect } from './dissect';
import { register as registerInfo } from './info';
import { register as registerTrace } from './trace';
import { register as registerExport } from './export';
import { register as registerReplay } from './replay';

export function registerCommands(program: Command): void {
  registerDissect(program);
  registerInfo(program);
  registerTrace(program);
  registerExport(program);
  registerReplay(program);
}
