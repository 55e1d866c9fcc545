// A growable circular queue: O(1) push at the back, shift at the front and indexed access.
// The sender keeps its held messages and each region view's unacknowledged messages in one
// (indexed by sequence number minus the oldest one held), instead of a Map entry per message;
// the scheduler's lanes are rings of inbound datagrams.

export class Ring<T> {
  private items: (T | undefined)[];
  private mask: number;
  private head = 0;
  private size = 0;

  /** `capacity` is rounded up to a power of two; the ring doubles when full. */
  constructor(capacity = 16) {
    let c = 16;
    while (c < capacity) c *= 2;
    this.items = new Array<T | undefined>(c);
    this.mask = c - 1;
  }

  get length(): number {
    return this.size;
  }

  push(x: T): void {
    if (this.size > this.mask) this.grow();
    this.items[(this.head + this.size) & this.mask] = x;
    this.size++;
  }

  /** The item `i` places from the front (0 = oldest), or undefined outside 0 .. length-1. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.size) return undefined;
    return this.items[(this.head + i) & this.mask];
  }

  first(): T | undefined {
    return this.size > 0 ? this.items[this.head] : undefined;
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const x = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    return x;
  }

  /** Keeps only the items `keep` accepts, in order. */
  retain(keep: (x: T) => boolean): void {
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      const x = this.items[(this.head + i) & this.mask] as T;
      if (keep(x)) this.items[(this.head + n++) & this.mask] = x;
    }
    for (let i = n; i < this.size; i++) this.items[(this.head + i) & this.mask] = undefined;
    this.size = n;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.size; i++) yield this.items[(this.head + i) & this.mask] as T;
  }

  private grow(): void {
    const old = this.items;
    const cap = old.length * 2;
    const next = new Array<T | undefined>(cap);
    for (let i = 0; i < this.size; i++) next[i] = old[(this.head + i) & this.mask];
    this.items = next;
    this.mask = cap - 1;
    this.head = 0;
  }
}
