import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32, crc32js } from './crc32';

/** The textbook bit-at-a-time CRC-32 the fast one must agree with. */
function reference(bytes: Uint8Array, start: number, end: number): number {
  let c = ~0;
  for (let i = start; i < end; i++) {
    c ^= bytes[i]!;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ~c >>> 0;
}

describe('crc32', () => {
  it('matches the IEEE check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32js(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('agrees with the bit-at-a-time CRC at any alignment, start and end', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1200 }),
        fc.nat(7),
        fc.nat(40),
        fc.nat(40),
        (data, shift, cutStart, cutEnd) => {
          // A view at an odd byte offset into a larger buffer exercises the unaligned prefix.
          const backing = new Uint8Array(data.length + shift);
          backing.set(data, shift);
          const view = backing.subarray(shift);
          const start = Math.min(cutStart, view.length);
          const end = Math.max(start, view.length - cutEnd);
          const want = reference(view, start, end);
          expect(crc32(view, start, end)).toBe(want);
          expect(crc32js(view, start, end)).toBe(want);
        },
      ),
    );
  });
});
