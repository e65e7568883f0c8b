// Traffic over time as an inline SVG stacked column chart: one column per time bin, one colour per
// tenant (the busiest few; the rest stacked as "other tenants"). Plain SVG: no script, prints crisply.
import { TrafficSummary } from '../traffic';
import { readableDuration, readableTime } from '../time-format';
import { count, escapeHtml, tenantLabel } from './escape';
import { OTHER_COLOUR, TENANT_COLOURS } from './palette';

const WIDTH = 1000;
const HEIGHT = 300;
const MARGIN = { left: 64, right: 16, top: 14, bottom: 44 };

export interface ChartSeries {
  label: string;
  colour: string;
  values: number[];
}

/** The busiest tenants as their own series, every other tenant summed into one grey series. */
export function chartSeries(traffic: TrafficSummary, maxSeries = TENANT_COLOURS.length): ChartSeries[] {
  const series: ChartSeries[] = traffic.tenants.slice(0, maxSeries).map((t, i) => ({
    label: tenantLabel(t),
    colour: TENANT_COLOURS[i],
    values: t.packetsOverTime,
  }));
  const rest = traffic.tenants.slice(maxSeries);
  if (rest.length > 0) {
    const values = new Array<number>(traffic.bins).fill(0);
    for (const t of rest) t.packetsOverTime.forEach((v, i) => (values[i] += v));
    series.push({ label: `${rest.length} other tenants`, colour: OTHER_COLOUR, values });
  }
  return series;
}

/** A round axis maximum and tick step: 1, 2 or 5 times a power of ten. */
export function niceScale(max: number, ticks = 5): { max: number; step: number } {
  if (max <= 0) return { max: 1, step: 1 };
  const raw = max / ticks;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const stepInt = Math.max(1, Math.round(step)); // packets are whole
  return { max: Math.ceil(max / stepInt) * stepInt, step: stepInt };
}

function offsetLabel(seconds: number): string {
  if (seconds === 0) return '0';
  return `+${readableDuration(seconds)}`;
}

export function timeChartSvg(traffic: TrafficSummary): string {
  const series = chartSeries(traffic);
  if (series.length === 0) return '<p class="lead">No tenant traffic in the frames covered.</p>';
  const bins = traffic.bins;
  const totals = new Array<number>(bins).fill(0);
  for (const s of series) s.values.forEach((v, i) => (totals[i] += v));
  const { max, step } = niceScale(Math.max(...totals));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (bin: number) => MARGIN.left + (bin / bins) * plotW;
  const y = (value: number) => MARGIN.top + plotH - (value / max) * plotH;
  const columnW = plotW / bins;
  const gap = columnW > 4 ? Math.min(2, columnW * 0.15) : 0;
  const parts: string[] = [];

  for (let v = 0; v <= max; v += step) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${v === 0 ? '#8a939e' : '#e3e7eb'}"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${count(v)}</text>`);
  }
  const labelEvery = Math.max(1, Math.ceil(bins / 8));
  for (let bin = 0; bin <= bins; bin += labelEvery) {
    const px = x(bin).toFixed(1);
    parts.push(`<line x1="${px}" x2="${px}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 5}" stroke="#8a939e"/>`);
    parts.push(`<text x="${px}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${escapeHtml(offsetLabel(bin * traffic.binSeconds))}</text>`);
  }
  for (let bin = 0; bin < bins; bin++) {
    let base = 0;
    for (const s of series) {
      const v = s.values[bin];
      if (v === 0) continue;
      const top = y(base + v);
      const height = y(base) - top;
      const start = offsetLabel(bin * traffic.binSeconds);
      parts.push(
        `<rect x="${(x(bin) + gap / 2).toFixed(2)}" y="${top.toFixed(2)}" width="${Math.max(0.5, columnW - gap).toFixed(2)}" height="${height.toFixed(2)}" fill="${s.colour}"><title>${escapeHtml(`${s.label}: ${count(v)} packets at ${start}`)}</title></rect>`,
      );
      base += v;
    }
  }
  const axisTitle = `time since ${readableTime(traffic.startTime)}`;
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle" class="axis-title">${escapeHtml(axisTitle)}</text>`);
  parts.push(
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" class="axis-title">${escapeHtml(`packets per ${readableDuration(traffic.binSeconds)}`)}</text>`,
  );
  const legend = series.map((s) => `<li><span class="swatch" style="background:${s.colour}"></span>${escapeHtml(s.label)}</li>`).join('');
  return `<figure class="keep">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Packets per tenant over time" font-size="12" fill="#3a4350" font-family="system-ui, sans-serif">
<style>.axis-title{fill:#5b6573;font-size:12px}</style>
${parts.join('\n')}
</svg>
<ul class="legend">${legend}</ul>
<figcaption>Each column is ${escapeHtml(readableDuration(traffic.binSeconds))} of capture time; colours stack the tenants' packets in that interval.</figcaption>
</figure>`;
}
