import { describe, expect, it } from 'vitest';
import { allocBuffer } from './slab';

describe('allocBuffer', () => {
  it('carves 8-byte aligned, non-overlapping buffers of the asked size', () => {
    const bufs = Array.from({ length: 2000 }, (_, i) => allocBuffer(1 + ((i * 37) % 3000)));
    bufs.forEach((b, i) => {
      expect(b.length).toBe(1 + ((i * 37) % 3000));
      expect(b.byteOffset % 8).toBe(0);
      b.fill(i & 0xff);
    });
    // Writing every buffer did not clobber any other one.
    bufs.forEach((b, i) => expect(b.every((x) => x === (i & 0xff))).toBe(true));
  });

  it('gives large buffers their own memory', () => {
    const b = allocBuffer(100_000);
    expect(b.length).toBe(100_000);
    expect(b.byteOffset).toBe(0);
  });
});
