// Every subcommand registers itself here, one line each.
import type { Command } from 'commander';
import { register as registerDissect } from './dissect';
import { register as registerCapture } from './capture';
import { register as registerInfo } from './info';
import { register as registerTrace } from './trace';
import { register as registerExport } from './export';
import { register as registerReport } from './report';
import { register as registerReplay } from './replay';
import { register as registerTenants } from './tenants';
import { register as registerVteps } from './vteps';
import { register as registerPaths } from './paths';
import { register as registerRecords } from './records';

export function registerCommands(program: Command): void {
  registerDissect(program);
  registerCapture(program);
  registerInfo(program);
  registerTrace(program);
  registerExport(program);
  registerReport(program);
  registerReplay(program);
  registerTenants(program);
  registerVteps(program);
  registerPaths(program);
  registerRecords(program);
}
