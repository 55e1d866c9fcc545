// The set of sequence numbers received from one sender in one region view: a contiguous
// prefix plus a sparse set above it. Recovery compares these between ring neighbours.

import type { SeqRange } from '../wire/packets';

/** Furthest past the prefix that a gap scan looks. */
const MAX_SCAN = 1 << 16;

export class SeqSet {
  /** All of 1..contig received. */
  contig = 0;
  /** Highest sequence number received or known (from tokens) to exist. */
  maxSeen = 0;
  /** Highest sequence number actually received. */
  maxReceived = 0;
  private readonly above = new Set<number>();

  has(seq: number): boolean {
    return seq <= this.contig || this.above.has(seq);
  }

  /** Adds `seq`; returns false if already present. */
  add(seq: number): boolean {
    if (this.has(seq)) return false;
    if (seq > this.maxSeen) this.maxSeen = seq;
    if (seq > this.maxReceived) this.maxReceived = seq;
    if (seq === this.contig + 1) {
      this.contig = seq;
      while (this.above.delete(this.contig + 1)) this.contig++;
    } else {
      this.above.add(seq);
    }
    return true;
  }

  noteExists(seq: number): void {
    if (seq > this.maxSeen) this.maxSeen = seq;
  }

  /** Missing ranges in (contig, upTo], at most `maxRanges` ranges covering at most `maxSeqs`. */
  missing(upTo: number, maxRanges: number, maxSeqs: number): SeqRange[] {
    const out: SeqRange[] = [];
    let budget = maxSeqs;
    let start = 0;
    const end = Math.min(upTo, this.contig + MAX_SCAN);
    for (let s = this.contig + 1; s <= end; s++) {
      if (!this.above.has(s) && budget > 0) {
        if (start === 0) start = s;
        budget--;
      } else if (start !== 0) {
        out.push({ from: start, to: s - 1 });
        start = 0;
        if (out.length >= maxRanges || budget <= 0) return out;
      } else if (budget <= 0) {
        return out;
      }
    }
    if (start !== 0) out.push({ from: start, to: end });
    return out;
  }

  /** Bitmap of received seqs in contig+1 .. maxReceived (bit i = contig+1+i): a successor
   * pushes only what is missing below the highest seq actually received, never what may still
   * be in flight. */
  bitmap(maxBits: number): { bits: Uint8Array; count: number } {
    const count = Math.max(0, Math.min(maxBits, this.maxReceived - this.contig));
    const bits = new Uint8Array((count + 7) >>> 3);
    if (this.above.size > 0) {
      for (const s of this.above) {
        const i = s - this.contig - 1;
        if (i >= 0 && i < count) bits[i >>> 3]! |= 1 << (i & 7);
      }
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
