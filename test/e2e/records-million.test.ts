// The figure as a test: `records` of a 1M-packet capture, read back by DuckDB, equals
// `tenants -T json` per tenant (and `vteps -T json` per learning event kind). No time is asserted.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateVxlanCapture } from '../bench/generate-vxlan';
import { TEST_OUTPUT } from '../helpers/paths';
import { checkRecordsAgainstReports } from '../helpers/records-check';

const PACKETS = 1_000_000;

test(`records of a generated ${PACKETS.toLocaleString('en-US')}-packet capture: DuckDB's per-tenant totals equal tenants -T json`, async () => {
  fs.mkdirSync(TEST_OUTPUT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TEST_OUTPUT, 'records-million-'));
  try {
    const capture = path.join(dir, 'million.pcap');
    generateVxlanCapture(capture, { packets: PACKETS, seed: 11 });
    await checkRecordsAgainstReports(capture, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
