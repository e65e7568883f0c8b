// The packet list's and details tree's right-click menu, as Wireshark's: Apply as Filter, Prepare as
// Filter (and / or / not), Conversation Filter, Follow Stream, Copy.
import type { MenuEntry, MenuItem } from '../components/ContextMenu';

/** What was right-clicked. */
export interface FieldTarget {
  /** Filter for the clicked value (`ip.src == 10.0.0.1`), null when the value has none. */
  filter: string | null;
  /** Text to copy as the value, the field name, the frame's summary line, the bytes as hex. */
  value: string;
  fieldName: string | null;
  summary: string | null;
  bytesHex: string | null;
  frame: number | null;
  /** Filter for the frame's conversation (tenant and inner addresses). */
  conversationFilter: string | null;
}

export interface FieldMenuActions {
  currentFilter(): string;
  apply(filter: string): void;
  prepare(filter: string): void;
  follow(frame: number): void;
  copy(text: string): void;
  /** Decode As with a proposed rule (a right-clicked port), or none. */
  decodeAs(proposed: string | null): void;
}

/** "udp.port==4790,vxlan" for a right-clicked UDP or TCP port field, else null. */
export function proposedDecodeAs(fieldName: string | null, value: string): string | null {
  const m = /^(udp|tcp)\.(?:src|dst)?port$/.exec(fieldName ?? '');
  const port = /^\d+/.exec(value)?.[0];
  if (!m || port === undefined) return null;
  return `${m[1]}.port==${port},${m[1] === 'udp' ? 'vxlan' : 'data'}`;
}

/** The Wireshark combinations of the current filter with the selected one. */
export function combine(current: string, selected: string, how: 'selected' | 'not' | 'and' | 'or' | 'and-not' | 'or-not'): string {
  const c = current.trim();
  const wrap = (f: string) => (/^[\w.#:-]+( == [^&|]+)?$/.test(f) ? f : `(${f})`);
  if (how === 'selected' || c === '') return how === 'not' || how === 'and-not' || how === 'or-not' ? `!${wrap(selected)}` : selected;
  if (how === 'not') return `!${wrap(selected)}`;
  const left = wrap(c);
  if (how === 'and') return `${left} && ${selected}`;
  if (how === 'or') return `${left} || ${selected}`;
  if (how === 'and-not') return `${left} && !${wrap(selected)}`;
  return `${left} || !${wrap(selected)}`;
}

function filterItems(filter: string | null, actions: FieldMenuActions, run: (f: string) => void, prefix: string): MenuItem[] {
  const make = (label: string, how: Parameters<typeof combine>[2], id: string): MenuItem => ({
    label,
    disabled: filter === null,
    action: () => run(combine(actions.currentFilter(), filter!, how)),
    testId: `${prefix}-${id}`,
  });
  return [make('Selected', 'selected', 'selected'), make('Not Selected', 'not', 'not'), make('…and Selected', 'and', 'and'), make('…or Selected', 'or', 'or'), make('…and not Selected', 'and-not', 'and-not'), make('…or not Selected', 'or-not', 'or-not')];
}

export function fieldMenu(target: FieldTarget, actions: FieldMenuActions): MenuEntry[] {
  const entries: MenuEntry[] = [
    { label: 'Apply as Filter', items: filterItems(target.filter, actions, actions.apply, 'apply'), disabled: target.filter === null, testId: 'menu-apply' },
    { label: 'Prepare as Filter', items: filterItems(target.filter, actions, actions.prepare, 'prepare'), disabled: target.filter === null, testId: 'menu-prepare' },
    { label: 'Conversation Filter', disabled: target.conversationFilter === null, action: () => actions.apply(target.conversationFilter!), testId: 'menu-conversation' },
    'separator',
    { label: 'Follow TCP / UDP Stream (within its tenant)', disabled: target.frame === null, action: () => actions.follow(target.frame!), testId: 'menu-follow' },
    { label: 'Decode As…', action: () => actions.decodeAs(proposedDecodeAs(target.fieldName, target.value)), testId: 'menu-decode-as' },
    'separator',
    {
      label: 'Copy',
      testId: 'menu-copy',
      items: [
        { label: 'Value', action: () => actions.copy(target.value), testId: 'copy-value' },
        { label: 'Field name', disabled: target.fieldName === null, action: () => actions.copy(target.fieldName!), testId: 'copy-name' },
        { label: 'As filter', disabled: target.filter === null, action: () => actions.copy(target.filter!), testId: 'copy-filter' },
        { label: 'Summary line', disabled: target.summary === null, action: () => actions.copy(target.summary!), testId: 'copy-summary' },
        { label: 'Bytes as hex', disabled: target.bytesHex === null, action: () => actions.copy(target.bytesHex!), testId: 'copy-bytes' },
      ],
    },
  ];
  return entries;
}

/** Copies text to the clipboard (the async API where the page may use it, else a hidden text area). */
export function copyText(text: string): void {
  if (navigator.clipboard && window.isSecureContext) {
    void navigator.clipboard.writeText(text).catch(() => fallbackCopy(text));
  } else fallbackCopy(text);
}

function fallbackCopy(text: string): void {
  const area = document.createElement('textarea');
  area.value = text;
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}
