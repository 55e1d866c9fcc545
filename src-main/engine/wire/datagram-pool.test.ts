import { describe, expect, it } from 'vitest';
import { DatagramPool } from './datagram-pool';

describe('DatagramPool', () => {
  it('reuses the memory of given-back buffers, never of ones still out', () => {
    const pool = new DatagramPool(1024, 2);
    const a = pool.take(100)!;
    const b = pool.take(1024)!;
    expect(a.length).toBe(100);
    expect(b.length).toBe(1024);
    expect(a.buffer).not.toBe(b.buffer);
    pool.give(a);
    const c = pool.take(10)!;
    expect(c.buffer).toBe(a.buffer);
    expect(c.buffer).not.toBe(b.buffer);
  });

  it('does not pool oversized or foreign buffers and keeps at most max', () => {
    const pool = new DatagramPool(1024, 1);
    expect(pool.take(1025)).toBeUndefined();
    pool.give(new Uint8Array(1024).subarray(8)); // not from the pool: ignored
    const x = pool.take(8)!;
    const y = pool.take(8)!;
    pool.give(x);
    pool.give(y); // beyond max: dropped
    const z = pool.take(8)!;
    expect(z.buffer).toBe(x.buffer);
    expect(pool.take(8)!.buffer).not.toBe(y.buffer);
  });
});
