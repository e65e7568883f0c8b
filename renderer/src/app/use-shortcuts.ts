// Window-wide keyboard shortcuts (the Electron menu sends the same commands as menuCommand events).
import { useEffect, useRef } from 'react';

export interface ShortcutActions {
  open(): void;
  capture(): void;
  goto(): void;
  find(): void;
  view(index: number): void;
  saveAs(): void;
}

export function useShortcuts(actions: ShortcutActions): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const a = ref.current;
      const key = e.key.toLowerCase();
      const run = (f: () => void) => (e.preventDefault(), f());
      if (key === 'g') run(a.goto);
      else if (key === 'f') run(a.find);
      else if (key === 'o') run(a.open);
      else if (key === 'k') run(a.capture);
      else if (key === 's' && e.shiftKey) run(a.saveAs);
      else if (/^[1-9]$/.test(key)) run(() => a.view(Number(key) - 1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
