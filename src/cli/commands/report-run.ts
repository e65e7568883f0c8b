// tunnelscope report FILE --out REPORT.{html,csv,json} [--conversations] [--filter EXPR]: the report
// people hand to the tenant, the cloud team or the ticket.
// The work behind `tunnelscope report`, loaded only when that command runs (see report.ts).
import { OutputError, OutputIsInputError, refuseInputAsOutput, writeFileAtomically } from '../../capture/atomic-output';
import { MissingAnalysisError } from '../../report/csv-report';
import { captureProgress } from '../../report/progress';
import { collectReportData } from '../../report/report-data';
import { renderReport, reportFormatFor } from '../../report/report-format';
import { UserError } from '../errors';
import { compileFilterOrFail } from '../filter-option';
import { openCapturesOrFail, reportCaptureProblem } from '../open-capture';
export interface ReportCommandOptions {
  out: string;
  conversations?: boolean;
  filter?: string;
  reassemble: boolean;
}


export function runReport(inputs: string[], options: ReportCommandOptions): void {
  const format = reportFormatFor(options.out);
  if (format === null) throw new UserError(`--out ${options.out}: the report format comes from the extension: .html, .csv or .json`, 2);
  if (options.conversations && format !== 'csv') throw new UserError('--conversations is for CSV reports (HTML and JSON always include conversations)', 2);
  const filter = options.filter !== undefined && options.filter.trim() !== '' ? compileFilterOrFail(options.filter) : null;
  const file = openCapturesOrFail(inputs);
  try {
    const inputFiles = file.descriptors.map((fd) => ({ fd }));
    refuseInputAsOutput(options.out, inputFiles);
    const data = collectReportData(file, filter, { progress: captureProgress(file, 'report'), reassemble: options.reassemble });
    const text = renderReport(data, format, { conversations: options.conversations === true });
    // Written while the captures are still open, so the input check still knows them.
    writeFileAtomically(options.out, text, inputFiles);
  } catch (err) {
    if (err instanceof MissingAnalysisError) throw new UserError(err.message);
    if (err instanceof OutputError) throw new UserError(`--out ${err.message}`, err instanceof OutputIsInputError ? 2 : 1);
    throw err;
  } finally {
    file.close();
  }
  reportCaptureProblem(file);
}
