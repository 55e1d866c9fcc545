// Errors raised by the runtime. Each one that concerns a reference carries the position the
// reference was read from (when it came from a file) so the CLI and the UI can point at it.
import type { SourcePosition } from '../../src-shared/format/document';
import { clipLongValues } from '../../src-shared/util/clip';

/** One problem found in a reference, statically or while dereferencing. */
export interface ReferenceProblem {
  readonly message: string;
  readonly pos?: SourcePosition;
}

export function formatPosition(pos: SourcePosition | undefined): string {
  return pos ? `${pos.line}:${pos.column}` : '?:?';
}

/** Dereferencing a reference failed; `problems` lists every reason (first one is the main one). */
export class DereferenceError extends Error {
  readonly pos?: SourcePosition;
  readonly problems: readonly ReferenceProblem[];

  constructor(problems: readonly ReferenceProblem[] | string, pos?: SourcePosition, options?: ErrorOptions) {
    // Ids and names in the messages come from files: long ones are cut (clip.ts).
    const list: readonly ReferenceProblem[] = (
      typeof problems === 'string' ? [pos ? { message: problems, pos } : { message: problems }] : problems
    ).map((p) => ({ ...p, message: clipLongValues(p.message) }));
    const first = list[0];
    const where = first?.pos ?? pos;
    super(
      `${where ? `${formatPosition(where)}: ` : ''}${list.map((p, i) => (i > 0 && p.pos ? `${formatPosition(p.pos)}: ${p.message}` : p.message)).join('; ')}`,
      options,
    );
    this.name = 'DereferenceError';
    if (where) this.pos = where;
    this.problems = list;
  }
}

/** Static analysis found problems; thrown by typeOfReference when asked to throw. */
export class ReferenceCheckError extends DereferenceError {
  constructor(problems: readonly ReferenceProblem[]) {
    super(problems);
    this.name = 'ReferenceCheckError';
  }
}

/** Misuse of an endpoint: unknown event, bad arguments, double connect, send while detached. */
export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}
