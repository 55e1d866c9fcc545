import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeqMap } from './seq-map';

describe('SeqMap', () => {
  it('stores, overwrites and forgets by seq, windows moving both ways', () => {
    const m = new SeqMap<string>();
    m.set(100, 'a');
    m.set(130, 'b');
    m.set(90, 'c'); // below the window: it extends backwards
    expect([m.get(90), m.get(100), m.get(130), m.get(99), m.get(131)]).toEqual([
      'c',
      'a',
      'b',
      undefined,
      undefined,
    ]);
    expect(m.size).toBe(3);
    m.set(100, 'a2');
    expect(m.size).toBe(3);
    expect(m.delete(90)).toBe(true);
    expect(m.delete(90)).toBe(false);
    expect(m.get(100)).toBe('a2');
    m.delete(100);
    m.delete(130);
    expect(m.size).toBe(0);
    m.set(5, 'd'); // an empty map starts a new window anywhere
    expect(m.get(5)).toBe('d');
  });

  it('forEachUpTo visits entries in order and tolerates deletion', () => {
    const m = new SeqMap<number>();
    for (const s of [7, 3, 9, 4, 12]) m.set(s, s * 10);
    const seen: number[] = [];
    m.forEachUpTo(9, (s, v) => {
      seen.push(v);
      m.delete(s);
    });
    expect(seen).toEqual([30, 40, 70, 90]);
    expect(m.size).toBe(1);
    expect(m.get(12)).toBe(120);
  });

  it('agrees with a Map under any sequence of operations', () => {
    type Op = { op: 'set' | 'delete' | 'get'; seq: number } | { op: 'sweep'; seq: number };
    const op: fc.Arbitrary<Op> = fc.record({
      op: fc.constantFrom(
        'set' as const,
        'set' as const,
        'delete' as const,
        'get' as const,
        'sweep' as const,
      ),
      seq: fc.integer({ min: 1, max: 400 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const m = new SeqMap<number>();
        const model = new Map<number, number>();
        ops.forEach((o, i) => {
          if (o.op === 'set') {
            m.set(o.seq, i);
            model.set(o.seq, i);
          } else if (o.op === 'delete') {
            expect(m.delete(o.seq)).toBe(model.delete(o.seq));
          } else if (o.op === 'get') {
            expect(m.get(o.seq)).toBe(model.get(o.seq));
          } else {
            const got: number[] = [];
            m.forEachUpTo(o.seq, (s) => got.push(s));
            const want = [...model.keys()].filter((s) => s <= o.seq).sort((a, b) => a - b);
            expect(got).toEqual(want);
          }
          expect(m.size).toBe(model.size);
        });
        for (let s = 0; s <= 401; s++) expect(m.get(s)).toBe(model.get(s));
      }),
    );
  });
});
