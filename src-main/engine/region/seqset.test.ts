import { describe, expect, it } from 'vitest';
import type { SeqRange } from '../wire/packets';
import { bitmapHas, SeqSet } from './seqset';

/** The obvious model: every received seq in a Set. */
class ModelSet {
  readonly seqs = new Set<number>();
  contig = 0;
  add(seq: number): boolean {
    if (seq <= this.contig || this.seqs.has(seq)) return false;
    this.seqs.add(seq);
    while (this.seqs.has(this.contig + 1)) this.contig++;
    return true;
  }
  missing(upTo: number, maxRanges: number, maxSeqs: number): SeqRange[] {
    const out: { from: number; to: number }[] = [];
    let budget = maxSeqs;
    for (let s = this.contig + 1; s <= upTo && budget > 0; s++) {
      if (this.seqs.has(s)) continue;
      const last = out[out.length - 1];
      if (last && last.to === s - 1) last.to = s;
      else if (out.length < maxRanges) out.push({ from: s, to: s });
      else break;
      budget--;
    }
    return out;
  }
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('SeqSet', () => {
  it('keeps a prefix and what is above it, and reports gaps', () => {
    const s = new SeqSet();
    expect(s.add(1)).toBe(true);
    expect(s.add(1)).toBe(false);
    expect(s.add(3)).toBe(true);
    expect(s.add(3)).toBe(false);
    expect(s.add(6)).toBe(true);
    expect([s.contig, s.maxReceived]).toEqual([1, 6]);
    expect(s.has(2)).toBe(false);
    expect(s.has(3)).toBe(true);
    expect(s.missing(10, 8, 100)).toEqual([
      { from: 2, to: 2 },
      { from: 4, to: 5 },
      { from: 7, to: 10 },
    ]);
    expect(s.missing(10, 2, 100)).toHaveLength(2);
    expect(s.missing(10, 8, 2)).toEqual([
      { from: 2, to: 2 },
      { from: 4, to: 4 },
    ]);
    // Only above a seq (what was asked for already), within the same budget.
    expect(s.missing(10, 8, 3, 4)).toEqual([
      { from: 5, to: 5 },
      { from: 7, to: 8 },
    ]);
    expect(s.missing(10, 8, 100, 0)).toEqual(s.missing(10, 8, 100));
    s.add(2);
    expect(s.contig).toBe(3);
    const bm = s.bitmap(100);
    expect(bm.count).toBe(3); // 4..6
    expect([4, 5, 6].map((q) => bitmapHas(s.contig, bm.bits, bm.count, q))).toEqual([false, false, true]);
  });

  it('agrees with a Set of every seq under random arrival orders, window growth and wrap-around', () => {
    for (const seed of [1, 2, 3]) {
      const rnd = random(seed);
      const s = new SeqSet();
      const m = new ModelSet();
      let next = 1;
      const pending: number[] = [];
      const mismatches: string[] = [];
      for (let step = 0; step < 30_000; step++) {
        // Mostly in order with 10% lost, losses filled in later in any order, rare long gaps
        // (they grow the ring), and duplicates.
        const r = rnd();
        const batch: number[] = [];
        if (r < 0.5 || pending.length === 0) {
          const seq = next++;
          if (rnd() < 0.1) pending.push(seq);
          else batch.push(seq);
        } else if (r < 0.9) {
          for (let k = 0; k < 20 && pending.length > 0; k++) {
            batch.push(pending.splice(Math.floor(rnd() * pending.length), 1)[0]!);
          }
        } else if (r < 0.902) {
          const gap = 1 + Math.floor(rnd() * 3000);
          for (let k = 0; k < gap; k++) pending.push(next++);
          batch.push(next++);
        } else {
          batch.push(Math.max(1, m.contig - Math.floor(rnd() * 10)));
        }
        for (const seq of batch) {
          if (s.add(seq) !== m.add(seq) || s.contig !== m.contig)
            mismatches.push(`seed ${seed} step ${step} seq ${seq}`);
        }
        if (step % 997 === 0) {
          const upTo = s.maxReceived + 10;
          expect(s.missing(upTo, 64, 4096)).toEqual(m.missing(upTo, 64, 4096));
          const bm = s.bitmap(8192);
          for (let q = s.contig + 1; q <= s.contig + bm.count; q++) {
            expect(bitmapHas(s.contig, bm.bits, bm.count, q)).toBe(m.seqs.has(q));
          }
          for (let q = s.contig - 3; q < s.contig + 200; q++)
            expect(s.has(q)).toBe(q <= m.contig || m.seqs.has(q));
        }
      }
      expect(mismatches).toEqual([]);
      expect(m.contig).toBeGreaterThan(10_000);
    }
  });

  it('refuses a seq beyond its bound past the prefix', () => {
    const s = new SeqSet(4096);
    expect(s.add(4096)).toBe(true);
    expect(() => s.add(4098)).toThrow(/more than 4096 past the prefix 0/);
  });
});
