// Subtyping (live-objects-model.md, eq. 2.4–2.6) and the relations it is built from:
// value subtyping, event-set inclusion ⊑* and constraint implication ⇒*. Every check returns
// a CheckResult whose reasons are sentences naming the endpoint, event or constraint at fault.
import { formatConstraint, formatEventType, formatObjectTypeName, formatValueType } from './describe';
import { isTopObjectType } from './build';
import { eventList, sides, type CheckLabels } from './labels';
import { combine, fail, OK } from './types';
import type {
  CheckResult,
  Constraint,
  Constraints,
  EndpointType,
  EventType,
  ObjectType,
  ValueType,
} from './types';

/** Primitives are subtypes only of themselves; Reference<Θ1> ⊑ Reference<Θ2> iff Θ1 ⊑ Θ2. */
export function isValueSubtype(a: ValueType, b: ValueType): CheckResult {
  if (a.kind === 'primitive' && b.kind === 'primitive')
    return a.name === b.name ? OK : fail(`${a.name} is not ${b.name}; primitive value types must be equal`);
  if (a.kind === 'reference' && b.kind === 'reference') {
    const r = isObjectSubtype(a.target, b.target);
    return r.ok
      ? OK
      : fail(
          `${formatValueType(a)} is not a subtype of ${formatValueType(b)}, because ${r.reasons.join('; ')}`,
        );
  }
  const what = (v: ValueType): string => (v.kind === 'primitive' ? 'a primitive value' : 'a reference');
  return fail(`${formatValueType(a)} is ${what(a)} but ${formatValueType(b)} is ${what(b)}`);
}

/** Why event `a` does not fit `b` (same name assumed), or undefined when a ⊑ b. */
export function eventMismatch(a: EventType, b: EventType): string | undefined {
  if (a.params.length !== b.params.length)
    return `it carries ${a.params.length} value(s) but '${formatEventType(b)}' carries ${b.params.length}`;
  const faults: string[] = [];
  a.params.forEach((pa, i) => {
    const pb = b.params[i]!;
    const r =
      pa.kind === 'reference' && pb.kind === 'reference'
        ? isObjectSubtype(pa.target, pb.target)
        : isValueSubtype(pa, pb);
    if (r.ok) return;
    const because =
      pa.kind === 'reference' && pb.kind === 'reference' ? ` (because ${r.reasons.join('; ')})` : '';
    faults.push(
      `value ${i + 1} is ${formatValueType(pa)} where ${formatValueType(pb)} is expected${because}`,
    );
  });
  return faults.length ? faults.join(', and ') : undefined;
}

export type EventFault =
  | { readonly kind: 'missing'; readonly event: EventType }
  | {
      readonly kind: 'mismatch';
      readonly event: EventType;
      readonly counterpart: EventType;
      readonly detail: string;
    };

/** The events of `from` with no counterpart in `into` (the failures of from ⊑* into). */
export function eventSetFaults(from: readonly EventType[], into: readonly EventType[]): EventFault[] {
  const faults: EventFault[] = [];
  for (const event of from) {
    const candidates = into.filter((e) => e.name === event.name);
    if (candidates.length === 0) {
      faults.push({ kind: 'missing', event });
      continue;
    }
    const details = candidates.map((c) => eventMismatch(event, c));
    if (details.includes(undefined)) continue;
    faults.push({ kind: 'mismatch', event, counterpart: candidates[0]!, detail: details[0]! });
  }
  return faults;
}

export interface ConstraintFault {
  readonly formalism: string;
  /** The constraint that should be implied. */
  readonly wanted: Constraint;
  /** The constraint of that formalism on the other side, if any. */
  readonly have?: Constraint;
  /** The formalism's own explanation, when it gives one. */
  readonly why?: string;
}

/** The failures of have ⇒* want: every (a, φ′) ∈ want needs (a, φ) ∈ have with φ ⇒ φ′. */
export function constraintFaults(have: Constraints, want: Constraints): ConstraintFault[] {
  const faults: ConstraintFault[] = [];
  for (const [formalism, wanted] of want) {
    const got = have.get(formalism);
    if (!got) faults.push({ formalism, wanted });
    else if (!wanted.isWeakerThan(got))
      faults.push({ formalism, wanted, have: got, why: wanted.explainNotImpliedBy?.(got) });
  }
  return faults;
}

/** E ⊑* E′ on its own, with neutral wording. */
export function isEventSetSubtype(e: readonly EventType[], e2: readonly EventType[]): CheckResult {
  const reasons = eventSetFaults(e, e2).map((f) =>
    f.kind === 'missing'
      ? `event '${formatEventType(f.event)}' has no counterpart; ${e2.length ? `there are only ${eventList(e2)}` : 'there are no events'}`
      : `event '${formatEventType(f.event)}' does not fit '${formatEventType(f.counterpart)}': ${f.detail}`,
  );
  return reasons.length ? fail(...reasons) : OK;
}

/** C ⇒* C′ on its own, with neutral wording. */
export function constraintsImply(c: Constraints, c2: Constraints): CheckResult {
  const reasons = constraintFaults(c, c2).map((f) =>
    f.have
      ? `${formatConstraint(f.wanted)} is not implied by '${f.have.text}'${f.why ? ` (${f.why})` : ''}`
      : `${formatConstraint(f.wanted)} is required but nothing is given in that formalism`,
  );
  return reasons.length ? fail(...reasons) : OK;
}

/** `but 'X' provides only 'best-effort', which does not imply it (…)` / `but 'X' provides nothing…`. */
export function shortfall(f: ConstraintFault, side: string, verb: 'provides' | 'requires'): string {
  if (!f.have) return `but ${side} ${verb} nothing in that formalism`;
  return `but ${side} ${verb} only '${f.have.text}', which does not imply it${f.why ? ` (${f.why})` : ''}`;
}

/**
 * τ1 ⊑ τ2 (eq. 2.4): O1 ⊑* O2 ∧ I2 ⊑* I1 ∧ C1 ⇒* C2 ∧ C2′ ⇒* C1′ — no more outputs, no
 * fewer inputs, guarantees no weaker, requirements no stronger.
 */
export function isEndpointSubtype(t1: EndpointType, t2: EndpointType, labels: CheckLabels = {}): CheckResult {
  if (t1 === t2) return OK;
  const {
    prefix: p,
    left: l,
    right: r,
  } = sides(labels, t1.name, t2.name, ['the first type', 'the second type']);
  const reasons: string[] = [];
  for (const f of eventSetFaults(t1.out, t2.out)) {
    const ev = formatEventType(f.event);
    reasons.push(
      f.kind === 'missing'
        ? `${p}${l} emits output event '${ev}', which ${r} does not emit (${r} emits ${t2.out.length ? `only ${eventList(t2.out)}` : 'no events'}), so a peer of ${r} would not understand it`
        : `${p}output event '${ev}' of ${l} does not fit output '${formatEventType(f.counterpart)}' of ${r}: ${f.detail}`,
    );
  }
  for (const f of eventSetFaults(t2.in, t1.in)) {
    const ev = formatEventType(f.event);
    reasons.push(
      f.kind === 'missing'
        ? `${p}${l} does not accept input event '${ev}', which ${r} accepts (${l} accepts ${t1.in.length ? `only ${eventList(t1.in)}` : 'no events'})`
        : `${p}input event '${ev}' accepted by ${r} does not fit input '${formatEventType(f.counterpart)}' of ${l}: ${f.detail}`,
    );
  }
  for (const f of constraintFaults(t1.provides, t2.provides))
    reasons.push(`${p}${r} provides ${formatConstraint(f.wanted)}, ${shortfall(f, l, 'provides')}`);
  for (const f of constraintFaults(t2.requires, t1.requires))
    reasons.push(
      `${p}${l} requires ${formatConstraint(f.wanted)}, ${shortfall(f, r, 'requires')}, so ${l} asks more of its peer than ${r} does`,
    );
  return reasons.length ? fail(...reasons) : OK;
}

/**
 * Θ1 ⊑ Θ2 (eq. 2.5–2.6): every endpoint (n, τ2) of Θ2 has (n, τ1) in Θ1 with τ1 ⊑ τ2, and
 * C1 ⇒* C2, C2′ ⇒* C1′. `Object` (the empty type) is the top: Θ ⊑ Object for every Θ, even
 * one with requirements, and Object is a subtype only of Object (which keeps ⊑ transitive).
 */
export function isObjectSubtype(o1: ObjectType, o2: ObjectType, labels: CheckLabels = {}): CheckResult {
  if (o1 === o2 || isTopObjectType(o2)) return OK;
  const n1 = formatObjectTypeName(o1);
  const n2 = formatObjectTypeName(o2);
  const { prefix: p, left: l, right: r } = sides(labels, n1, n2, ['the first type', 'the second type']);
  const results: CheckResult[] = [];
  for (const [name, t2] of o2.endpoints) {
    const t1 = o1.endpoints.get(name);
    if (!t1) {
      const has = o1.endpoints.size
        ? `it has only ${[...o1.endpoints.keys()].map((n) => `'${n}'`).join(', ')}`
        : 'it has none';
      results.push(fail(`${p}${l} has no endpoint '${name}', which ${r} has (${has})`));
      continue;
    }
    results.push(
      isEndpointSubtype(t1, t2, { endpoint: name, left: labels.left ?? n1, right: labels.right ?? n2 }),
    );
  }
  const reasons: string[] = [];
  for (const f of constraintFaults(o1.provides, o2.provides))
    reasons.push(
      `${p}${r} provides ${formatConstraint(f.wanted)} as an object, ${shortfall(f, l, 'provides')}`,
    );
  for (const f of constraintFaults(o2.requires, o1.requires))
    reasons.push(
      `${p}${l} requires ${formatConstraint(f.wanted)} as an object, ${shortfall(f, r, 'requires')}, so ${l} asks more of its environment than ${r} does`,
    );
  const result = combine(...results, reasons.length ? fail(...reasons) : OK);
  if (result.ok && isTopObjectType(o1))
    return fail(
      `${p}${l} is Object, the top type, which is a subtype only of Object, and ${r} is not Object`,
    );
  return result;
}
