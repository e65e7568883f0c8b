// Report building blocks: time formats, bins, CSV and HTML rendering of a small hand-made report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tenantsCsv } from '../../src/report/csv-report';
import { renderHtmlReport } from '../../src/report/html/html-report';
import { escapeHtml } from '../../src/report/html/escape';
import { niceScale } from '../../src/report/html/time-chart';
import { reportFormatFor } from '../../src/report/report-format';
import { ReportData } from '../../src/report/report-data';
import { isoTime, timeOfDay } from '../../src/report/time-format';
import { niceBinSeconds } from '../../src/report/traffic';

const T0 = 1704067200;

function sampleData(): ReportData {
  return {
    generatedAt: '2024-01-02T00:00:00.000Z',
    capture: { file: 'a<b>.pcapng', format: 'pcapng', fileBytes: 1000, frames: 3, interfaces: [{ name: 'eth0', linkType: 1 }], filter: null, problem: null },
    traffic: {
      frames: 3,
      bytes: 300,
      underlayFrames: 1,
      underlayBytes: 60,
      startTime: T0,
      endTime: T0 + 1.03,
      binSeconds: 0.5,
      bins: 3,
      tenants: [
        { type: 'gre', id: 7, packets: 2, bytes: 240, firstTime: T0 + 0.5, lastTime: T0 + 1.03, firstFrame: 2, lastFrame: 3, vteps: ['10.0.0.1', '10.0.0.2'], packetsOverTime: [0, 1, 1], matrix: [] },
      ],
    },
    analysis: null,
  };
}

test('isoTime rounds at the printed digit, not below it', () => {
  assert.equal(isoTime(T0 + 1.03), '2024-01-01T00:00:01.030000Z');
  assert.equal(isoTime(T0 + 0.9999999), '2024-01-01T00:00:01.000000Z');
  assert.equal(timeOfDay(T0 + 3661.5), '01:01:01.500000');
});

test('time bins and axis scales are round numbers', () => {
  assert.equal(niceBinSeconds(6.54, 60), 0.2);
  assert.equal(niceBinSeconds(100, 60), 2);
  assert.equal(niceBinSeconds(0, 60), 1);
  assert.deepEqual(niceScale(10), { max: 10, step: 2 });
  assert.deepEqual(niceScale(3), { max: 3, step: 1 });
});

test('the report format comes from the extension', () => {
  assert.equal(reportFormatFor('x/REPORT.HTML'), 'html');
  assert.equal(reportFormatFor('r.csv'), 'csv');
  assert.equal(reportFormatFor('r.json'), 'json');
  assert.equal(reportFormatFor('r.txt'), null);
  assert.equal(reportFormatFor('report'), null);
});

test('tenants CSV: exact header, unknown figures empty', () => {
  const csv = tenantsCsv(sampleData());
  assert.equal(
    csv,
    'type,id,packets,bytes,first_seen,last_seen,vteps,conversations,flood_packets\n' +
      'gre,7,2,240,2024-01-01T00:00:00.500000Z,2024-01-01T00:00:01.030000Z,10.0.0.1 10.0.0.2,,\n',
  );
});

test('HTML report escapes names and references nothing outside the file', () => {
  const html = renderHtmlReport(sampleData());
  assert.ok(html.includes('a&lt;b&gt;.pcapng'));
  assert.ok(!html.includes('a<b>'));
  assert.doesNotMatch(html, /<script|<link|src=|url\(|@import/i);
  assert.match(html, /@media print/);
  assert.match(html, /gre key 7/);
  assert.equal(escapeHtml(`"'&`), '&quot;&#39;&amp;');
});
