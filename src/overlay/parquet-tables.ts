// Tables written as Apache Parquet by DuckDB. Rows stream into one CSV staging file per table in the
// output folder, written in large blocks during the one pass over the captures (memory stays that of
// one block); DuckDB then reads each file with its CSV reader and writes DIR/<table>/<name>.parquet
// with COPY ... (FORMAT parquet), which streams row group by row group within DuckDB's memory limit.
// Rows cost a few bytes of text each, not a native call per cell. Files appear under their final name
// only when complete; the staging files are removed either way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export type ColumnType = 'VARCHAR' | 'UINTEGER' | 'UBIGINT' | 'DOUBLE' | 'BOOLEAN';

export interface TableSchema {
  name: string;
  columns: readonly (readonly [name: string, type: ColumnType])[];
}

/**
 * Memory DuckDB may use before it spills to a temporary file, on one thread: the conversion's peak
 * stays about this, whatever the rows (two threads, or the reader's default 32 MB buffers, need more).
 */
const MEMORY_LIMIT = '96MB';

/** The CSV reader's buffer, and so the longest row a table can hold (a paths row lists its lost frames). */
const READ_BUFFER_BYTES = 8 * 1024 * 1024;

/** Bytes of rows held before they go to the staging file. */
const BLOCK_BYTES = 1 << 20;

const COMMA = 0x2c;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');

/**
 * One table's rows, appended a cell at a time in column order, as CSV: every text quoted (a doubled
 * quote inside), NULL an empty unquoted field, so that an empty text ("") stays a text.
 */
export class TableRows {
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private at = 0;
  private column = 0;
  /** Rows appended so far. */
  count = 0;

  constructor(
    private readonly fd: number,
    private readonly columns: number,
  ) {}

  private separate(room: number): void {
    if (this.at + room + 2 > this.block.length) this.write(room + 2);
    if (this.column++ > 0) this.block[this.at++] = COMMA;
  }

  appendVarchar(value: string): void {
    // At most 3 bytes of UTF-8 per UTF-16 unit, each quote doubled: 6 a unit at worst.
    this.separate(value.length * 6 + 2);
    const block = this.block;
    let p = this.at;
    block[p++] = QUOTE;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        // Not ASCII: the rest the slow way.
        p += block.write(value.slice(i).replace(/"/g, '""'), p, 'utf8');
        break;
      }
      if (code === QUOTE) block[p++] = QUOTE;
      block[p++] = code;
    }
    block[p++] = QUOTE;
    this.at = p;
  }

  appendUInteger(value: number): void {
    this.number(value);
  }

  appendUBigInt(value: bigint): void {
    this.ascii(value.toString());
  }

  /** Shortest text that reads back as the same double. */
  appendDouble(value: number): void {
    this.number(value);
  }

  appendBoolean(value: boolean): void {
    const text = value ? TRUE : FALSE;
    this.separate(text.length);
    text.copy(this.block, this.at);
    this.at += text.length;
  }

  appendNull(): void {
    this.separate(0);
  }

  endRow(): void {
    if (this.column !== this.columns) throw new Error(`a row of ${this.column} values for ${this.columns} columns`);
    if (this.at + 1 > this.block.length) this.write(1);
    this.block[this.at++] = NEWLINE;
    this.column = 0;
    this.count++;
  }

  private number(value: number): void {
    // Whole numbers below 2^32 (frame numbers, lengths): digits straight into the block.
    if (value >>> 0 === value) {
      this.separate(10);
      const block = this.block;
      let p = this.at;
      if (value === 0) block[p++] = 0x30;
      else {
        let digits = 0;
        for (let v = value; v > 0; v = Math.floor(v / 10)) digits++;
        for (let k = digits - 1, v = value; k >= 0; k--, v = Math.floor(v / 10)) block[p + k] = 0x30 + (v % 10);
        p += digits;
      }
      this.at = p;
      return;
    }
    this.ascii(String(value));
  }

  private ascii(text: string): void {
    this.separate(text.length);
    const block = this.block;
    let p = this.at;
    for (let i = 0; i < text.length; i++) block[p++] = text.charCodeAt(i);
    this.at = p;
  }

  /** Writes the rows held out to the staging file, leaving room for `room` more bytes. */
  private write(room: number): void {
    let done = 0;
    while (done < this.at) done += fs.writeSync(this.fd, this.block, done, this.at - done);
    this.at = 0;
    if (room > this.block.length) this.block = Buffer.allocUnsafe(room);
  }

  /** Writes out what is held. */
  flush(): void {
    this.write(0);
  }
}

interface StagedTable {
  schema: TableSchema;
  file: string;
  fd: number;
  rows: TableRows;
}

export class ParquetTables {
  private constructor(
    private readonly scratch: string,
    private readonly tables: Map<string, StagedTable>,
  ) {}

  /** Opens a staging file per table in a scratch folder of `outDir`. */
  static open(outDir: string, tables: readonly TableSchema[]): ParquetTables {
    fs.mkdirSync(outDir, { recursive: true });
    const scratch = path.join(outDir, `.records-${process.pid}`);
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.mkdirSync(scratch);
    const staged = new Map<string, StagedTable>();
    try {
      for (const schema of tables) {
        const file = path.join(scratch, `${schema.name}.csv`);
        const fd = fs.openSync(file, 'w');
        staged.set(schema.name, { schema, file, fd, rows: new TableRows(fd, schema.columns.length) });
      }
    } catch (err) {
      for (const t of staged.values()) fs.closeSync(t.fd);
      fs.rmSync(scratch, { recursive: true, force: true });
      throw err;
    }
    return new ParquetTables(scratch, staged);
  }

  appender(table: string): TableRows {
    const staged = this.tables.get(table);
    if (staged === undefined) throw new Error(`no table ${table}`);
    return staged.rows;
  }

  /** Writes every table to outDir/<table>/<fileName>.parquet; returns the rows of each. */
  async finish(outDir: string, fileName: string): Promise<Record<string, number>> {
    const rows: Record<string, number> = {};
    let instance: DuckDBInstance | null = null;
    let connection: DuckDBConnection | null = null;
    try {
      for (const t of this.tables.values()) {
        t.rows.flush();
        fs.closeSync(t.fd);
        t.fd = -1;
      }
      // Spills, should a row group outgrow the memory limit, go to the scratch folder too.
      instance = await DuckDBInstance.create(':memory:', { memory_limit: MEMORY_LIMIT, threads: '1', preserve_insertion_order: 'true', temp_directory: this.scratch });
      connection = await instance.connect();
      for (const [table, t] of this.tables) {
        const dir = path.join(outDir, table);
        fs.mkdirSync(dir, { recursive: true });
        const final = path.join(dir, `${fileName}.parquet`);
        const partial = `${final}.partial`;
        await connection.run(`COPY (SELECT * FROM ${readStaged(t)}) TO '${sqlString(partial)}' (FORMAT parquet, COMPRESSION zstd)`);
        fs.renameSync(partial, final);
        rows[table] = t.rows.count;
      }
    } finally {
      connection?.closeSync();
      instance?.closeSync();
      this.close();
    }
    return rows;
  }

  /** Closes and removes the staging files (after finish, or instead of it on failure). */
  close(): void {
    for (const t of this.tables.values()) {
      if (t.fd >= 0) fs.closeSync(t.fd);
      t.fd = -1;
    }
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** DuckDB's CSV reader over a staging file, told its exact columns (nothing is guessed). */
function readStaged(t: StagedTable): string {
  const columns = t.schema.columns.map(([name, type]) => `'${name}': '${type}'`).join(', ');
  return `read_csv('${sqlString(t.file)}', columns = {${columns}}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, buffer_size = ${READ_BUFFER_BYTES}, max_line_size = ${READ_BUFFER_BYTES})`;
}

function sqlString(text: string): string {
  return text.replace(/'/g, "''");
}
