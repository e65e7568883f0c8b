// tunnelscope report FILE --out REPORT.{html,csv,json} [--conversations] [--filter EXPR]: the report
// people hand to the tenant, the cloud team or the ticket.
// The work behind `tunnelscope report`, loaded only when that command runs (see report.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MissingAnalysisError } from '../../report/csv-report';
import { captureProgress } from '../../report/progress';
import { collectReportData } from '../../report/report-data';
import { renderReport, reportFormatFor } from '../../report/report-format';
import { UserError } from '../errors';
import { compileFilterOrFail } from '../filter-option';
import { openCaptureOrFail, reportCaptureProblem } from '../open-capture';
export interface ReportCommandOptions {
  out: string;
  conversations?: boolean;
  filter?: string;
  reassemble: boolean;
}


export function runReport(input: string, options: ReportCommandOptions): void {
  const format = reportFormatFor(options.out);
  if (format === null) throw new UserError(`--out ${options.out}: the report format comes from the extension: .html, .csv or .json`, 2);
  if (options.conversations && format !== 'csv') throw new UserError('--conversations is for CSV reports (HTML and JSON always include conversations)', 2);
  if (path.resolve(input) === path.resolve(options.out)) throw new UserError(`--out ${options.out}: would overwrite the input capture`, 2);
  const filter = options.filter !== undefined && options.filter.trim() !== '' ? compileFilterOrFail(options.filter) : null;
  const file = openCaptureOrFail(input);
  let text: string;
  try {
    const data = collectReportData(file, filter, { progress: captureProgress(file, 'report'), reassemble: options.reassemble });
    text = renderReport(data, format, { conversations: options.conversations === true });
  } catch (err) {
    if (err instanceof MissingAnalysisError) throw new UserError(err.message);
    throw err;
  } finally {
    file.close();
  }
  try {
    fs.writeFileSync(options.out, text);
  } catch (err) {
    throw new UserError(`--out ${options.out}: ${(err as Error).message}`);
  }
  reportCaptureProblem(file);
}
