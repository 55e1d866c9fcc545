import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Reader, Writer } from './buffer';

function roundTrip(strings: readonly string[]): string[] {
  const w = new Writer();
  for (const s of strings) w.str(s);
  const r = new Reader(w.view());
  return strings.map(() => r.str());
}

describe('Reader.str', () => {
  it('decodes any sequence of short strings exactly, repeats and near-misses included', () => {
    const short = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => {
      const n = new TextEncoder().encode(s).length;
      return n >= 1 && n <= 255;
    });
    fc.assert(
      fc.property(fc.array(short, { maxLength: 60 }), (strings) => {
        // Twice: the second pass is served from the intern table.
        expect(roundTrip(strings)).toEqual(strings);
        expect(roundTrip(strings)).toEqual(strings);
        // Strings differing in one byte are never confused.
        const variants = strings.map((s) => s.slice(0, -1) + (s.endsWith('a') ? 'b' : 'a'));
        expect(roundTrip(variants)).toEqual(variants);
      }),
    );
  });

  it('rejects invalid UTF-8 even after the valid form was seen', () => {
    expect(roundTrip(['ab'])).toEqual(['ab']);
    const bad = new Uint8Array([2, 0xc3, 0x28]);
    expect(() => new Reader(bad).str()).toThrow('bad-string');
  });
});
