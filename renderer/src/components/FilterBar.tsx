// Display filter bar: green when valid, red with the reason and a marker under the bad text, field-name
// completion as you type (Tab takes it), history of applied filters (Up/Down or the ▾ button), Enter applies.
import { forwardRef, KeyboardEvent, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { FilterProblem } from '../../../src/service/api';
import { service } from '../service-client';

const HISTORY_KEY = 'tunnelscope.filterHistory';
const MAX_HISTORY = 30;

interface Props {
  applied: string;
  pending: boolean;
  /** The service's view version: tests wait for a new view rather than for a message. */
  viewVersion: number;
  progress: string | null;
  onApply(filter: string): void;
  /** Stops a filter still running (the Cancel button). */
  onCancel(): void;
}

export interface FilterBarHandle {
  focus(): void;
  set(text: string): void;
}

function loadHistory(): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((x) => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The field name being typed at the caret (letters, digits, dots, underscores). */
function wordAt(text: string, caret: number): { start: number; word: string } {
  let start = caret;
  while (start > 0 && /[A-Za-z0-9_.]/.test(text[start - 1])) start--;
  return { start, word: text.slice(start, caret) };
}

export const FilterBar = forwardRef<FilterBarHandle, Props>(function FilterBar({ applied, pending, viewVersion, progress, onApply, onCancel }, ref) {
  const [text, setText] = useState(applied);
  const [problem, setProblem] = useState<FilterProblem | null>(null);
  /** The text `problem` was found in: a problem of text typed before does not block Enter. */
  const [checkedText, setCheckedText] = useState(applied);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [active, setActive] = useState(-1);
  const [history, setHistory] = useState<string[]>(loadHistory);
  const [showHistory, setShowHistory] = useState(false);
  const historyPos = useRef(-1);
  const input = useRef<HTMLInputElement>(null);

  useImperativeHandle(ref, () => ({
    focus: () => {
      input.current?.focus();
      input.current?.select();
    },
    set: (t: string) => setText(t),
  }));

  useEffect(() => setText(applied), [applied]);

  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      service.call('validateFilter', { text }).then((r) => !stale && (setProblem(r.problem), setCheckedText(text))).catch(() => undefined);
    }, 80);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [text]);

  const complete = (value: string, caret: number) => {
    const { word } = wordAt(value, caret);
    if (word.length < 1 || /^\d/.test(word)) return setSuggestions([]);
    service.call('completeField', { prefix: word, limit: 12 }).then((r) => {
      setSuggestions(r.names.filter((n) => n !== word));
      setActive(-1);
    }).catch(() => undefined);
  };

  const accept = (name: string) => {
    const el = input.current!;
    const caret = el.selectionStart ?? text.length;
    const { start } = wordAt(text, caret);
    const next = text.slice(0, start) + name + text.slice(caret);
    setText(next);
    setSuggestions([]);
    requestAnimationFrame(() => el.setSelectionRange(start + name.length, start + name.length));
  };

  const apply = (value = text) => {
    setSuggestions([]);
    setShowHistory(false);
    if (problem && value === text && checkedText === text) return;
    if (value.trim() !== '') {
      const next = [value, ...history.filter((h) => h !== value)].slice(0, MAX_HISTORY);
      setHistory(next);
      localStorage.setItem(HISTORY_KEY, JSON.stringify(next));
    }
    historyPos.current = -1;
    onApply(value);
  };

  // Enter applies what is typed; a completion is taken only with Tab, or with Enter after choosing it
  // with the arrows. Escape closes the lists and never changes the text.
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (suggestions.length > 0) {
      if (e.key === 'ArrowDown') return e.preventDefault(), setActive(active < 0 ? 0 : (active + 1) % suggestions.length);
      if (e.key === 'ArrowUp') return e.preventDefault(), setActive(active <= 0 ? suggestions.length - 1 : active - 1);
      if (e.key === 'Tab') return e.preventDefault(), accept(suggestions[Math.max(0, active)]);
      if (e.key === 'Enter' && active >= 0 && suggestions[active] !== undefined) return e.preventDefault(), accept(suggestions[active]);
    }
    if (e.key === 'Escape') {
      setSuggestions([]);
      setShowHistory(false);
      return;
    }
    if (e.key === 'Enter') return apply();
    if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && history.length > 0) {
      e.preventDefault();
      const pos = Math.max(-1, Math.min(history.length - 1, historyPos.current + (e.key === 'ArrowUp' ? 1 : -1)));
      historyPos.current = pos;
      setText(pos < 0 ? '' : history[pos]);
    }
  };

  const state = text.trim() === '' ? 'empty' : problem ? 'invalid' : 'valid';
  return (
    <div className="filter-bar" data-testid="filter-bar" data-applied={applied} data-pending={pending ? 'yes' : 'no'} data-view-version={viewVersion}>
      <label className="filter-label" htmlFor="display-filter">Display filter</label>
      <div className="filter-input-wrap">
        <input
          id="display-filter"
          ref={input}
          className={`filter-input filter-${state}`}
          value={text}
          spellCheck={false}
          autoComplete="off"
          placeholder="e.g. vxlan.vni == 101 && arp    ·    tenant == nvgre:0x1234    ·    ip.addr == 10.0.0.2 (Ctrl+F)"
          onChange={(e) => {
            setText(e.target.value);
            complete(e.target.value, e.target.selectionStart ?? e.target.value.length);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setSuggestions([]), 150)}
          data-testid="filter-input"
        />
        {problem && state === 'invalid' && (
          <div className="filter-marker" aria-hidden>
            <span className="filter-marker-pad">{text.slice(0, problem.position)}</span>
            <span className="filter-marker-bad">{text.slice(problem.position, problem.position + Math.max(1, problem.length)) || ' '}</span>
          </div>
        )}
        {suggestions.length > 0 && (
          <ul className="filter-suggestions" role="listbox" data-testid="filter-suggestions">
            {suggestions.map((s, i) => (
              <li key={s} className={i === active ? 'active' : ''} onMouseDown={(e) => (e.preventDefault(), accept(s))}>
                {s}
              </li>
            ))}
          </ul>
        )}
        {showHistory && history.length > 0 && (
          <ul className="filter-suggestions filter-history">
            {history.map((h) => (
              <li key={h} onMouseDown={(e) => (e.preventDefault(), setText(h), apply(h))}>{h}</li>
            ))}
          </ul>
        )}
      </div>
      <button className="btn btn-small" title="Filter history" onClick={() => setShowHistory(!showHistory)}>▾</button>
      {pending ? (
        <button className="btn" onClick={onCancel} data-testid="filter-cancel">Cancel</button>
      ) : (
        <button className="btn btn-primary" onClick={() => apply()} disabled={state === 'invalid'} data-testid="filter-apply">Apply</button>
      )}
      {text !== '' && !pending && <button className="btn" onClick={() => (setText(''), apply(''))}>Clear</button>}
      <div className={`filter-status ${state === 'invalid' ? 'error' : ''}`} data-testid="filter-status">
        {state === 'invalid' ? problem!.message : progress ?? ''}
      </div>
    </div>
  );
});
