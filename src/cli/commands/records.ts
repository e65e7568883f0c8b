// tunnelscope records CAPTURE... --out DIR: frames, conversations, learning events and paths as
// Apache Parquet for engines beyond one machine (DuckDB, Spark, Trino).
// Declares the command; its implementation module loads only when it runs (start-up cost).
import type { Command } from 'commander';
import type { RecordsOptions } from './records-run';
import { decodeAsOption } from './options';

export function register(program: Command): void {
  program
    .command('records')
    .description('write frames, conversations, learning events and paths as Parquet (DIR/frames/, DIR/conversations/, DIR/learning/, DIR/paths/)')
    .argument('<captures...>', 'pcap or pcapng captures or folders of them, several merged into one (FILE@NAME names one)')
    .requiredOption('--out <dir>', 'folder to write the tables under (created if missing)')
    .addOption(decodeAsOption())
    .action((paths: string[], options: RecordsOptions) => {
      const run = require('./records-run') as typeof import('./records-run');
      return run.runRecords(paths, options);
    });
}
