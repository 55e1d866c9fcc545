// Formalisms are pluggable (004:2430–2460): a registry maps ids to parsers. Libraries add
// their own with register(); the default registry holds the two built-ins.
import type { Constraint, ConstraintContext, Formalism } from '../types';
import { countFormalism } from './count';
import { UnknownFormalismError } from './errors';
import { guaranteesFormalism } from './guarantees';

export class FormalismRegistry {
  readonly #byId = new Map<string, Formalism>();

  constructor(formalisms: Iterable<Formalism> = []) {
    for (const f of formalisms) this.register(f);
  }

  /** Adds a formalism; re-registering the same object is a no-op, a different one with the same id an error. */
  register(formalism: Formalism): this {
    if (!/^[A-Za-z0-9_.-]+$/.test(formalism.id))
      throw new Error(`formalism id '${formalism.id}' is not a dotted name (letters, digits, '.', '-', '_')`);
    const existing = this.#byId.get(formalism.id);
    if (existing && existing !== formalism)
      throw new Error(`a different formalism with id '${formalism.id}' is already registered`);
    this.#byId.set(formalism.id, formalism);
    return this;
  }

  get(id: string): Formalism | undefined {
    return this.#byId.get(id);
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Registered ids, sorted. */
  ids(): string[] {
    return [...this.#byId.keys()].sort();
  }

  /** Parses `text` with formalism `id`; throws UnknownFormalismError listing the known ids. */
  parseConstraint(id: string, text: string, context: ConstraintContext): Constraint {
    const formalism = this.#byId.get(id);
    if (!formalism) throw new UnknownFormalismError(id, this.ids());
    const constraint = formalism.parse(text, context);
    if (constraint.formalism !== id)
      throw new Error(`formalism '${id}' returned a constraint of formalism '${constraint.formalism}'`);
    return constraint;
  }
}

export const BUILTIN_FORMALISMS: readonly Formalism[] = [guaranteesFormalism, countFormalism];

/** A fresh registry holding the built-ins, for callers that want to add formalisms privately. */
export function createFormalismRegistry(): FormalismRegistry {
  return new FormalismRegistry(BUILTIN_FORMALISMS);
}

/** The process-wide registry: built-ins plus whatever loaded libraries register. */
export const defaultFormalismRegistry: FormalismRegistry = createFormalismRegistry();
