// Errors raised while turning type expressions and declarations into types. They carry the
// position of the declaration element so the format layer can report line and column.
import type { SourcePosition } from '../format/document';

/** Where a type expression or declaration was met: position and a human context. */
export interface Site {
  readonly pos?: SourcePosition;
  /** e.g. `endpoint type 'TickerFeed', input event 'subscribe'`. */
  readonly where?: string;
}

export class TypeResolutionError extends Error {
  readonly pos?: SourcePosition;
  readonly where?: string;

  constructor(
    /** What went wrong, without the location prefix. */
    readonly detail: string,
    /** What was expected instead, e.g. `an object type`. */
    readonly expected: string,
    site: Site = {},
  ) {
    const at = site.pos ? `line ${site.pos.line}, column ${site.pos.column}: ` : '';
    const where = site.where ? `${site.where}: ` : '';
    super(`${at}${where}${detail}`);
    this.name = 'TypeResolutionError';
    if (site.pos) this.pos = site.pos;
    if (site.where) this.where = site.where;
  }
}
