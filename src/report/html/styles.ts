// The report's only stylesheet, inlined into the page. Print: A4 margins, every section after the
// first on a new page, table headers repeated on each page, rows and charts never split.
export const REPORT_CSS = `
:root { --ink: #1d2430; --muted: #5b6573; --rule: #d7dce2; --band: #f4f6f8; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
header.report { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 8px; }
header.report h1 { margin: 0; font-size: 24px; }
header.report p { margin: 4px 0 0; color: var(--muted); }
section { margin-top: 28px; }
h2 { font-size: 19px; margin: 0 0 4px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.lead { margin: 4px 0 12px; color: var(--muted); }
p.note { margin: 8px 0; padding: 8px 12px; background: #fff7e0; border-left: 4px solid #E69F00; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 8px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
td.mono, span.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
tr.group td.to-group, th.to-group { color: #8a5a00; }
table.matrix { width: auto; }
table.matrix td.num { min-width: 90px; }
table.matrix td.zero { color: #c4c9cf; }
table.matrix th.row { background: var(--band); }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 4px 0 0; padding: 0; list-style: none; font-size: 13px; }
figure { margin: 8px 0 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
.kind-learn { color: #006d4f; font-weight: 600; }
.kind-move, .kind-migrate { color: #b34700; font-weight: 600; }
.kind-flood { color: #7a5c00; }
.severity { font-weight: 600; }
.severity-error { color: #b00020; }
.severity-warning { color: #8a5a00; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--rule); padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  section { margin-top: 0; }
  section + section { break-before: page; }
  table { font-size: 10px; }
  thead { display: table-header-group; }
  tr, figure, dl.facts, .keep { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
