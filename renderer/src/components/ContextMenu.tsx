// A right-click menu at the pointer: items, separators and one level of submenus; Escape or a click
// elsewhere closes it.
import { useEffect, useState } from 'react';

export interface MenuItem {
  label: string;
  action?: () => void;
  items?: MenuItem[];
  disabled?: boolean;
  testId?: string;
}

export type MenuEntry = MenuItem | 'separator';

export interface MenuRequest {
  x: number;
  y: number;
  entries: MenuEntry[];
}

export function ContextMenu({ request, onClose }: { request: MenuRequest; onClose(): void }) {
  const [open, setOpen] = useState<number | null>(null);
  useEffect(() => {
    const close = () => onClose();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', onKey);
    window.addEventListener('blur', close);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('blur', close);
    };
  }, [onClose]);
  const left = Math.min(request.x, window.innerWidth - 260);
  const top = Math.min(request.y, window.innerHeight - 24 * request.entries.length - 10);
  const run = (item: MenuItem) => {
    if (item.disabled || !item.action) return;
    onClose();
    item.action();
  };
  return (
    <ul className="context-menu" style={{ left, top: Math.max(0, top) }} onMouseDown={(e) => e.stopPropagation()} data-testid="context-menu" role="menu">
      {request.entries.map((entry, i) =>
        entry === 'separator' ? (
          <li key={i} className="menu-separator" />
        ) : (
          <li key={i} className={`menu-item ${entry.disabled ? 'disabled' : ''}`} onMouseEnter={() => setOpen(entry.items ? i : null)} onClick={() => run(entry)} data-testid={entry.testId} role="menuitem">
            {entry.label}
            {entry.items && <span className="menu-arrow">▸</span>}
            {entry.items && open === i && (
              <ul className="context-menu submenu" role="menu">
                {entry.items.map((sub, k) => (
                  <li key={k} className={`menu-item ${sub.disabled ? 'disabled' : ''}`} onClick={(e) => (e.stopPropagation(), run(sub))} data-testid={sub.testId} role="menuitem">
                    {sub.label}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ),
      )}
    </ul>
  );
}
