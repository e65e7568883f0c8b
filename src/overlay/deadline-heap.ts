// A binary min-heap of (deadline, slot) in typed arrays: the FDB's ageing finds the entries that expired
// without scanning every entry (a long capture sweeps once a second of capture time, over hundreds of
// thousands of entries). The learning keeps it lazy: an entry refreshed later is not moved, its stale
// deadline is checked when it comes to the top.
import { growFloat64, growInt32 } from './word-table';

export class DeadlineHeap {
  private deadlines = new Float64Array(256);
  private slots = new Int32Array(256);
  size = 0;

  push(deadline: number, slot: number): void {
    if (this.size === this.slots.length) {
      this.deadlines = growFloat64(this.deadlines, this.size * 2);
      this.slots = growInt32(this.slots, this.size * 2);
    }
    const { deadlines, slots } = this;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (deadlines[parent] <= deadline) break;
      deadlines[i] = deadlines[parent];
      slots[i] = slots[parent];
      i = parent;
    }
    deadlines[i] = deadline;
    slots[i] = slot;
  }

  /** The smallest deadline (the heap must not be empty). */
  topDeadline(): number {
    return this.deadlines[0];
  }

  topSlot(): number {
    return this.slots[0];
  }

  /** Removes the top. */
  pop(): void {
    const { deadlines, slots } = this;
    const last = --this.size;
    const deadline = deadlines[last];
    const slot = slots[last];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && deadlines[child + 1] < deadlines[child]) child++;
      if (deadlines[child] >= deadline) break;
      deadlines[i] = deadlines[child];
      slots[i] = slots[child];
      i = child;
    }
    deadlines[i] = deadline;
    slots[i] = slot;
  }
}
