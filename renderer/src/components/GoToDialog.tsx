// Ctrl+G: jump to a frame number, as in Wireshark's "Go to packet".
import { useState } from 'react';

interface Props {
  max: number;
  onGo(frame: number): void;
  onClose(): void;
}

export function GoToDialog({ max, onGo, onClose }: Props) {
  const [text, setText] = useState('');
  const n = Number(text);
  const valid = Number.isInteger(n) && n >= 1 && n <= max;
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal goto-dialog" onMouseDown={(e) => e.stopPropagation()} role="dialog" aria-label="Go to frame">
        <label>
          Go to frame (1–{max.toLocaleString('en-US')}):{' '}
          <input
            autoFocus
            value={text}
            inputMode="numeric"
            onChange={(e) => setText(e.target.value.replace(/[^0-9]/g, ''))}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && valid) onGo(n);
              if (e.key === 'Escape') onClose();
            }}
            data-testid="goto-input"
          />
        </label>
        <button className="btn btn-primary" disabled={!valid} onClick={() => onGo(n)}>Go</button>
      </div>
    </div>
  );
}
