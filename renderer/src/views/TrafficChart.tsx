// I/O graph: frames per second over time, one line per tenant the user picks (the busiest few at
// first), so no summed "other tenants" line flattens the chart.
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import type { TrafficSeries } from '../../../src/service/api';

const COLOURS = ['#2b5797', '#d9822b', '#2e8b57', '#b03a48', '#7a4fb5', '#1f9bb5', '#a0862d', '#c2569b', '#888888'];
const SHOWN_AT_FIRST = 5;

/** Tenants listed in the picker at once. */
const MAX_CHOICES = 200;

export function TrafficChart({ traffic, height = 220 }: { traffic: TrafficSeries; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [picked, setPicked] = useState<string[]>(() => traffic.series.slice(0, SHOWN_AT_FIRST).map((s) => s.tenant));
  const [search, setSearch] = useState('');
  const shown = useMemo(() => traffic.series.filter((s) => picked.includes(s.tenant)), [traffic, picked]);

  useEffect(() => {
    const el = box.current;
    if (!el || shown.length === 0) return;
    const perSecond = 1 / traffic.bucketSeconds;
    const data: uPlot.AlignedData = [traffic.times, ...shown.map((s) => s.frames.map((n) => n * perSecond))];
    const plot = new uPlot(
      {
        width: el.clientWidth || 600,
        height,
        scales: { x: { time: false } },
        axes: [
          { label: 'seconds since the first frame', stroke: '#333', grid: { stroke: '#eee' } },
          { label: 'frames / s', stroke: '#333', grid: { stroke: '#eee' }, size: 60 },
        ],
        series: [{ label: 't (s)' }, ...shown.map((s) => ({ label: s.tenant, stroke: COLOURS[picked.indexOf(s.tenant) % COLOURS.length], width: 1.5, points: { show: traffic.times.length < 40 } }))],
        legend: { live: false },
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [traffic, shown, picked, height]);

  const toggle = (tenant: string) => setPicked((p) => (p.includes(tenant) ? p.filter((t) => t !== tenant) : [...p, tenant]));
  const needle = search.trim().toLowerCase();
  const matching = traffic.series.filter((s) => needle === '' || s.tenant.includes(needle));
  // A list of thousands of tenants is no use to pick from: the first ones, and how many more to narrow.
  const choices = matching.slice(0, MAX_CHOICES);
  return (
    <div className="io-graph">
      <div className="io-picker" data-testid="io-picker">
        <input placeholder={`Tenants (${traffic.series.length})…`} value={search} onChange={(e) => setSearch(e.target.value)} data-testid="io-search" />
        <div className="io-choices">
          {choices.map((s) => (
            <label key={s.tenant} className="io-choice">
              <input type="checkbox" checked={picked.includes(s.tenant)} onChange={() => toggle(s.tenant)} data-testid="io-choice" />
              <span className="io-swatch" style={{ background: picked.includes(s.tenant) ? COLOURS[picked.indexOf(s.tenant) % COLOURS.length] : 'transparent' }} />
              {s.tenant}
            </label>
          ))}
          {matching.length > choices.length && (
            <div className="muted io-more" data-testid="io-more">{(matching.length - choices.length).toLocaleString('en-US')} more: type to narrow</div>
          )}
        </div>
      </div>
      {shown.length === 0 ? <div className="muted io-empty">Tick tenants on the left to draw their traffic.</div> : <div className="traffic-chart" ref={box} data-testid="traffic-chart" />}
    </div>
  );
}
