// Errors raised while reading a .liveobject file. Every rule violation names where it is
// (1-based line and column, in UTF-16 code units like most editors) and what was expected,
// so a user can fix the file without reading the spec.
import type { SourcePosition } from './document';
import { clipLongValues } from '../util/clip';

export interface FormatErrorInit {
  readonly line: number;
  readonly column: number;
  /** What the reader expected at this point, e.g. `<from> inside <external>`. */
  readonly expected: string;
  /** What it found instead, e.g. `<form>`; omitted when `reason` says it all. */
  readonly found?: string;
  /** The full explanation; defaults to `expected X but found Y`. */
  readonly reason?: string;
  /** File name or URL shown in front of the position. */
  readonly source?: string;
}

export class FormatError extends Error {
  readonly line: number;
  readonly column: number;
  readonly expected: string;
  readonly found?: string;
  readonly source?: string;
  /** The message without the `source:line:column: ` prefix. */
  readonly reason: string;

  constructor(init: FormatErrorInit) {
    // Values from the file are cut in the message (a 900,000-character id stays readable).
    const reason = clipLongValues(
      init.reason ?? `expected ${init.expected}${init.found === undefined ? '' : ` but found ${init.found}`}`,
    );
    const where = `${init.line}:${init.column}`;
    super(`${init.source === undefined ? where : `${init.source}:${where}`}: ${reason}`);
    this.name = 'FormatError';
    this.line = init.line;
    this.column = init.column;
    this.expected = clipLongValues(init.expected);
    this.reason = reason;
    if (init.found !== undefined) this.found = clipLongValues(init.found);
    if (init.source !== undefined) this.source = init.source;
  }

  get position(): SourcePosition {
    return { line: this.line, column: this.column };
  }
}
