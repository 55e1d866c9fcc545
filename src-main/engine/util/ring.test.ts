import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ring } from './ring';

/** Shifts the `n` oldest items off (all of them if fewer). */
function shiftN<T>(r: Ring<T>, n: number): void {
  for (let i = 0; i < n; i++) r.shift();
}

describe('Ring', () => {
  it('is a FIFO queue with indexed access that grows past its initial capacity', () => {
    const r = new Ring<number>(2);
    for (let i = 0; i < 100; i++) r.push(i);
    expect(r.length).toBe(100);
    expect(r.at(0)).toBe(0);
    expect(r.at(99)).toBe(99);
    expect(r.at(100)).toBeUndefined();
    expect(r.at(-1)).toBeUndefined();
    expect(r.shift()).toBe(0);
    expect(r.first()).toBe(1);
    shiftN(r, 49);
    expect(r.first()).toBe(50);
    expect([...r]).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i));
    shiftN(r, 1000);
    expect(r.length).toBe(0);
    expect(r.shift()).toBeUndefined();
    expect(r.first()).toBeUndefined();
  });

  it('retain keeps the accepted items in order', () => {
    const r = new Ring<number>();
    for (let i = 0; i < 40; i++) r.push(i);
    shiftN(r, 5);
    r.retain((x) => x % 3 === 0);
    expect([...r]).toEqual([6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39]);
    r.push(100);
    expect(r.at(r.length - 1)).toBe(100);
  });

  it('behaves like an array under any sequence of operations', () => {
    type Op = { op: 'push'; x: number } | { op: 'shift' } | { op: 'drop'; n: number } | { op: 'retainEven' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('push' as const), x: fc.integer() }),
      fc.record({ op: fc.constant('shift' as const) }),
      fc.record({ op: fc.constant('drop' as const), n: fc.nat(20) }),
      fc.record({ op: fc.constant('retainEven' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const r = new Ring<number>(1);
        let model: number[] = [];
        for (const o of ops) {
          if (o.op === 'push') {
            r.push(o.x);
            model.push(o.x);
          } else if (o.op === 'shift') {
            expect(r.shift()).toBe(model.shift());
          } else if (o.op === 'drop') {
            shiftN(r, o.n);
            model = model.slice(o.n);
          } else {
            r.retain((x) => x % 2 === 0);
            model = model.filter((x) => x % 2 === 0);
          }
          expect(r.length).toBe(model.length);
          expect(r.first()).toBe(model[0]);
        }
        expect([...r]).toEqual(model);
        for (let i = 0; i < model.length; i++) expect(r.at(i)).toBe(model[i]);
      }),
    );
  });
});
