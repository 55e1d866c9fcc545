// A map from sequence numbers to values for keys that cluster in a sliding window (a
// receiver's stored messages: above the delivered prefix, plus what it caches for recovery).
// A ring indexed by seq - lo instead of a hash map: no hashing, no per-entry allocation, and
// forgetting the oldest entries advances the window.

export class SeqMap<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(16);
  private mask = 15;
  /** Seq of the slot at `head`; the window covers lo .. lo + span - 1. Slots outside the
   * window are always undefined. */
  private lo = 0;
  private head = 0;
  private span = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(seq: number): T | undefined {
    const i = seq - this.lo;
    if (i < 0 || i >= this.span) return undefined;
    return this.items[(this.head + i) & this.mask];
  }

  set(seq: number, value: T): void {
    if (this.span === 0) {
      this.lo = seq;
      this.span = 1;
    } else if (seq < this.lo) {
      const extra = this.lo - seq;
      this.reserve(this.span + extra);
      this.head = (this.head - extra) & this.mask;
      this.lo = seq;
      this.span += extra;
    } else if (seq - this.lo >= this.span) {
      this.reserve(seq - this.lo + 1);
      this.span = seq - this.lo + 1;
    }
    const slot = (this.head + seq - this.lo) & this.mask;
    if (this.items[slot] === undefined) this.count++;
    this.items[slot] = value;
  }

  delete(seq: number): boolean {
    const i = seq - this.lo;
    if (i < 0 || i >= this.span) return false;
    const slot = (this.head + i) & this.mask;
    if (this.items[slot] === undefined) return false;
    this.items[slot] = undefined;
    this.count--;
    if (this.count === 0) {
      this.span = 0;
      this.head = 0;
    } else if (i === 0) {
      // Advance the window past the now-empty front.
      while (this.items[this.head] === undefined) {
        this.head = (this.head + 1) & this.mask;
        this.lo++;
        this.span--;
      }
    } else if (i === this.span - 1) {
      while (this.items[(this.head + this.span - 1) & this.mask] === undefined) this.span--;
    }
    return true;
  }

  /** Calls `f` for each entry with seq <= `upTo`, in ascending order; `f` may delete it. */
  forEachUpTo(upTo: number, f: (seq: number, value: T) => void): void {
    const end = Math.min(upTo, this.lo + this.span - 1);
    for (let s = this.lo; s <= end; s++) {
      const v = this.get(s);
      if (v !== undefined) f(s, v);
    }
  }

  /** Room for `n` consecutive seqs (capacity a power of two). */
  private reserve(n: number): void {
    if (n <= this.items.length) return;
    let cap = this.items.length * 2;
    while (cap < n) cap *= 2;
    const next = new Array<T | undefined>(cap);
    for (let i = 0; i < this.span; i++) next[i] = this.items[(this.head + i) & this.mask];
    this.items = next;
    this.mask = cap - 1;
    this.head = 0;
  }
}
