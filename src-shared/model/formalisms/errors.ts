import type { ConstraintContext } from '../types';

/** Thrown by the built-in formalisms for malformed constraint text. */
export class ConstraintParseError extends Error {
  constructor(
    readonly formalism: string,
    readonly text: string,
    /** What the formalism expected, e.g. `words from best-effort, reliable, …`. */
    readonly expected: string,
    detail: string,
    context: ConstraintContext,
  ) {
    super(`${context.where}: ${formalism}: ${detail}`);
    this.name = 'ConstraintParseError';
  }
}

/** Thrown by a FormalismRegistry asked for an id it does not hold. */
export class UnknownFormalismError extends Error {
  constructor(
    readonly id: string,
    readonly known: readonly string[],
  ) {
    const list = known.length ? known.join(', ') : 'none registered';
    super(`unknown constraint formalism '${id}'; known formalisms: ${list}`);
    this.name = 'UnknownFormalismError';
  }
}
