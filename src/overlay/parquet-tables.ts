// Tables written as Apache Parquet by DuckDB: rows go through DuckDB's appender into a table of an
// on-disk scratch database (DuckDB's buffer manager keeps memory bounded, spilling to that file),
// and each table is then copied to DIR/<table>/<name>.parquet with COPY ... (FORMAT parquet), which
// streams row group by row group. Files appear under their final name only when complete.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export type ColumnType = 'VARCHAR' | 'UINTEGER' | 'UBIGINT' | 'DOUBLE' | 'BOOLEAN';

export interface TableSchema {
  name: string;
  columns: readonly (readonly [name: string, type: ColumnType])[];
}

/** Memory DuckDB may use before it spills to the scratch file. */
const MEMORY_LIMIT = '256MB';

export class ParquetTables {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly scratch: string,
    private readonly appenders: Map<string, DuckDBAppender>,
  ) {}

  /** Opens a scratch database in `outDir` and creates the tables. */
  static async open(outDir: string, tables: readonly TableSchema[]): Promise<ParquetTables> {
    fs.mkdirSync(outDir, { recursive: true });
    const scratch = path.join(outDir, `.records-${process.pid}.duckdb`);
    removeScratch(scratch);
    const instance = await DuckDBInstance.create(scratch, { memory_limit: MEMORY_LIMIT, threads: '2', preserve_insertion_order: 'true' });
    const connection = await instance.connect();
    const appenders = new Map<string, DuckDBAppender>();
    for (const table of tables) {
      await connection.run(`CREATE TABLE ${table.name} (${table.columns.map(([n, t]) => `${n} ${t}`).join(', ')})`);
      appenders.set(table.name, await connection.createAppender(table.name));
    }
    return new ParquetTables(instance, connection, scratch, appenders);
  }

  appender(table: string): DuckDBAppender {
    const appender = this.appenders.get(table);
    if (appender === undefined) throw new Error(`no table ${table}`);
    return appender;
  }

  /** Writes every table to outDir/<table>/<fileName>.parquet; returns the rows of each. */
  async finish(outDir: string, fileName: string): Promise<Record<string, number>> {
    const rows: Record<string, number> = {};
    for (const [table, appender] of this.appenders) {
      appender.closeSync();
      const dir = path.join(outDir, table);
      fs.mkdirSync(dir, { recursive: true });
      const final = path.join(dir, `${fileName}.parquet`);
      const partial = `${final}.partial`;
      await this.connection.run(`COPY ${table} TO '${sqlString(partial)}' (FORMAT parquet, COMPRESSION zstd)`);
      fs.renameSync(partial, final);
      const count = await this.connection.runAndReadAll(`SELECT count(*)::UBIGINT AS n FROM ${table}`);
      rows[table] = Number(count.getRows()[0][0]);
    }
    this.appenders.clear();
    this.close();
    return rows;
  }

  close(): void {
    for (const appender of this.appenders.values()) {
      try {
        appender.closeSync();
      } catch {
        // already closed, or the table is being discarded
      }
    }
    this.appenders.clear();
    this.connection.closeSync();
    this.instance.closeSync();
    removeScratch(this.scratch);
  }
}

function removeScratch(file: string): void {
  for (const f of [file, `${file}.wal`, `${file}.tmp`]) fs.rmSync(f, { recursive: true, force: true });
}

function sqlString(text: string): string {
  return text.replace(/'/g, "''");
}
