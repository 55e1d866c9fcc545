import { describe, expect, it } from 'vitest';
import { PayloadArena, copyOut } from './payload-arena';

const filled = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);

describe('PayloadArena', () => {
  it('packs payloads into a slab and keeps each one intact while it is live', () => {
    const arena = new PayloadArena(1024, 4);
    const held = Array.from({ length: 10 }, (_, i) => {
      const slab = arena.slabFor(100);
      return { slab, off: slab.put(filled(100, i + 1)), i };
    });
    expect(arena.slabsAllocated).toBe(2); // 9 payloads of 104 bytes (aligned) fit in 1 KiB
    for (const h of held) expect(copyOut(h.slab, h.off, 100).every((b) => b === h.i + 1)).toBe(true);
  });

  it('reuses a slab only once all of its payloads are released', () => {
    const arena = new PayloadArena(256, 4);
    const a = arena.slabFor(128);
    const offA = a.put(filled(128, 7));
    const b = arena.slabFor(128);
    b.put(filled(128, 8));
    expect(b).toBe(a);
    // Full: the next payload goes to a new slab, and `a` stays as it is while one is live.
    const c = arena.slabFor(128);
    expect(c).not.toBe(a);
    c.put(filled(128, 9));
    arena.release(a);
    const d = arena.slabFor(128);
    d.put(filled(128, 10));
    expect(d).toBe(c);
    expect(copyOut(a, offA, 128).every((x) => x === 7)).toBe(true);
    arena.release(a);
    // `a` is free now: the next slab needed is `a`, not a fresh one.
    expect(arena.slabFor(128)).toBe(a);
    expect(arena.slabsAllocated).toBe(2);
  });

  it('gives an oversized payload a slab of its own that is never reused', () => {
    const arena = new PayloadArena(256, 4);
    const big = arena.slabFor(1000);
    big.put(filled(1000, 3));
    expect(big.bytes.length).toBe(1000);
    arena.release(big);
    expect(arena.spareSlabs).toBe(0);
  });

  it('keeps at most maxSpare free slabs', () => {
    const arena = new PayloadArena(64, 2);
    const slabs = Array.from({ length: 6 }, () => {
      const s = arena.slabFor(64);
      s.put(filled(64, 1));
      return s;
    });
    arena.slabFor(64).put(filled(64, 2)); // moves off the last of them
    for (const s of slabs) arena.release(s);
    expect(arena.spareSlabs).toBe(2);
  });

  it('copyOut returns memory of its own', () => {
    const arena = new PayloadArena(256, 4);
    const s = arena.slabFor(16);
    const off = s.put(filled(16, 5));
    const copy = copyOut(s, off, 16);
    s.bytes.fill(0);
    expect(copy.every((x) => x === 5)).toBe(true);
  });
});
