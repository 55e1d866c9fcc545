// Binary min-heap of alarms driven by one Node timer, so lateness (how long after its due
// time an alarm actually ran) is measured, as in the dissertation's "max timer delay".

export interface Alarm {
  readonly at: number;
  cancelled: boolean;
}

interface Entry extends Alarm {
  readonly seq: number;
  readonly fn: () => void;
}

export class TimerHeap {
  private heap: Entry[] = [];
  private seq = 0;
  maxLatenessMs = 0;
  totalLatenessMs = 0;
  fired = 0;

  get size(): number {
    return this.heap.length;
  }

  add(at: number, fn: () => void): Alarm {
    const e: Entry = { at, fn, seq: this.seq++, cancelled: false };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
    return e;
  }

  /** Due time of the earliest live alarm, or undefined. */
  next(): number | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    return this.heap[0]?.at;
  }

  /** Runs due alarms for at most `budgetMs`; returns true if due alarms remain. */
  runDue(now: number, budgetMs: number): boolean {
    const start = now;
    for (;;) {
      const top = this.heap[0];
      if (!top || top.at > now) return false;
      this.pop();
      if (top.cancelled) continue;
      const late = performance.now() - top.at;
      this.fired++;
      this.totalLatenessMs += late;
      if (late > this.maxLatenessMs) this.maxLatenessMs = late;
      top.fn();
      if (performance.now() - start > budgetMs) return (this.heap[0]?.at ?? Infinity) <= now;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l]!, h[m]!)) m = l;
      if (r < h.length && less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
