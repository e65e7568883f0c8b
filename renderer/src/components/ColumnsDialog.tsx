// View → Columns: show, hide, reorder and remove columns, add any filter field as a column, and the
// time display format. Saved in localStorage (kept between runs).
import { useState } from 'react';
import { service } from '../service-client';
import { ColumnPrefs, defaultPrefs, TIME_FORMATS, TimeFormat } from '../app/column-prefs';

const TITLES: Record<string, string> = { number: 'No.', time: 'Time', source: 'Source', destination: 'Destination', tenant: 'Tenant', vteps: 'VTEPs (outer)', protocol: 'Protocol', length: 'Length', info: 'Info' };

export function columnTitle(id: string): string {
  return TITLES[id] ?? id.slice(2);
}

interface Props {
  prefs: ColumnPrefs;
  onChange(prefs: ColumnPrefs): void;
  onClose(): void;
}

export function ColumnsDialog({ prefs, onChange, onClose }: Props) {
  const [field, setField] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const columns = prefs.columns;
  const update = (next: ColumnPrefs['columns']) => onChange({ ...prefs, columns: next });
  const move = (i: number, by: number) => {
    const j = i + by;
    if (j < 0 || j >= columns.length) return;
    const next = [...columns];
    [next[i], next[j]] = [next[j], next[i]];
    update(next);
  };
  const add = async () => {
    const name = field.trim();
    if (name === '') return;
    const { names } = await service.call('completeField', { prefix: name, limit: 500 });
    if (!names.includes(name)) return setProblem(`"${name}" is not a field (type its first letters to see the names)`);
    if (columns.some((c) => c.id === `f:${name}`)) return setProblem(`${name} is already a column`);
    setProblem(null);
    setField('');
    update([...columns, { id: `f:${name}` }]);
  };
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal form-dialog" onMouseDown={(e) => e.stopPropagation()} role="dialog" aria-label="Columns" data-testid="columns-dialog">
        <h2>Packet list columns</h2>
        <table className="data-table columns-table">
          <tbody>
            {columns.map((c, i) => (
              <tr key={c.id} data-testid="column-pref">
                <td><input type="checkbox" checked={!c.hidden} onChange={() => update(columns.map((x) => (x.id === c.id ? { ...x, hidden: !x.hidden } : x)))} /></td>
                <td>{columnTitle(c.id)}{c.id.startsWith('f:') && <span className="muted"> (field)</span>}</td>
                <td>
                  <button className="btn btn-small" onClick={() => move(i, -1)} title="Move up">↑</button>
                  <button className="btn btn-small" onClick={() => move(i, 1)} title="Move down">↓</button>
                  {c.id.startsWith('f:') && <button className="btn btn-small" onClick={() => update(columns.filter((x) => x.id !== c.id))}>Remove</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-row">
          Add a field as a column <input value={field} onChange={(e) => setField(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void add()} placeholder="e.g. frame.interface_id, frame.direction, vlan.id" data-testid="column-add-field" spellCheck={false} />
          <button className="btn btn-small" onClick={() => void add()} data-testid="column-add">Add</button>
        </div>
        {problem && <div className="error-text">{problem}</div>}
        <label className="form-row">Time format
          <select value={prefs.time} onChange={(e) => onChange({ ...prefs, time: e.target.value as TimeFormat })} data-testid="time-format">
            {TIME_FORMATS.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
          </select>
        </label>
        <div className="modal-buttons">
          <button className="btn" onClick={() => onChange(defaultPrefs())}>Reset</button>
          <button className="btn btn-primary" onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
