// Asks the service for the packet list's blocks as soon as the list scrolls, instead of when ag-grid's
// infinite row model asks: the grid first draws the new rows as empty placeholders, then schedules its
// block loads behind a debounce and a timer, so its request leaves 100-200 ms after the scroll. Started
// at the scroll event, the answer is usually there by the time the grid asks for it.
import type { ResultOf } from '../../../src/service/api';

type GetRowsReply = ResultOf<'getRows'>;

/** What identifies a block's rows: the view they are of, where they start, and the extra columns. */
export interface BlockRequest {
  sessionId: string;
  viewVersion: number;
  start: number;
  count: number;
  fields: string[];
}

/** Blocks asked for ahead and not yet taken by the grid; a few screens' worth at most. */
const MAX_PENDING = 8;
/**
 * Requests ahead on their way at once: dragging the scroll bar across a million rows fires a scroll
 * event per frame, and each would cost the service a block; the position the drag ends at is then
 * loaded the grid's way if its block was not asked for ahead.
 */
const MAX_IN_FLIGHT = 2;

function keyOf(request: BlockRequest): string {
  return `${request.sessionId}\n${request.viewVersion}\n${request.start}\n${request.count}\n${request.fields.join(',')}`;
}

export class RowPrefetch {
  private readonly pending = new Map<string, Promise<GetRowsReply>>();
  private inFlight = 0;

  constructor(private readonly fetchRows: (request: BlockRequest) => Promise<GetRowsReply>) {}

  /** Starts fetching a block unless it is already on its way. */
  prefetch(request: BlockRequest): void {
    const key = keyOf(request);
    if (this.pending.has(key) || this.inFlight >= MAX_IN_FLIGHT) return;
    const reply = this.fetchRows(request);
    this.inFlight++;
    // A prefetch nobody takes must not surface as an unhandled rejection; the grid's own ask retries.
    reply.catch(() => undefined).finally(() => this.inFlight--);
    this.pending.set(key, reply);
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
  }

  /** The block's rows: the prefetched answer when there is one (used once), else a fresh request. */
  take(request: BlockRequest): Promise<GetRowsReply> {
    const key = keyOf(request);
    const ahead = this.pending.get(key);
    if (ahead === undefined) return this.fetchRows(request);
    this.pending.delete(key);
    return ahead;
  }

  /** Forgets every block asked for ahead (a new view or new columns make them stale). */
  clear(): void {
    this.pending.clear();
  }
}

/**
 * The blocks (their first rows) that cover the rows shown at a scroll position, with `buffer` rows
 * either side: from the scroll fraction, which also holds when ag-grid scales a very tall list down
 * to what the browser can scroll.
 */
export function blocksInView(scrollTop: number, scrollHeight: number, clientHeight: number, rowHeight: number, rowCount: number, blockSize: number, buffer: number): number[] {
  if (rowCount <= 0 || clientHeight <= 0) return [];
  const visibleRows = Math.ceil(clientHeight / rowHeight);
  const scrollable = scrollHeight - clientHeight;
  const fraction = scrollable > 0 ? Math.min(1, Math.max(0, scrollTop / scrollable)) : 0;
  const firstVisible = Math.round(fraction * Math.max(0, rowCount - visibleRows));
  const first = Math.max(0, firstVisible - buffer);
  const last = Math.min(rowCount - 1, firstVisible + visibleRows + buffer);
  const blocks: number[] = [];
  for (let block = Math.floor(first / blockSize); block * blockSize <= last; block++) blocks.push(block * blockSize);
  return blocks;
}
