// Two panes one above the other with a drag handle between them; the split is kept between runs.
import { ReactNode, useRef, useState } from 'react';

interface Props {
  first: ReactNode;
  second: ReactNode;
  storageKey: string;
  /** Share of the first pane, 0..1, before the user moves the handle. */
  initial?: number;
}

export function SplitPane({ first, second, storageKey, initial = 0.55 }: Props) {
  const [share, setShare] = useState(() => {
    const saved = Number(localStorage.getItem(storageKey));
    return saved > 0.1 && saved < 0.9 ? saved : initial;
  });
  const box = useRef<HTMLDivElement>(null);
  const onDown = (e: React.MouseEvent) => {
    e.preventDefault();
    const rect = box.current!.getBoundingClientRect();
    let last = share;
    const move = (m: MouseEvent) => {
      last = Math.min(0.9, Math.max(0.1, (m.clientY - rect.top) / rect.height));
      setShare(last);
    };
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      localStorage.setItem(storageKey, String(last));
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  };
  return (
    <div className="split-pane" ref={box} style={{ gridTemplateRows: `minmax(80px, ${share}fr) 6px minmax(80px, ${1 - share}fr)` }}>
      <div className="split-first">{first}</div>
      <div className="split-handle" onMouseDown={onDown} title="Drag to resize" data-testid="split-handle" />
      <div className="split-second">{second}</div>
    </div>
  );
}
