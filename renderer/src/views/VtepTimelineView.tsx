// VTEP timeline: one lane per tunnel endpoint with its learn, move, flood and group-join events along
// the capture; the forwarding database of every VTEP at the selected frame; multicast group members.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { FdbEntry, VtepEvent, VtepTimeline } from '../../../src/service/api';
import { service } from '../service-client';
import { formatBytes, formatCount } from '../format';
import { useRefreshing } from '../use-refreshing';

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
const KIND_TEXT: Record<VtepEvent['kind'], string> = {
  learn: 'learns a MAC',
  move: 'MAC moves',
  local: 'learns a local MAC',
  migrate: 'MAC moves here',
  age: 'MAC ages out',
  flood: 'floods',
  join: 'joins group',
  leave: 'leaves group',
};

function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(900);
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

function Marker({ e, x, y, onClick }: { e: VtepEvent; x: number; y: number; onClick(): void }) {
  const title = `frame ${e.frame}: ${e.text}`;
  switch (e.kind) {
    case 'learn':
    case 'local':
      return <circle cx={x} cy={y} r={5} className="mk mk-learn" onClick={onClick}><title>{title}</title></circle>;
    case 'move':
    case 'migrate':
      return <path d={`M${x},${y - 8} L${x + 7},${y + 5} L${x - 7},${y + 5} Z`} className="mk mk-move" onClick={onClick}><title>{title}</title></path>;
    case 'flood':
      return <rect x={x - 1.5} y={y - 10} width={3} height={20} className="mk mk-flood" onClick={onClick}><title>{title}</title></rect>;
    default:
      return <rect x={x - 4} y={y - 4} width={8} height={8} className="mk mk-join" onClick={onClick}><title>{title}</title></rect>;
  }
}

export function VtepTimelineView({ sessionId, live, selectedFrame, onSelectFrame, onShowInList, onMessage }: Props) {
  const timeline = useRefreshing<VtepTimeline>(() => service.call('vtepTimeline', { sessionId }), sessionId, live, onMessage);
  const [fdb, setFdb] = useState<FdbEntry[] | null>(null);
  const [box, width] = useWidth();
  const frames = Math.max(1, timeline?.frames ?? 1);

  // The FDB at the selected frame (or at the last frame analysed, which moves while capturing).
  const atFrame = Math.max(1, selectedFrame ?? frames);
  useEffect(() => {
    if (!timeline) return;
    let stale = false;
    service.call('fdbAt', { sessionId, frame: atFrame }).then((r) => !stale && setFdb(r.entries)).catch((e: Error) => onMessage(e.message));
    return () => {
      stale = true;
    };
  }, [sessionId, atFrame, timeline, onMessage]);

  if (!timeline) return <div className="view-loading">Replaying VTEP learning… (one pass over the capture in a worker)</div>;
  const plotWidth = width - LEFT - 50;
  const x = (frame: number) => LEFT + ((frame - 1) / Math.max(1, frames - 1)) * plotWidth;
  const height = TOP + timeline.vteps.length * LANE + 24;
  const lane = new Map(timeline.vteps.map((v, i) => [v, i]));
  const ticks = Array.from({ length: 9 }, (_, i) => Math.round(1 + (i / 8) * Math.max(0, frames - 1)));
  const here = timeline.events.filter((e) => e.frame === selectedFrame);

  return (
    <div className="vtep-view" data-testid="vtep-view">
      <section className="panel timeline-panel" ref={box}>
        <h3>
          VTEP timeline <span className="muted">— a lane per tunnel endpoint (underlay IP); click a marker to select its frame</span>
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
          <div className="timeline-scroll">
            <svg width={width} height={height} className="timeline-svg" data-testid="timeline-svg">
              {ticks.map((t) => (
                <g key={t}>
                  <line x1={x(t)} x2={x(t)} y1={TOP - 6} y2={height - 20} className="tick-line" />
                  <text x={x(t)} y={TOP - 10} className="tick-text" textAnchor="middle">frame {t}</text>
                </g>
              ))}
              {timeline.vteps.map((v, i) => (
                <g key={v}>
                  <line x1={LEFT} x2={LEFT + plotWidth} y1={TOP + i * LANE + LANE / 2} y2={TOP + i * LANE + LANE / 2} className="lane-line" />
                  <text x={8} y={TOP + i * LANE + LANE / 2 + 4} className="lane-label">{v}</text>
                </g>
              ))}
              {selectedFrame !== null && <line x1={x(selectedFrame)} x2={x(selectedFrame)} y1={TOP - 6} y2={height - 20} className="cursor-line" />}
              {timeline.events.map((e, k) => {
                const i = lane.get(e.vtep);
                if (i === undefined) return null;
                return <Marker key={k} e={e} x={x(e.frame)} y={TOP + i * LANE + LANE / 2} onClick={() => onSelectFrame(e.frame)} />;
              })}
            </svg>
          </div>
        )}
        {timeline.truncated && <div className="muted">Showing the first {timeline.events.length.toLocaleString('en-US')} events; the FDB below uses all of them.</div>}
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
            <ul className="events-here">
              {here.map((e, i) => (
                <li key={i} className={`ev-${e.kind}`}><b>{KIND_TEXT[e.kind]}</b>: {e.text}</li>
              ))}
            </ul>
          )}
          <div className="scroll">
            <table className="data-table" data-testid="fdb-table">
              <thead>
                <tr><th>VTEP</th><th>Tenant</th><th>Inner MAC</th><th>Behind VTEP</th><th className="num">Since frame</th></tr>
              </thead>
              <tbody>
                {fdb?.length === 0 && <tr><td colSpan={5} className="muted">Nothing learned yet at this frame.</td></tr>}
                {fdb?.slice(0, 2000).map((f) => (
                  <tr key={`${f.vtep}|${f.tenant}|${f.mac}`} className={f.learnedFrame === selectedFrame ? 'just-learned' : ''} onClick={() => onSelectFrame(f.learnedFrame)}>
                    <td>{f.vtep}</td>
                    <td><span className="tenant-chip">{f.tenant}</span></td>
                    <td>{f.mac}</td>
                    <td>{f.local ? 'local' : f.remoteVtep}</td>
                    <td className="num">{f.learnedFrame}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <div className="vtep-side">
          <section className="panel matrix-panel">
            <h3>VTEP-to-VTEP traffic <span className="muted">(outer source → destination, all tenants)</span></h3>
            <div className="scroll">
              <table className="data-table" data-testid="vtep-matrix">
                <thead>
                  <tr><th>From VTEP</th><th>To VTEP / group</th><th className="num">Frames</th><th className="num">Bytes</th><th>Tenants</th></tr>
                </thead>
                <tbody>
                  {timeline.matrix.length === 0 && <tr><td colSpan={5} className="muted">No tunnelled traffic.</td></tr>}
                  {timeline.matrix.slice(0, 1000).map((p) => (
                    <tr key={`${p.from}|${p.to}`}>
                      <td>{p.from}</td>
                      <td>{p.to}{p.toGroup ? <span className="muted"> (group)</span> : null}</td>
                      <td className="num">{formatCount(p.frames)}</td>
                      <td className="num">{formatBytes(p.bytes)}</td>
                      <td className="wrap">{p.tenants.slice(0, 4).join(', ')}{p.tenants.length > 4 ? ` +${p.tenants.length - 4}` : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="panel groups-panel">
            <h3>Multicast groups <span className="muted">(members from IGMP reports)</span></h3>
            {timeline.groups.length === 0 && <div className="muted">No multicast groups used.</div>}
            {timeline.groups.map((g) => (
              <div key={g.group} className="group-row">
                <b>{g.group}</b>: {g.members.join(', ') || <span className="muted">no members</span>}
                {!g.reported && <span className="muted"> (no IGMP report seen: members assumed)</span>}
              </div>
            ))}
          </section>
        </div>
      </div>
    </div>
  );
}
