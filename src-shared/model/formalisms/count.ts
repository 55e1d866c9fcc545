// `liveobjects.count`: bounds on how many endpoint instances are connected. `at-most K`,
// `at-least K`, or both (`at-least 1 at-most 3`, so a single constraint can state a range,
// since a Constraints map holds one constraint per formalism).
import type { Constraint, ConstraintContext, Formalism } from '../types';
import { ConstraintParseError } from './errors';

export const COUNT = 'liveobjects.count';

export class CountConstraint implements Constraint {
  readonly formalism = COUNT;
  readonly text: string;

  constructor(
    readonly atLeast: number | undefined,
    readonly atMost: number | undefined,
  ) {
    const parts: string[] = [];
    if (atLeast !== undefined) parts.push(`at-least ${atLeast}`);
    if (atMost !== undefined) parts.push(`at-most ${atMost}`);
    this.text = parts.join(' ');
  }

  /** other ⇒ this: each bound here is matched by a bound in `other` at least as tight. */
  isWeakerThan(other: Constraint): boolean {
    const o = asCount(other);
    if (!o) return false;
    const maxOk = this.atMost === undefined || (o.atMost !== undefined && o.atMost <= this.atMost);
    const minOk = this.atLeast === undefined || (o.atLeast !== undefined && o.atLeast >= this.atLeast);
    return maxOk && minOk;
  }

  explainNotImpliedBy(other: Constraint): string {
    const o = asCount(other);
    if (!o) return `'${other.text}' is not a ${COUNT} constraint`;
    const why: string[] = [];
    if (this.atMost !== undefined && !(o.atMost !== undefined && o.atMost <= this.atMost))
      why.push(o.atMost === undefined ? 'it sets no upper bound' : `it allows up to ${o.atMost}`);
    if (this.atLeast !== undefined && !(o.atLeast !== undefined && o.atLeast >= this.atLeast))
      why.push(o.atLeast === undefined ? 'it sets no lower bound' : `it allows as few as ${o.atLeast}`);
    return why.join(' and ');
  }
}

function asCount(c: Constraint): CountConstraint | undefined {
  if (c instanceof CountConstraint) return c;
  if (c.formalism !== COUNT) return undefined;
  try {
    return parseCount(c.text, { where: 'constraint' });
  } catch {
    return undefined;
  }
}

const EXPECTED = "'at-most K', 'at-least K' or both, K a non-negative integer";

export function parseCount(text: string, context: ConstraintContext): CountConstraint {
  const fail = (detail: string): never => {
    throw new ConstraintParseError(COUNT, text, EXPECTED, detail, context);
  };
  const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
  if (tokens.length === 0) fail(`empty constraint; expected ${EXPECTED}`);
  let atLeast: number | undefined;
  let atMost: number | undefined;
  for (let i = 0; i < tokens.length; i += 2) {
    const keyword = tokens[i]!;
    const k = tokens[i + 1];
    if (keyword !== 'at-most' && keyword !== 'at-least')
      fail(`unexpected '${keyword}'; expected 'at-most' or 'at-least'`);
    if (k === undefined) return fail(`'${keyword}' needs a number; expected ${EXPECTED}`);
    if (!/^\d+$/.test(k) || !Number.isSafeInteger(Number(k)))
      fail(`'${k}' is not a non-negative integer; expected ${EXPECTED}`);
    const n = Number(k);
    if ((keyword === 'at-most' ? atMost : atLeast) !== undefined) fail(`'${keyword}' is given twice`);
    if (keyword === 'at-most') atMost = n;
    else atLeast = n;
  }
  if (atLeast !== undefined && atMost !== undefined && atLeast > atMost)
    fail(`at-least ${atLeast} and at-most ${atMost} leave no possible count`);
  return new CountConstraint(atLeast, atMost);
}

export const countFormalism: Formalism = { id: COUNT, parse: parseCount };
