// Property-based fuzzing of the .liveobject reader, seeded so every CI run checks the same
// cases: whatever bytes or text it is given, it returns a document or throws a FormatError that
// points into the text, with a message of bounded length; never another exception. Valid
// documents round-trip in roundtrip.test.ts; here they are the seeds that get mangled.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLiveObject, firstInvalidUtf8 } from './bytes';
import { FormatError } from './errors';
import { parseLiveObject } from './parse';
import { document } from './test-arbitraries';
import { writeLiveObject } from './write';

const SEED = 0x10_0b_1e;
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

/** Longest message a reader error may have: positions, the rule, and clipped values. */
const MAX_MESSAGE = 600;

/** Reads `text`; a FormatError must point inside it and say something short; anything else
 * thrown fails the property (with the input, shrunk). */
function readsOrRefuses(text: string): void {
  try {
    parseLiveObject(text, { source: 'fuzz.liveobject' });
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    expectInside(e, text);
  }
}

function expectInside(e: FormatError, text: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  expect(e.line).toBeGreaterThanOrEqual(1);
  expect(e.line).toBeLessThanOrEqual(lines.length);
  expect(e.column).toBeGreaterThanOrEqual(1);
  expect(e.column).toBeLessThanOrEqual(lines[e.line - 1]!.length + 1);
  expect(e.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
  expect(e.message).toMatch(/^fuzz\.liveobject:\d+:\d+: ./);
}

/** A valid file, and edits to make to it (position, what to do, what to put). */
const validFile = document.map((d) => writeLiveObject(d));
const edit = fc.tuple(
  fc.nat(),
  fc.constantFrom('delete', 'insert', 'replace', 'duplicate', 'truncate'),
  fc.oneof(
    fc.constantFrom(
      '<',
      '>',
      '/',
      '"',
      "'",
      '&',
      ';',
      '=',
      '\uFEFF',
      '\0',
      '\uFFFF',
      '\uD800',
      ']]>',
      '<!--',
      '<?',
      '<!DOCTYPE x>',
      'xmlns="urn:other"',
      'version="1.1"',
      '&amp;',
      '&#0;',
      '&#x110000;',
    ),
    fc.string({ maxLength: 6 }),
    fc.string({ minLength: 200, maxLength: 2000, unit: fc.constantFrom('a', '.', '9') }),
  ),
);

function applyEdits(text: string, edits: readonly (readonly [number, string, string])[]): string {
  let t = text;
  for (const [at, op, s] of edits) {
    const i = t.length === 0 ? 0 : at % t.length;
    if (op === 'delete') t = t.slice(0, i) + t.slice(i + 1 + (at % 7));
    else if (op === 'insert') t = t.slice(0, i) + s + t.slice(i);
    else if (op === 'replace') t = t.slice(0, i) + s + t.slice(i + s.length);
    else if (op === 'duplicate') t = t.slice(0, i) + t.slice(i, i + 40) + t.slice(i);
    else t = t.slice(0, i);
  }
  return t;
}

describe('.liveobject reader (property-based, seeded)', () => {
  it('reads or refuses with a positioned FormatError any mangling of a valid file', () => {
    fc.assert(
      fc.property(validFile, fc.array(edit, { minLength: 1, maxLength: 4 }), (text, edits) => {
        readsOrRefuses(applyEdits(text, edits));
      }),
      params(2_000),
    );
  });

  it('reads or refuses any text at all', () => {
    const markup = fc.string({
      maxLength: 80,
      unit: fc.oneof(
        fc.constantFrom('<', '>', '/', '=', '"', ' ', '\n', '\r', '&', ';', '?', '!', '[', ']', '-', ':'),
        fc.constantFrom(
          'liveobject',
          'primitive',
          'xmlns',
          'urn:liveobjects:1',
          'version',
          'id',
          '1',
          'xml',
          'CDATA',
        ),
        fc.string({ maxLength: 2 }),
      ),
    });
    fc.assert(
      fc.property(markup, (text) => readsOrRefuses(text)),
      params(3_000),
    );
  });

  it('decodes or refuses at the first invalid byte any mangling of a valid file as bytes', () => {
    const utf8 = new TextEncoder();
    fc.assert(
      fc.property(
        validFile,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (text, flips, bom) => {
          const bytes = new Uint8Array([...(bom ? [0xef, 0xbb, 0xbf] : []), ...utf8.encode(text)]);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          let decoded: string;
          try {
            decoded = decodeLiveObject(bytes, 'fuzz.liveobject');
          } catch (e) {
            if (!(e instanceof FormatError)) throw e;
            const bad = firstInvalidUtf8(bytes);
            expect(bad).toBeGreaterThanOrEqual(0);
            // The position is that of the first invalid byte in the valid text before it.
            const before = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes.subarray(0, bad));
            const lines = before.split(/\r\n|\r|\n/);
            expect({ line: e.line, column: e.column }).toEqual({
              line: lines.length,
              column: lines.at(-1)!.length + 1,
            });
            return;
          }
          expect(firstInvalidUtf8(bytes)).toBe(-1);
          readsOrRefuses(decoded);
        },
      ),
      params(2_000),
    );
  });

  it('finds the first invalid UTF-8 byte exactly where a strict decoder first fails', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const valid = (b: Uint8Array): boolean => {
      try {
        strict.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        const bad = firstInvalidUtf8(bytes);
        expect(bad === -1).toBe(valid(bytes));
        if (bad >= 0) expect(valid(bytes.subarray(0, bad))).toBe(true);
      }),
      params(5_000),
    );
  });
});
