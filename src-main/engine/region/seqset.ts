// The set of sequence numbers received from one sender in one region view: a contiguous
// prefix plus a sparse set above it. Recovery compares these between ring neighbours.

import type { SeqRange } from '../wire/packets';

/** Furthest past the prefix that a gap scan looks. */
const MAX_SCAN = 1 << 16;
/** Furthest past a sender's prefix a seq may be (the ring's bound): region agents treat
 * packets further than that as forged. */
export const MAX_AHEAD = 1 << 18;
/** The ring starts at 2048 bits (256 bytes) per stream and doubles as far as it must. */
const INITIAL_WORDS = 64;

/** Trailing one bits of `x` (0..32). */
function trailingOnes(x: number): number {
  const inv = ~x;
  return inv === 0 ? 32 : 31 - Math.clz32(inv & -inv);
}

export class SeqSet {
  /** All of 1..contig received. */
  contig = 0;
  /** Highest sequence number received or known (from tokens) to exist. */
  maxSeen = 0;
  /** Highest sequence number actually received. */
  maxReceived = 0;
  /** Received seqs above the prefix, as bits of a ring over (contig, contig + capacity]: seq s
   * is bit (s & 31) of word (s & mask) >>> 5. A bitmap rather than a Set: a receiver catching
   * up after a pause holds tens of thousands of seqs above a gap, and gap scans, token bitmaps
   * and prefix advances over them run word by word. Bits at or below the prefix are clear. */
  private words = new Uint32Array(INITIAL_WORDS);
  private mask = INITIAL_WORDS * 32 - 1;
  /** Bits set. */
  private above = 0;

  /** @param maxAhead the furthest past the prefix a seq may be added (the ring's bound). */
  constructor(private readonly maxAhead = MAX_AHEAD) {}

  has(seq: number): boolean {
    if (seq <= this.contig) return true;
    if (seq - this.contig > this.mask + 1) return false;
    return ((this.words[(seq & this.mask) >>> 5]! >>> (seq & 31)) & 1) !== 0;
  }

  /** Adds `seq`; returns false if already present. */
  add(seq: number): boolean {
    const ahead = seq - this.contig;
    if (ahead <= 0) return false;
    if (ahead > this.mask + 1) this.grow(ahead);
    if (ahead === 1) {
      this.contig = seq;
      if (this.above > 0) this.advance();
    } else {
      const w = (seq & this.mask) >>> 5;
      const bit = 1 << (seq & 31);
      if ((this.words[w]! & bit) !== 0) return false;
      this.words[w]! |= bit;
      this.above++;
    }
    if (seq > this.maxSeen) this.maxSeen = seq;
    if (seq > this.maxReceived) this.maxReceived = seq;
    return true;
  }

  noteExists(seq: number): void {
    if (seq > this.maxSeen) this.maxSeen = seq;
  }

  /** Received seqs from `seq` (within the ring) to the end of its word: 0 if `seq` is missing.
   * (The shift fills with zeros, so the run stops at the word's end.) */
  private runAt(seq: number): number {
    return trailingOnes(this.words[(seq & this.mask) >>> 5]! >>> (seq & 31));
  }

  /** Moves the prefix over the received seqs right above it, a word at a time. */
  private advance(): void {
    while (this.above > 0) {
      const next = this.contig + 1;
      const run = this.runAt(next);
      if (run === 0) return;
      const b = next & 31;
      this.words[(next & this.mask) >>> 5]! &= run === 32 ? 0 : ~(((1 << run) - 1) << b);
      this.above -= run;
      this.contig += run;
    }
  }

  private grow(ahead: number): void {
    if (ahead > this.maxAhead) {
      throw new RangeError(
        `seq ${this.contig + ahead} is more than ${this.maxAhead} past the prefix ${this.contig}`,
      );
    }
    let bits = (this.mask + 1) * 2;
    while (bits < ahead) bits *= 2;
    const old = this.words;
    const oldMask = this.mask;
    this.words = new Uint32Array(bits >>> 5);
    this.mask = bits - 1;
    if (this.above === 0) return;
    const end = this.contig + oldMask + 1;
    for (let s = this.contig + 1; s <= end; s++) {
      if ((old[(s & oldMask) >>> 5]! >>> (s & 31)) & 1) this.words[(s & this.mask) >>> 5]! |= 1 << (s & 31);
    }
  }

  /** Missing ranges in (max(contig, above), upTo], at most `maxRanges` ranges covering at most
   * `maxSeqs`. */
  missing(upTo: number, maxRanges: number, maxSeqs: number, above = 0): SeqRange[] {
    const out: SeqRange[] = [];
    let budget = maxSeqs;
    const end = Math.min(upTo, this.contig + MAX_SCAN);
    // Nothing past the ring is present.
    const ring = this.contig + this.mask + 1;
    let s = Math.max(this.contig, above) + 1;
    while (s <= end && budget > 0 && out.length < maxRanges) {
      // Skip what is present, a word at a time.
      for (let run = 0; s <= end && s <= ring && (run = this.runAt(s)) > 0;) s += run;
      if (s > end) break;
      // A missing run, as long as the budget allows.
      const from = s;
      while (s <= end && budget > 0 && !this.has(s)) {
        s++;
        budget--;
      }
      out.push({ from, to: s - 1 });
    }
    return out;
  }

  /** Bitmap of received seqs in contig+1 .. maxReceived (bit i = contig+1+i): a successor
   * pushes only what is missing below the highest seq actually received, never what may still
   * be in flight. */
  bitmap(maxBits: number): { bits: Uint8Array; count: number } {
    const count = Math.max(0, Math.min(maxBits, this.maxReceived - this.contig));
    const bits = new Uint8Array((count + 7) >>> 3);
    if (this.above === 0) return { bits, count };
    const first = this.contig + 1;
    for (let i = 0; i < count;) {
      const s = first + i;
      const word = this.words[(s & this.mask) >>> 5]! >>> (s & 31);
      if (word === 0) {
        i += 32 - (s & 31);
        continue;
      }
      if (word & 1) bits[i >>> 3]! |= 1 << (i & 7);
      i++;
    }
    return { bits, count };
  }
}

/** Whether the token's forwarding member holds `seq`, given its prefix and bitmap. */
export function bitmapHas(contig: number, bits: Uint8Array, count: number, seq: number): boolean {
  if (seq <= contig) return true;
  const i = seq - contig - 1;
  if (i >= count) return false;
  return ((bits[i >>> 3] ?? 0) & (1 << (i & 7))) !== 0;
}

/** Intersection of two sorted range lists. */
export function intersect(a: readonly SeqRange[], b: readonly SeqRange[]): SeqRange[] {
  const out: SeqRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const from = Math.max(x.from, y.from);
    const to = Math.min(x.to, y.to);
    if (from <= to) out.push({ from, to });
    if (x.to < y.to) i++;
    else j++;
  }
  return out;
}

/** Appends (from, to] ... as a range to a sorted list, merging with the last one. */
export function appendRange(list: SeqRange[], from: number, to: number): void {
  if (from > to) return;
  const last = list[list.length - 1];
  if (last && last.to + 1 >= from) list[list.length - 1] = { from: last.from, to: Math.max(last.to, to) };
  else list.push({ from, to });
}
