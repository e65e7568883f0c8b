// What the window shows before a capture is open.
interface Props {
  onOpen(): void;
  onCapture(): void;
}

export function Welcome({ onOpen, onCapture }: Props) {
  return (
    <div className="welcome">
      <h1>Open a capture from a hypervisor's underlay</h1>
      <p>Tunnelscope shows which tenant each frame belongs to (VXLAN VNI, NVGRE VSID, GRE key, Geneve VNI), which VTEP learned which MAC and when, and how a virtual switch's flow tables forward each frame.</p>
      <button className="btn btn-primary btn-large" onClick={onOpen}>Open a capture…</button>{' '}
      <button className="btn btn-large" onClick={onCapture}>Capture live…</button>
      <p className="muted">or drop a .pcap / .pcapng file on this window · Ctrl+O open · Ctrl+K capture · Ctrl+F filter · Ctrl+G go to frame · Ctrl+1…4 views</p>
    </div>
  );
}
