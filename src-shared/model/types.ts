// The live objects type system (live-objects-model.md, eq. 2.1–2.6): value types, event
// types, constraints keyed by formalism, endpoint types τ = (I, O, C, C′) and object types
// Θ = (E, C, C′). This file holds only the shapes; the operations live beside it
// (matching.ts, subtyping.ts, formalisms/, catalogue.ts, environment.ts).

export type PrimitiveValueTypeName = 'String' | 'Int' | 'Double' | 'Bool' | 'Bytes' | 'Address' | 'Name';

export type ValueType =
  | { readonly kind: 'primitive'; readonly name: PrimitiveValueTypeName }
  /** Reference<Θ>: a serializable reference to an object of type ⊑ Θ. */
  | { readonly kind: 'reference'; readonly target: ObjectType };

/** A named event with its value types, e.g. item(Name, Reference<Object>). */
export interface EventType {
  readonly name: string;
  readonly params: readonly ValueType[];
}

/** A constraint parsed by its formalism. φ ⇒ φ′ is `φ′.isWeakerThan(φ)`. */
export interface Constraint {
  /** Id of the formalism that parsed it, e.g. `liveobjects.guarantees`. */
  readonly formalism: string;
  /** Canonical text, as the formalism writes it back. */
  readonly text: string;
  /** True when this constraint is implied by `other` (other ⇒ this). Same formalism only. */
  isWeakerThan(other: Constraint): boolean;
  /**
   * Optional: when `other` does not imply this constraint, a short phrase saying why
   * (e.g. "the closure of {best-effort} lacks reliable"), used in type-check reasons.
   */
  explainNotImpliedBy?(other: Constraint): string;
}

/** Context handed to a formalism while parsing (which endpoint, for error messages). */
export interface ConstraintContext {
  /** e.g. `endpoint type TickerFeed` or `object type Ticker`. */
  readonly where: string;
}

/** A pluggable constraint language (004:2430–2460). */
export interface Formalism {
  readonly id: string;
  /** Parses constraint text; throws an Error that says what was expected. */
  parse(text: string, context: ConstraintContext): Constraint;
}

/** A finite map formalism id → constraint (at most one constraint per formalism). */
export type Constraints = ReadonlyMap<string, Constraint>;

export interface EndpointType {
  /** Display name (`TickerFeed`, `Channel<Bytes>.channel`); not part of type identity. */
  readonly name: string;
  readonly in: readonly EventType[];
  readonly out: readonly EventType[];
  readonly provides: Constraints;
  readonly requires: Constraints;
}

export interface ObjectType {
  /** Display name (`Channel<Bytes>`); not part of type identity (typing is structural). */
  readonly name: string;
  readonly endpoints: ReadonlyMap<string, EndpointType>;
  readonly provides: Constraints;
  readonly requires: Constraints;
}

/** Outcome of a type check: ok, or every reason it failed, each a full sentence. */
export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly reasons: readonly string[] };

export const OK: CheckResult = { ok: true };

export function fail(...reasons: string[]): CheckResult {
  return { ok: false, reasons };
}

export function combine(...results: CheckResult[]): CheckResult {
  const reasons = results.flatMap((r) => (r.ok ? [] : r.reasons));
  return reasons.length === 0 ? OK : { ok: false, reasons };
}

/** Raised by dynamic checks (connect, cast, dereference); carries the reasons. */
export class TypeCheckError extends Error {
  constructor(
    readonly summary: string,
    readonly reasons: readonly string[],
  ) {
    super(reasons.length ? `${summary}: ${reasons.join('; ')}` : summary);
    this.name = 'TypeCheckError';
  }
}
