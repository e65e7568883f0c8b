// VTEP timeline: one lane per tunnel endpoint with its learn, move, flood and group-join events along
// the capture; the forwarding database of every VTEP at the selected frame; multicast group members.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ColDef } from 'ag-grid-community';
import type { FdbEntry, GroupRow, VtepEvent, VtepEventWindow, VtepPair, VtepTableName, VtepTimeline } from '../../../src/service/api';
import { service } from '../service-client';
import { formatBytes, formatCount } from '../format';
import { useRefreshing } from '../use-refreshing';
import { AnalysisProgress } from '../components/AnalysisProgress';
import { PagedGrid, PageRequest } from '../components/PagedGrid';
import { ChoiceInput } from '../components/ChoiceInput';

interface Props {
  sessionId: string;
  /** A live capture is running: the timeline is refreshed as it grows. */
  live: boolean;
  selectedFrame: number | null;
  onSelectFrame(frame: number): void;
  onShowInList(frame: number): void;
  onMessage(text: string): void;
}

const LANE = 34;
const LEFT = 150;
const TOP = 28;
const OVERVIEW_HEIGHT = 36;
/** Lanes drawn before the panel is measured; then as many as fit, the others scrolled to (thousands of VTEPs). */
const FIRST_VISIBLE_LANES = 6;

/** True from the first task after the next paint once `ready` holds (and from then on). */
function useAfterPaint(ready: boolean): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => {
    if (!ready || after) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setAfter(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [ready, after]);
  return after;
}

/** How many lanes fit the height the lanes' scroller is given (the panel is resizable). */
function useLanesThatFit(): [React.RefObject<HTMLDivElement | null>, number, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ fit: FIRST_VISIBLE_LANES, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setBox({ fit: Math.max(1, Math.floor((el.clientHeight - TOP - 8) / LANE)), height: el.clientHeight });
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, box.fit, box.height];
}

function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  // 0 until measured: the event windows are asked for at the measured width only (not twice).
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setWidth(Math.max(400, el.clientWidth - 4));
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

function Marker({ e, x, y, selected, onClick }: { e: VtepEvent; x: number; y: number; selected: boolean; onClick(): void }) {
  const title = `frame ${e.frame}: ${e.text}`;
  switch (e.kind) {
    case 'learn':
    case 'local':
      return <circle cx={x} cy={y} r={5} className={`mk mk-learn${selected ? ' mk-selected' : ''}`} onClick={onClick}><title>{title}</title></circle>;
    case 'move':
    case 'migrate':
      return <path d={`M${x},${y - 8} L${x + 7},${y + 5} L${x - 7},${y + 5} Z`} className={`mk mk-move${selected ? ' mk-selected' : ''}`} onClick={onClick}><title>{title}</title></path>;
    case 'flood':
      return <rect x={x - 1.5} y={y - 10} width={3} height={20} className={`mk mk-flood${selected ? ' mk-selected' : ''}`} onClick={onClick}><title>{title}</title></rect>;
    default:
      return <rect x={x - 4} y={y - 4} width={8} height={8} className={`mk mk-join${selected ? ' mk-selected' : ''}`} onClick={onClick}><title>{title}</title></rect>;
  }
}

export function VtepTimelineView({ sessionId, live, selectedFrame, onSelectFrame, onShowInList, onMessage }: Props) {
  const [attempt, setAttempt] = useState(0);
  const timeline = useRefreshing<VtepTimeline>(() => service.call('vtepTimeline', { sessionId }), `${sessionId}#${attempt}`, live, onMessage);
  const [here, setHere] = useState<string[]>([]);
  const frames = Math.max(1, timeline?.frames ?? 1);

  // The FDB after the selected frame (or after the last frame analysed, which moves while capturing):
  // its pages are asked for as the table scrolls, sorted and searched in the analysis worker.
  const atFrame = Math.max(1, selectedFrame ?? frames);
  useEffect(() => {
    let stale = false;
    if (selectedFrame !== null) service.call('forwarding', { sessionId, frame: selectedFrame }).then((r) => !stale && setHere(r.lines)).catch(() => undefined);
    else setHere([]);
    return () => {
      stale = true;
    };
  }, [sessionId, selectedFrame]);

  const [fdbAnswered, setFdbAnswered] = useState(false);
  const onFdbAnswered = useCallback(() => setFdbAnswered(true), []);
  const justLearned = useCallback((e: FdbEntry) => (e.learnedFrame === selectedFrame ? 'just-learned' : ''), [selectedFrame]);
  const selectLearnedFrame = useCallback((e: FdbEntry) => onSelectFrame(e.learnedFrame), [onSelectFrame]);
  // A live capture's tables are asked afresh as its timeline grows.
  const version = timeline ? `${sessionId}|${timeline.frames}|${timeline.eventCount}` : sessionId;
  // The side tables' grids are made once the timeline and the FDB are on screen: making a grid measures
  // its theme with forced layouts of the whole view, which would hold both up.
  const sideShown = useAfterPaint(timeline !== null && fdbAnswered);

  if (!timeline) return <AnalysisProgress sessionId={sessionId} what="VTEP timeline" onRestart={() => setAttempt((n) => n + 1)} />;

  return (
    <div className="vtep-view" data-testid="vtep-view">
      <section className="panel timeline-panel">
        <h3>
          VTEP timeline <span className="muted">— a lane per tunnel endpoint (underlay IP) · drag on the overview or the plot to zoom, wheel to zoom, click a marker to select its frame</span>
          {timeline.live && <span className="badge live-badge">live · {formatCount(timeline.frames)} frames so far</span>}
          <span className="legend">
            <svg width="14" height="14"><circle cx="7" cy="7" r="5" className="mk-learn" /></svg> learn
            <svg width="14" height="14"><path d="M7,1 L13,12 L1,12 Z" className="mk-move" /></svg> move
            <svg width="8" height="14"><rect x="2.5" y="0" width="3" height="14" className="mk-flood" /></svg> flood (sender)
            <svg width="14" height="14"><rect x="3" y="3" width="8" height="8" className="mk-join" /></svg> IGMP join / leave
          </span>
        </h3>
        {timeline.vteps.length === 0 ? (
          <div className="muted">{timeline.live ? 'No VTEP activity captured yet.' : 'No VTEP activity: this capture has no L2 overlay (VXLAN / NVGRE / GRE 0x6558 / Geneve) traffic.'}</div>
        ) : (
          <TimelinePlot sessionId={sessionId} timeline={timeline} selectedFrame={selectedFrame} onSelectFrame={onSelectFrame} onMessage={onMessage} />
        )}
        {timeline.notes.length > 0 && (
          <ul className="notes">
            {timeline.notes.map((n, i) => <li key={i}>{n}</li>)}
          </ul>
        )}
      </section>
      <div className="vtep-bottom">
        <section className="panel fdb-panel">
          <h3>
            Forwarding database after frame {atFrame}{' '}
            {selectedFrame !== null && <button className="btn btn-small" onClick={() => onShowInList(selectedFrame)}>Show frame {selectedFrame} in packet list</button>}
          </h3>
          {here.length > 0 && (
            <ul className="events-here" data-testid="forwarding-here">
              {here.map((line, i) => <li key={i}>{line}</li>)}
            </ul>
          )}
          <VtepTablePanel<FdbEntry> sessionId={sessionId} table="fdb" frame={atFrame} version={version} what={["entry", "entries"]} searchPlaceholder="Search the FDB: MAC, VTEP, tenant"
            testIds={FDB_TEST_IDS} gridClass="fdb-grid" columns={FDB_COLUMNS} rowId={fdbRowId} emptyText={FDB_EMPTY} shown onMessage={onMessage} onAnswered={onFdbAnswered}
            rowClass={justLearned} onRowClicked={selectLearnedFrame} />
        </section>
        <div className="vtep-side">
          <section className="panel matrix-panel">
            <h3>VTEP-to-VTEP traffic <span className="muted">(outer source → destination, all tenants)</span></h3>
            <VtepTablePanel<VtepPair> sessionId={sessionId} table="pairs" frame={1} version={version} what={["pair", "pairs"]} searchPlaceholder="Search: VTEP, group, tenant" knownTotal={timeline.pairCount}
              testIds={PAIR_TEST_IDS} gridClass="matrix-grid" columns={MATRIX_COLUMNS} rowId={matrixRowId} emptyText={PAIR_EMPTY} shown={sideShown} onMessage={onMessage} />
          </section>
          <section className="panel groups-panel">
            <h3>Multicast groups <span className="muted">(members from IGMP/MLD reports)</span></h3>
            <VtepTablePanel<GroupRow> sessionId={sessionId} table="groups" frame={1} version={version} what={["group", "groups"]} searchPlaceholder="Search: group, member VTEP, tenant" knownTotal={timeline.groupCount}
              testIds={GROUP_TEST_IDS} gridClass="groups-grid" columns={GROUP_COLUMNS} rowId={groupRowId} emptyText={GROUP_EMPTY} shown={sideShown} onMessage={onMessage} />
          </section>
        </div>
      </div>
    </div>
  );
}

interface TablePanelProps<T> {
  sessionId: string;
  table: VtepTableName;
  /** The FDB's frame (the other tables cover the whole capture). */
  frame: number;
  /** Changes when the capture's analysis does (a live capture): the pages are asked afresh. */
  version: string;
  /** What a row is and what rows are, for the count ("entry", "entries"). */
  what: [string, string];
  searchPlaceholder: string;
  testIds: { search: string; count: string; grid: string };
  gridClass: string;
  columns: ColDef<T>[];
  rowId(row: T): string;
  /** What the empty table says, without and with a search. */
  emptyText: { none: string; noMatch: string };
  /** Rows without a search, when known before the first page (the timeline's counts). */
  knownTotal?: number;
  /** False: a placeholder until the grid may be made. */
  shown: boolean;
  onMessage(text: string): void;
  onAnswered?(): void;
  rowClass?(row: T): string;
  onRowClicked?(row: T): void;
}

/** One of the VTEP view's tables: its search box, its count, its pages from the analysis worker. */
function VtepTablePanel<T>({ sessionId, table, frame, version, what, searchPlaceholder, testIds, gridClass, columns, rowId, emptyText, knownTotal, shown, onMessage, onAnswered, rowClass, onRowClicked }: TablePanelProps<T>) {
  const search = useSearch();
  const queryKey = `${version}|${frame}|${search.applied}`;
  const [answered, setAnswered] = useState<{ key: string; total: number } | null>(null);
  const onTotal = useCallback((key: string, total: number) => {
    setAnswered({ key, total });
    onAnswered?.();
  }, [onAnswered]);
  const fetchPage = useCallback(
    (r: PageRequest) => service.call('vtepTable', { sessionId, table, frame, search: search.applied, ...r }).then((page) => ({ total: page.total, rows: page.rows as T[] })),
    [sessionId, table, frame, search.applied],
  );
  const total = answered?.key === queryKey ? answered.total : search.applied === '' ? knownTotal : undefined;
  return (
    <>
      <div className="tabs">
        <input className="stats-search" placeholder={searchPlaceholder} value={search.text} onChange={(e) => search.set(e.target.value)} data-testid={testIds.search} />
        <span className="muted tab-note" data-testid={testIds.count}>{total === undefined ? 'Loading…' : `${formatCount(total)} ${what[total === 1 ? 0 : 1]}`}</span>
      </div>
      {shown ? (
        <PagedGrid<T> testId={testIds.grid} className={gridClass} columns={columns} queryKey={queryKey} fetchPage={fetchPage} rowId={rowId} onTotal={onTotal} onError={onMessage}
          emptyText={search.applied ? emptyText.noMatch : emptyText.none} rowClass={rowClass} onRowClicked={onRowClicked} />
      ) : (
        <div className={`${gridClass} muted`}>Loading…</div>
      )}
    </>
  );
}

/** A search box's text and the text applied after a pause in typing (each search is a pass in the worker). */
function useSearch(): { text: string; applied: string; set(text: string): void } {
  const [text, set] = useState('');
  const [applied, setApplied] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setApplied(text.trim()), 200);
    return () => clearTimeout(timer);
  }, [text]);
  return { text, applied, set };
}

/** Round tick steps (1, 2, 5 x 10^n seconds) for about `wanted` ticks over `span` seconds. */
function ticksOf(from: number, to: number, wanted: number): number[] {
  const span = Math.max(1e-9, to - from);
  const raw = span / wanted;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to + 1e-12; t += step) out.push(t);
  return out;
}

function tickText(t: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step))));
  return `${t.toFixed(decimals)} s`;
}

interface PlotProps {
  sessionId: string;
  timeline: VtepTimeline;
  selectedFrame: number | null;
  onSelectFrame(frame: number): void;
  onMessage(text: string): void;
}

/** The busiest cell (at least 1), without spreading every count into one call (10,000 lanes would not fit). */
function densityMax(density: { counts: number[] }[] | null): number {
  let max = 1;
  for (const d of density ?? []) for (const n of d.counts) if (n > max) max = n;
  return max;
}

/** The density drawing's colour (the stylesheet's .density fill, #2b5797). */
const DENSITY_RGB = [0x2b, 0x57, 0x97];

interface DensityProps {
  x: number;
  y: number;
  width: number;
  rowHeight: number;
  rows: number;
  /** Blank pixels above and below each row's cells. */
  inset: number;
  density: { vtep: string; counts: number[] }[];
  /** Each lane's row, or null to draw every lane in the one row (the overview). */
  lanes: string[] | null;
  max: number;
}

/**
 * Per-column counts of each lane drawn on a canvas inside the SVG: a whole capture's density is tens
 * of thousands of cells, too many to be an SVG element each. Darker = more (as the status line says).
 */
function DensityLayer({ x, y, width, rowHeight, rows, inset, density, lanes, max }: DensityProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const height = rows * rowHeight;
  useLayoutEffect(() => {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g) return;
    let columns = 1;
    for (const d of density) columns = Math.max(columns, d.counts.length);
    const rowOfLane = new Map(lanes?.map((v, i) => [v, i]));
    const rowOf = (vtep: string) => (lanes === null ? 0 : rowOfLane.get(vtep));
    // Per row and column, the opacity of the lanes' cells drawn over each other: 1 - Π(1 - a).
    const clear = new Float64Array(rows * columns).fill(1);
    for (const d of density) {
      const row = rowOf(d.vtep);
      if (row === undefined) continue;
      d.counts.forEach((n, k) => {
        if (n > 0) clear[row * columns + Math.floor((k * columns) / d.counts.length)] *= 1 - (0.15 + 0.85 * (n / max));
      });
    }
    // One pixel per column, scaled to the plot's width without smoothing (each cell a sharp block).
    const image = new ImageData(columns, height);
    const [r, gr, b] = DENSITY_RGB;
    for (let row = 0; row < rows; row++) {
      for (let k = 0; k < columns; k++) {
        const alpha = Math.round(255 * (1 - clear[row * columns + k]));
        if (alpha === 0) continue;
        for (let py = row * rowHeight + inset; py < (row + 1) * rowHeight - inset; py++) {
          const at = (py * columns + k) * 4;
          image.data[at] = r;
          image.data[at + 1] = gr;
          image.data[at + 2] = b;
          image.data[at + 3] = alpha;
        }
      }
    }
    const cells = document.createElement('canvas');
    cells.width = columns;
    cells.height = height;
    cells.getContext('2d')!.putImageData(image, 0, 0);
    const scale = window.devicePixelRatio || 1;
    c.width = Math.ceil(width * scale);
    c.height = Math.ceil(height * scale);
    g.imageSmoothingEnabled = false;
    g.clearRect(0, 0, c.width, c.height);
    g.drawImage(cells, 0, 0, c.width, c.height);
  }, [width, height, rows, rowHeight, inset, density, lanes, max]);
  return (
    <foreignObject x={x} y={y} width={width} height={height} pointerEvents="none" data-testid="timeline-density">
      <canvas ref={canvas} style={{ width, height, display: 'block' }} />
    </foreignObject>
  );
}

/** What the pointer is over in the density drawing: one lane's count in one column (the canvas has no elements to title). */
interface DensityHover {
  vtep: string;
  column: number;
  bins: number;
  count: number;
  from: number;
  to: number;
  digits: number;
  clientX: number;
  clientY: number;
}

/** The density cell at a point of the plot (relative to its top-left corner), or null outside the lanes. */
function densityAt(w: VtepEventWindow, density: { vtep: string; counts: number[] }[], lanes: string[], px: number, py: number, plotWidth: number, clientX: number, clientY: number): DensityHover | null {
  const laneIndex = Math.floor(py / LANE);
  if (px < 0 || px >= plotWidth || laneIndex < 0 || laneIndex >= lanes.length) return null;
  const vtep = lanes[laneIndex];
  const bins = density[0]?.counts.length ?? 0;
  if (bins === 0) return null;
  const column = Math.min(bins - 1, Math.floor((px / plotWidth) * bins));
  const count = density.find((d) => d.vtep === vtep)?.counts[column] ?? 0;
  const width = (w.to - w.from) / bins;
  const digits = width < 0.001 ? 6 : width < 1 ? 3 : 1;
  return { vtep, column, bins, count, from: w.from + column * width, to: w.from + (column + 1) * width, digits, clientX, clientY };
}

/** The lanes over a time window: single markers when they fit, else a density per pixel column. */
function TimelinePlot({ sessionId, timeline, selectedFrame, onSelectFrame, onMessage }: PlotProps) {
  const [box, width] = useWidth();
  const full = useMemo(() => ({ from: timeline.firstTime, to: Math.max(timeline.lastTime, timeline.firstTime + 1e-6) }), [timeline]);
  const [range, setRange] = useState(full);
  const [tenant, setTenant] = useState('');
  const [vtep, setVtep] = useState('');
  const [mac, setMac] = useState('');
  const [windowData, setWindowData] = useState<VtepEventWindow | null>(null);
  const [overview, setOverview] = useState<VtepEventWindow | null>(null);
  const [drag, setDrag] = useState<{ where: 'plot' | 'overview'; x0: number; x1: number } | null>(null);
  const [hover, setHover] = useState<DensityHover | null>(null);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const plotWidth = Math.max(100, width - LEFT - 30);
  const bins = Math.max(50, Math.floor(plotWidth / 2));
  const filters = { tenant, vtep, mac };
  // The lanes on screen: a window of VISIBLE_LANES scrolled through (or the one VTEP filtered to).
  const allLanes = timeline.vteps;
  const shownLanes = useMemo(() => (vtep === '' ? allLanes : [vtep]), [allLanes, vtep]);
  const laneOffset = vtep === '' ? 0 : Math.max(0, allLanes.indexOf(vtep));
  const [lanesBox, lanesThatFit, lanesBoxHeight] = useLanesThatFit();
  const viewLanes = Math.min(shownLanes.length, lanesThatFit);
  const [scrolledLane, setScrolledLane] = useState(0);
  const firstLane = Math.max(0, Math.min(scrolledLane, shownLanes.length - viewLanes));
  const lanes = useMemo(() => shownLanes.slice(firstLane, firstLane + viewLanes), [shownLanes, firstLane, viewLanes]);
  const laneQuery = { laneStart: laneOffset + firstLane, laneCount: viewLanes };
  const svgRef = useRef<SVGSVGElement>(null);

  useEffect(() => setRange(full), [full]);
  useEffect(() => {
    setFromText(range.from.toFixed(6));
    setToText(range.to.toFixed(6));
  }, [range]);

  useEffect(() => {
    if (width === 0) return;
    let stale = false;
    service
      .call('vtepEvents', { sessionId, from: range.from, to: range.to, bins, ...filters, ...laneQuery })
      .then((w) => !stale && setWindowData(w))
      .catch((e: Error) => onMessage(e.message));
    return () => {
      stale = true;
    };
  }, [sessionId, range, bins, tenant, vtep, mac, width === 0, laneQuery.laneStart, laneQuery.laneCount]);

  useEffect(() => {
    if (width === 0) return;
    let stale = false;
    service
      .call('vtepEvents', { sessionId, from: full.from, to: full.to, bins: Math.max(1, Math.floor(plotWidth)), ...filters, merged: true })
      .then((w) => !stale && setOverview(w))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [sessionId, full, plotWidth, tenant, vtep, mac, width === 0]);

  const span = Math.max(1e-9, range.to - range.from);
  const x = (t: number) => LEFT + ((t - range.from) / span) * plotWidth;
  const timeAt = (px: number, r = range) => r.from + (Math.min(Math.max(px - LEFT, 0), plotWidth) / plotWidth) * (r.to - r.from);
  const lane = new Map(lanes.map((v, i) => [v, i]));
  const height = TOP + viewLanes * LANE + 8;
  const ticks = ticksOf(range.from, range.to, Math.max(2, Math.floor(plotWidth / 110)));
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : span;
  const zoomTo = (from: number, to: number) => {
    const lo = Math.max(full.from, Math.min(from, to));
    const hi = Math.min(full.to, Math.max(from, to));
    if (hi - lo < 1e-6) return;
    setRange({ from: lo, to: hi });
  };
  const localX = (e: React.MouseEvent) => e.clientX - (e.currentTarget as Element).getBoundingClientRect().left;
  const localY = (e: React.MouseEvent) => e.clientY - (e.currentTarget as Element).getBoundingClientRect().top;

  // The wheel zooms over the plot and scrolls the lanes over their labels: a native listener, since
  // only a non-passive one may keep the wheel from scrolling the lanes while it zooms.
  const zoomAtWheel = useRef<(e: WheelEvent) => void>(() => undefined);
  zoomAtWheel.current = (e: WheelEvent) => {
    const px = e.clientX - svgRef.current!.getBoundingClientRect().left;
    if (px < LEFT) return;
    e.preventDefault();
    const at = timeAt(px);
    const factor = e.deltaY > 0 ? 1.5 : 1 / 1.5;
    zoomTo(at - (at - range.from) * factor, at + (range.to - at) * factor);
  };
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const listener = (e: WheelEvent) => zoomAtWheel.current(e);
    svg.addEventListener('wheel', listener, { passive: false });
    return () => svg.removeEventListener('wheel', listener);
  }, []);

  const density = windowData?.density ?? null;
  const maxCount = densityMax(density);
  const overviewMax = densityMax(overview?.density ?? null);
  const fullSpan = full.to - full.from;
  const ox = (t: number) => LEFT + ((t - full.from) / fullSpan) * plotWidth;

  return (
    <div className="timeline-wrap" ref={box}>
      <div className="tabs timeline-tools">
        <ChoiceInput value={tenant} choices={timeline.tenants} placeholder="All tenants" testId="timeline-tenant" onChoose={setTenant} />
        <ChoiceInput value={vtep} choices={allLanes} placeholder="All VTEPs" testId="timeline-vtep" onChoose={(v) => (setVtep(v), setScrolledLane(0))} />
        <input className="stats-search" placeholder="Inner MAC" value={mac} onChange={(e) => setMac(e.target.value)} data-testid="timeline-mac" />
        <span className="tab-sep" />
        <label className="muted">From</label>
        <input className="time-input" value={fromText} onChange={(e) => setFromText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && zoomTo(Number(fromText), Number(toText))} data-testid="timeline-from" />
        <label className="muted">to</label>
        <input className="time-input" value={toText} onChange={(e) => setToText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && zoomTo(Number(fromText), Number(toText))} data-testid="timeline-to" />
        <span className="muted">s</span>
        <button className="btn btn-small" onClick={() => zoomTo(Number(fromText), Number(toText))} data-testid="timeline-zoom">Zoom</button>
        <button className="btn btn-small" onClick={() => zoomTo(range.from - span / 2, range.to + span / 2)}>Zoom out</button>
        <button className="btn btn-small" onClick={() => setRange(full)} data-testid="timeline-reset">Whole capture</button>
        <span className="muted tab-note" data-testid="timeline-status" data-mode={windowData ? (windowData.events ? 'events' : 'density') : ''} data-total={windowData?.total ?? ''} data-lane-total={windowData?.laneTotal ?? ''}>
          {windowData ? `${formatCount(windowData.total)} events in ${span.toFixed(span < 1 ? 6 : 3)} s${windowData.laneTotal !== windowData.total ? ` (${formatCount(windowData.laneTotal)} in the lanes shown)` : ''}${windowData.events ? '' : ' — drawn as density (darker = more); zoom in for single events'}` : 'Loading…'}
        </span>
        {shownLanes.length > viewLanes && (
          <span className="muted lane-note" data-testid="timeline-lanes" data-first={firstLane} data-count={viewLanes} data-of={shownLanes.length}>
            lanes {formatCount(firstLane + 1)}–{formatCount(firstLane + viewLanes)} of {formatCount(shownLanes.length)}: scroll over the addresses
          </span>
        )}
      </div>
      <svg width={width} height={OVERVIEW_HEIGHT} className="timeline-overview" data-testid="timeline-overview"
        onMouseDown={(e) => setDrag({ where: 'overview', x0: localX(e), x1: localX(e) })}
        onMouseMove={(e) => drag?.where === 'overview' && setDrag({ ...drag, x1: localX(e) })}
        onMouseUp={() => {
          if (drag?.where === 'overview') {
            const a = timeAt(drag.x0, full);
            const b = timeAt(drag.x1, full);
            if (Math.abs(drag.x1 - drag.x0) > 3) zoomTo(a, b);
            else zoomTo(a - span / 2, a + span / 2);
          }
          setDrag(null);
        }}>
        <text x={8} y={22} className="lane-label">whole capture</text>
        {overview?.density && <DensityLayer x={LEFT} y={4} width={plotWidth} rowHeight={OVERVIEW_HEIGHT - 8} rows={1} inset={0} density={overview.density} lanes={null} max={overviewMax} />}
        {overview?.events?.map((e, i) => <rect key={i} x={ox(e.time)} y={4} width={1.5} height={OVERVIEW_HEIGHT - 8} className="density" />)}
        <rect x={ox(range.from)} y={1} width={Math.max(2, ox(range.to) - ox(range.from))} height={OVERVIEW_HEIGHT - 2} className="brush" data-testid="timeline-brush" />
        {drag?.where === 'overview' && <rect x={Math.min(drag.x0, drag.x1)} y={1} width={Math.abs(drag.x1 - drag.x0)} height={OVERVIEW_HEIGHT - 2} className="brush-drag" />}
      </svg>
      <div className="lanes-scroll" ref={lanesBox} style={{ maxHeight: TOP + shownLanes.length * LANE + 8 }} data-testid="timeline-lanes-scroll" onScroll={(e) => setScrolledLane(Math.floor(e.currentTarget.scrollTop / LANE))}>
      {/* Scrolled by whole lanes: the box's own height plus a lane per lane not shown. */}
      <div style={{ height: Math.max(height, lanesBoxHeight) + (shownLanes.length - viewLanes) * LANE }}>
      <svg ref={svgRef} width={width} height={height} className="timeline-svg lanes-sticky" data-testid="timeline-svg"
        onMouseDown={(e) => (e.target as Element).tagName === 'svg' && setDrag({ where: 'plot', x0: localX(e), x1: localX(e) })}
        onMouseMove={(e) => {
          if (drag?.where === 'plot') setDrag({ ...drag, x1: localX(e) });
          else setHover(windowData && density ? densityAt(windowData, density, lanes, localX(e) - LEFT, localY(e) - TOP, plotWidth, e.clientX, e.clientY) : null);
        }}
        onMouseLeave={() => setHover(null)}
        onMouseUp={() => {
          if (drag?.where === 'plot' && Math.abs(drag.x1 - drag.x0) > 3) zoomTo(timeAt(drag.x0), timeAt(drag.x1));
          setDrag(null);
        }}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={TOP - 6} y2={height - 4} className="tick-line" />
            <text x={x(t)} y={TOP - 10} className="tick-text" textAnchor="middle">{tickText(t, step)}</text>
          </g>
        ))}
        {lanes.map((v, i) => (
          <g key={v}>
            <line x1={LEFT} x2={LEFT + plotWidth} y1={TOP + i * LANE + LANE / 2} y2={TOP + i * LANE + LANE / 2} className="lane-line" />
            <text x={8} y={TOP + i * LANE + LANE / 2 + 4} className="lane-label">{v}</text>
          </g>
        ))}
        {density && <DensityLayer x={LEFT} y={TOP} width={plotWidth} rowHeight={LANE} rows={lanes.length} inset={6} density={density} lanes={lanes} max={maxCount} />}
        {windowData?.events?.map((e, k) => {
          const i = lane.get(e.vtep);
          if (i === undefined) return null;
          return <Marker key={`${k}|${e.frame}|${e.kind}|${e.vtep}`} e={e} x={x(e.time)} y={TOP + i * LANE + LANE / 2} selected={e.frame === selectedFrame} onClick={() => onSelectFrame(e.frame)} />;
        })}
        {drag?.where === 'plot' && <rect x={Math.min(drag.x0, drag.x1)} y={TOP - 6} width={Math.abs(drag.x1 - drag.x0)} height={height - TOP} className="brush-drag" />}
      </svg>
      </div>
      </div>
      {hover && density && (
        <div className="density-tooltip" style={{ left: hover.clientX + 14, top: hover.clientY + 14 }} data-testid="density-tooltip"
          data-vtep={hover.vtep} data-column={hover.column} data-count={hover.count} data-bins={hover.bins} data-from={windowData?.from} data-to={windowData?.to}>
          <b>{hover.vtep}</b>: {formatCount(hover.count)} event{hover.count === 1 ? '' : 's'} from {hover.from.toFixed(hover.digits)} to {hover.to.toFixed(hover.digits)} s
          <div className="muted">drag or scroll to zoom in for single events</div>
        </div>
      )}
    </div>
  );
}

/** The first few of a list, then how many more (the tooltip has them all). */
function listText(list: string[] | undefined, shown = 4): string {
  const all = list ?? [];
  return `${all.slice(0, shown).join(', ')}${all.length > shown ? ` +${all.length - shown}` : ''}`;
}

// Every pair, paged: a capture of many VTEPs and groups has thousands (10,000 VTEPs: 180,000), more
// than a page can hold. Busiest first until a column is sorted.
const MATRIX_COLUMNS: ColDef<VtepPair>[] = [
  { field: 'from', headerName: 'From VTEP', width: 115 },
  { field: 'to', headerName: 'To VTEP / group', width: 150, valueFormatter: (p) => (p.data?.toGroup ? `${p.value} (group)` : String(p.value ?? '')) },
  { field: 'frames', headerName: 'Frames', width: 85, type: 'rightAligned', valueFormatter: (p) => formatCount(p.value as number) },
  { field: 'bytes', headerName: 'Bytes', width: 90, type: 'rightAligned', valueFormatter: (p) => formatBytes(p.value as number) },
  {
    field: 'tenants',
    headerName: 'Tenants',
    flex: 1,
    minWidth: 160,
    valueFormatter: (p) => listText(p.value as string[] | undefined),
    tooltipValueGetter: (p) => ((p.value as string[] | undefined) ?? []).join(', '),
  },
];
const matrixRowId = (p: VtepPair) => `${p.from}|${p.to}`;

const FDB_COLUMNS: ColDef<FdbEntry>[] = [
  { field: 'vtep', headerName: 'VTEP', width: 150 },
  { field: 'tenant', headerName: 'Tenant', width: 120, cellClass: 'cell-tenant' },
  { field: 'mac', headerName: 'Inner MAC', width: 170 },
  { field: 'remoteVtep', headerName: 'Behind VTEP', width: 150, valueGetter: (p) => (p.data?.local ? 'local' : p.data?.remoteVtep) },
  { field: 'learnedFrame', headerName: 'Since frame', width: 110, type: 'rightAligned' },
];

const fdbRowId = (e: FdbEntry) => `${e.vtep}|${e.tenant}|${e.mac}`;
const FDB_TEST_IDS = { search: 'fdb-search', count: 'fdb-count', grid: 'fdb-table' };
const FDB_EMPTY = { none: 'Nothing learned yet at this frame', noMatch: 'No FDB entry matches the search' };
const PAIR_TEST_IDS = { search: 'matrix-search', count: 'matrix-count', grid: 'vtep-matrix' };
const PAIR_EMPTY = { none: 'No tunnelled traffic', noMatch: 'No pair matches the search' };
const GROUP_TEST_IDS = { search: 'groups-search', count: 'groups-count', grid: 'groups-table' };
const GROUP_EMPTY = { none: 'No multicast groups used', noMatch: 'No group matches the search' };

const GROUP_COLUMNS: ColDef<GroupRow>[] = [
  { field: 'group', headerName: 'Group', width: 130 },
  { field: 'members', headerName: 'Members', width: 90, type: 'rightAligned', valueFormatter: (p) => (p.data?.reported ? formatCount(((p.value as string[] | undefined) ?? []).length) : '—') },
  {
    colId: 'memberList',
    headerName: 'Member VTEPs',
    flex: 1,
    minWidth: 160,
    sortable: false,
    valueGetter: (p) => (p.data === undefined ? '' : p.data.reported ? listText(p.data.members, 6) || 'none (all left)' : 'assumed: the VTEPs seen with its tenants'),
    tooltipValueGetter: (p) => (p.data?.members ?? []).join(', '),
  },
  { field: 'reported', headerName: 'Membership', width: 150, valueFormatter: (p) => (p.value ? 'IGMP/MLD report' : 'no report: assumed') },
  { field: 'tenants', headerName: 'Tenants', width: 150, valueFormatter: (p) => listText(p.value as string[] | undefined, 3), tooltipValueGetter: (p) => ((p.value as string[] | undefined) ?? []).join(', ') },
];
const groupRowId = (g: GroupRow) => g.group;
