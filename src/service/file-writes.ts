// Save Displayed As and Export Tenant Report run the CLI's export and report code in a scan worker, so
// writing a 1M-packet capture's frames never stalls the window's other calls.
import * as path from 'node:path';
import { scanWorker, UserFacingError } from './capture-session';
import type { ScanMessage, WriteJob } from './scan-protocol';
import type { SaveFramesResult } from './api';
import { parseTenantSpec, TenantSpecError } from '../export/tenant-spec';
import { validateFilter } from '../filter';
import { reportFormatFor } from '../report/report-format';

/** The session's capture: what its workers open (`paths`) and the files that are (`files`). */
export interface WriteSource {
  paths: string[];
  files: string[];
}

function checkOutput(capture: WriteSource, out: string): string {
  const resolved = path.resolve(out);
  if (capture.files.some((file) => resolved === path.resolve(file))) throw new UserFacingError(`${out}: would overwrite the open capture`);
  return resolved;
}

function checkSelection(filter: string, tenant: string): void {
  const problem = validateFilter(filter);
  if (problem) throw new UserFacingError(problem.message);
  if (tenant === '') return;
  try {
    parseTenantSpec(tenant);
  } catch (err) {
    if (err instanceof TenantSpecError) throw new UserFacingError(err.message.replace(/^--tenant /, 'tenant '));
    throw err;
  }
}

function runWrite(capture: WriteSource, job: WriteJob): Promise<Extract<ScanMessage, { kind: 'write-done' }>> {
  return new Promise((resolve, reject) => {
    const worker = scanWorker({ task: 'write', paths: capture.paths, job });
    worker.on('message', (m: ScanMessage) => {
      if (m.kind === 'write-done') resolve(m);
      else if (m.kind === 'error') reject(new UserFacingError(`cannot write ${job.out}: ${m.message}`));
    });
    worker.on('error', (err) => reject(new UserFacingError(`cannot write ${job.out}: ${err.message}`)));
    worker.on('exit', () => reject(new UserFacingError(`cannot write ${job.out}: the writer stopped`)));
  });
}

export async function saveFrames(capture: WriteSource, request: { path: string; format: 'pcap' | 'pcapng'; filter: string; tenant: string; decap: boolean }): Promise<SaveFramesResult> {
  const out = checkOutput(capture, request.path);
  checkSelection(request.filter, request.tenant);
  const done = await runWrite(capture, { kind: 'frames', out, format: request.format, filter: request.filter, tenant: request.tenant, decap: request.decap });
  return { path: out, written: done.written, matched: done.matched, skipped: done.skipped };
}

export async function exportReport(capture: WriteSource, request: { path: string; filter: string; conversations: boolean }): Promise<{ path: string; format: 'html' | 'csv' | 'json' }> {
  const out = checkOutput(capture, request.path);
  const format = reportFormatFor(out);
  if (format === null) throw new UserFacingError(`${request.path}: the report format comes from the extension: .html, .csv or .json`);
  if (request.conversations && format !== 'csv') throw new UserFacingError('one row per conversation is for CSV reports (HTML and JSON always include conversations)');
  checkSelection(request.filter, '');
  await runWrite(capture, { kind: 'report', out, filter: request.filter, conversations: request.conversations });
  return { path: out, format };
}
