import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentsEqual, referencesEqual } from './equal';
import { parseLiveObject } from './parse';
import { document, reference } from './test-arbitraries';
import { writeLiveObject, writeReference } from './write';

/** Seeded: every CI run checks the same documents (change it to explore others). */
const SEED = 0x10_0b_1e;

describe('write then read', () => {
  it('gives back the same document, and writing is idempotent', () => {
    fc.assert(
      fc.property(document, (doc) => {
        const text = writeLiveObject(doc);
        const back = parseLiveObject(text);
        expect(documentsEqual(back, doc)).toBe(true);
        expect(writeLiveObject(back)).toBe(text);
      }),
      { numRuns: 400, seed: SEED },
    );
  });

  it('gives back the same bare reference', () => {
    fc.assert(
      fc.property(reference, (ref) => {
        const back = parseLiveObject(writeReference(ref));
        expect(referencesEqual(back.reference, ref)).toBe(true);
        expect(back.meta).toEqual({});
        expect(back.types).toEqual([]);
      }),
      { numRuns: 200, seed: SEED },
    );
  });
});
