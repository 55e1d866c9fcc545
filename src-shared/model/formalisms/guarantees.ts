// `liveobjects.guarantees`: a library of named delivery/security predicates with known
// implications (004:2430–2460). A constraint is a set of words; φ ⇒ φ′ iff closure(φ) ⊇ φ′.
import type { Constraint, ConstraintContext, Formalism } from '../types';
import { ConstraintParseError } from './errors';

export const GUARANTEES = 'liveobjects.guarantees';

export const GUARANTEE_WORDS = [
  'best-effort',
  'reliable',
  'fifo',
  'causal',
  'total',
  'virtually-synchronous',
  'at-most-once',
  'authenticated',
  'encrypted',
] as const;

export type GuaranteeWord = (typeof GUARANTEE_WORDS)[number];

/** Direct implications; the closure is taken transitively. */
export const GUARANTEE_IMPLICATIONS: Readonly<Record<GuaranteeWord, readonly GuaranteeWord[]>> = {
  'best-effort': [],
  reliable: ['best-effort'],
  fifo: [],
  causal: ['fifo'],
  total: ['fifo'],
  'virtually-synchronous': ['reliable', 'fifo'],
  'at-most-once': [],
  authenticated: [],
  encrypted: [],
};

const VALID = new Set<string>(GUARANTEE_WORDS);

export function isGuaranteeWord(word: string): word is GuaranteeWord {
  return VALID.has(word);
}

/** Every word implied by `words` (including themselves). */
export function guaranteeClosure(words: Iterable<GuaranteeWord>): ReadonlySet<GuaranteeWord> {
  const closure = new Set<GuaranteeWord>();
  const todo = [...words];
  for (let w = todo.pop(); w !== undefined; w = todo.pop()) {
    if (closure.has(w)) continue;
    closure.add(w);
    todo.push(...GUARANTEE_IMPLICATIONS[w]);
  }
  return closure;
}

export class GuaranteesConstraint implements Constraint {
  readonly formalism = GUARANTEES;
  readonly text: string;
  readonly words: ReadonlySet<GuaranteeWord>;
  readonly closure: ReadonlySet<GuaranteeWord>;

  constructor(words: Iterable<GuaranteeWord>) {
    const sorted = [...new Set(words)].sort();
    this.words = new Set(sorted);
    this.closure = guaranteeClosure(sorted);
    this.text = sorted.join(' ');
  }

  isWeakerThan(other: Constraint): boolean {
    const o = asGuarantees(other);
    return o !== undefined && [...this.words].every((w) => o.closure.has(w));
  }

  explainNotImpliedBy(other: Constraint): string {
    const o = asGuarantees(other);
    if (!o) return `'${other.text}' is not a ${GUARANTEES} constraint`;
    const lacking = [...this.words].filter((w) => !o.closure.has(w));
    return `'${o.text}' implies only ${[...o.closure].sort().join(', ')}, not ${lacking.join(', ')}`;
  }
}

/** Accepts constraints of this formalism built elsewhere (e.g. by another registry instance). */
function asGuarantees(c: Constraint): GuaranteesConstraint | undefined {
  if (c instanceof GuaranteesConstraint) return c;
  if (c.formalism !== GUARANTEES) return undefined;
  try {
    return parseGuarantees(c.text, { where: 'constraint' });
  } catch {
    return undefined;
  }
}

const EXPECTED = `one or more words from ${GUARANTEE_WORDS.join(', ')}`;

export function parseGuarantees(text: string, context: ConstraintContext): GuaranteesConstraint {
  const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
  const fail = (detail: string): never => {
    throw new ConstraintParseError(GUARANTEES, text, EXPECTED, detail, context);
  };
  if (tokens.length === 0) fail(`no guarantee given; expected ${EXPECTED}`);
  const words: GuaranteeWord[] = [];
  for (const t of tokens) {
    if (isGuaranteeWord(t)) {
      words.push(t);
      continue;
    }
    const hint = isGuaranteeWord(t.toLowerCase()) ? ` (did you mean '${t.toLowerCase()}'?)` : '';
    fail(`unknown guarantee '${t}'${hint}; valid words are ${GUARANTEE_WORDS.join(', ')}`);
  }
  return new GuaranteesConstraint(words);
}

export const guaranteesFormalism: Formalism = { id: GUARANTEES, parse: parseGuarantees };
