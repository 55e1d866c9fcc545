// The text being parsed: turns string offsets into line/column positions and builds
// FormatErrors that point into it.
import type { SourcePosition } from './document';
import { FormatError } from './errors';

/** Where an error points: a string offset into the source, or an already computed position. */
export type At = number | SourcePosition;

export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly text: string,
    readonly name?: string,
  ) {
    // Line breaks as XML counts them: \n, \r\n and a lone \r.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  position(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1 };
  }

  /** An error at `at` saying `expected X but found Y` (or `reason` when given). */
  error(at: At, expected: string, found?: string, reason?: string): FormatError {
    const pos = typeof at === 'number' ? this.position(at) : at;
    return new FormatError({
      line: pos.line,
      column: pos.column,
      expected,
      ...(found === undefined ? {} : { found }),
      ...(reason === undefined ? {} : { reason }),
      ...(this.name === undefined ? {} : { source: this.name }),
    });
  }
}

/**
 * Maps an index into decoded character data back to an index into its raw source text,
 * undoing entity and character references and \r\n normalisation. `raw` is the exact
 * source slice the data was decoded from; `cdata` disables reference decoding.
 */
export function rawIndex(raw: string, decodedIndex: number, cdata = false): number {
  let i = 0;
  let d = 0;
  while (d < decodedIndex && i < raw.length) {
    const c = raw[i];
    if (c === '&' && !cdata) {
      const end = raw.indexOf(';', i);
      if (end < 0) return i;
      const ref = raw.slice(i + 1, end);
      const code = ref.startsWith('#x')
        ? parseInt(ref.slice(2), 16)
        : ref.startsWith('#')
          ? Number(ref.slice(1))
          : 0;
      d += code > 0xffff ? 2 : 1;
      i = end + 1;
    } else if (c === '\r' && raw[i + 1] === '\n') {
      d++;
      i += 2;
    } else {
      d++;
      i++;
    }
  }
  return i;
}
