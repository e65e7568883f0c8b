// Frames over time per tenant (uPlot): one line per busiest tenant, the rest summed.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { TrafficSeries } from '../../../src/service/api';

const COLOURS = ['#2b5797', '#d9822b', '#2e8b57', '#b03a48', '#7a4fb5', '#1f9bb5', '#a0862d', '#c2569b', '#888888'];

export function TrafficChart({ traffic }: { traffic: TrafficSeries }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || traffic.series.length === 0) return;
    const perSecond = 1 / traffic.bucketSeconds;
    const data: uPlot.AlignedData = [traffic.times, ...traffic.series.map((s) => s.frames.map((n) => n * perSecond))];
    const plot = new uPlot(
      {
        width: el.clientWidth || 600,
        height: 220,
        scales: { x: { time: false } },
        axes: [
          { label: 'seconds since the first frame', stroke: '#333', grid: { stroke: '#eee' } },
          { label: 'frames / s', stroke: '#333', grid: { stroke: '#eee' }, size: 60 },
        ],
        series: [{ label: 't (s)' }, ...traffic.series.map((s, i) => ({ label: s.tenant, stroke: COLOURS[i % COLOURS.length], width: 1.5, points: { show: traffic.times.length < 40 } }))],
        legend: { live: false },
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [traffic]);
  return <div className="traffic-chart" ref={box} data-testid="traffic-chart" />;
}
