// The HTML report: one self-contained page (inline CSS and SVG, no script, no network) that reads
// well on screen and prints one section per page.
import { ReportData } from '../report-data';
import { readableTime } from '../time-format';
import { escapeHtml } from './escape';
import { conversationsSection, eventsSection, findingsSection, matrixSection, summarySection, tenantsSection, trafficSection } from './sections';
import { REPORT_CSS } from './styles';

export function renderHtmlReport(data: ReportData): string {
  const title = `Tenant traffic report: ${data.capture.file}`;
  const generated = readableTime(Date.parse(data.generatedAt) / 1000).replace(/\.\d+ UTC$/, ' UTC');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Tunnelscope">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header class="report">
<h1>${escapeHtml(title)}</h1>
<p>Overlay tenants, VTEPs and learning seen in the capture, made by Tunnelscope on ${escapeHtml(generated)}.</p>
</header>
${summarySection(data)}
${tenantsSection(data)}
${trafficSection(data)}
${matrixSection(data)}
${conversationsSection(data)}
${eventsSection(data)}
${findingsSection(data)}
<footer>tunnelscope report · ${escapeHtml(data.capture.file)} · the same figures are available as CSV (<span class="mono">--out FILE.csv</span>) and JSON (<span class="mono">--out FILE.json</span>).</footer>
</main>
</body>
</html>
`;
}
