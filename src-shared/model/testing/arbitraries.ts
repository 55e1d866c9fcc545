// fast-check arbitraries for random types, plus derivations of guaranteed subtypes and
// supertypes (used to test transitivity and the matching/subtyping interplay, which random
// pairs alone would rarely exercise).
import fc from 'fast-check';
import { dualEndpointType, endpointType, objectType, primitive, reference } from '../build';
import { CountConstraint } from '../formalisms/count';
import { COUNT } from '../formalisms/count';
import {
  GUARANTEE_WORDS,
  GUARANTEES,
  GuaranteesConstraint,
  guaranteeClosure,
} from '../formalisms/guarantees';
import type { GuaranteeWord } from '../formalisms/guarantees';
import type { Constraint, Constraints, EndpointType, EventType, ObjectType, ValueType } from '../types';

type Gen = fc.GeneratorValue;

export const EVENT_NAMES = ['a', 'b', 'c', 'd'] as const;
export const ENDPOINT_NAMES = ['x', 'y', 'z'] as const;
const PRIMS = ['String', 'Int', 'Bytes', 'Name'] as const;

export const guaranteesArb: fc.Arbitrary<GuaranteesConstraint> = fc
  .subarray([...GUARANTEE_WORDS], { minLength: 1 })
  .map((w) => new GuaranteesConstraint(w));

export const countArb: fc.Arbitrary<CountConstraint> = fc
  .tuple(fc.option(fc.nat(4), { nil: undefined }), fc.option(fc.nat(4), { nil: undefined }))
  .filter(
    ([lo, hi]) =>
      (lo !== undefined || hi !== undefined) && (lo === undefined || hi === undefined || lo <= hi),
  )
  .map(([lo, hi]) => new CountConstraint(lo, hi));

export const constraintsArb: fc.Arbitrary<Constraints> = fc
  .record({ g: fc.option(guaranteesArb, { nil: undefined }), c: fc.option(countArb, { nil: undefined }) })
  .map(({ g, c }) => {
    const m = new Map<string, Constraint>();
    if (g) m.set(g.formalism, g);
    if (c) m.set(c.formalism, c);
    return m;
  });

const { valueType, objectTypeArb } = fc.letrec<{ valueType: ValueType; objectTypeArb: ObjectType }>(
  (tie) => ({
    valueType: fc.oneof(
      { depthSize: 'small', maxDepth: 2, withCrossShrink: true },
      fc.constantFrom(...PRIMS).map(primitive),
      tie('objectTypeArb').map((t) => reference(t as ObjectType)),
    ),
    objectTypeArb: fc
      .record({
        endpoints: fc.uniqueArray(
          fc.tuple(
            fc.constantFrom(...ENDPOINT_NAMES),
            endpointOf(tie('valueType') as fc.Arbitrary<ValueType>),
          ),
          { maxLength: 2, selector: ([n]) => n },
        ),
        provides: constraintsArb,
        requires: constraintsArb,
      })
      .map((r) => objectType({ name: 'Θ', ...r })),
  }),
);

function eventsOf(value: fc.Arbitrary<ValueType>): fc.Arbitrary<EventType[]> {
  return fc.uniqueArray(
    fc.record({ name: fc.constantFrom(...EVENT_NAMES), params: fc.array(value, { maxLength: 2 }) }),
    { maxLength: 3, selector: (e) => e.name },
  );
}

function endpointOf(value: fc.Arbitrary<ValueType>): fc.Arbitrary<EndpointType> {
  return fc
    .record({ in: eventsOf(value), out: eventsOf(value), provides: constraintsArb, requires: constraintsArb })
    .map((r) => endpointType({ name: 'τ', ...r }));
}

export const valueTypeArb: fc.Arbitrary<ValueType> = valueType;
export const endpointTypeArb: fc.Arbitrary<EndpointType> = endpointOf(valueType);
export const objectTypeArbitrary: fc.Arbitrary<ObjectType> = objectTypeArb;

// ---- derivations: sub/super types by construction (eq. 2.4–2.6 read backwards) ----

const pickSubset = <T>(g: Gen, items: readonly T[]): T[] => items.filter(() => g(fc.boolean));

/** A constraint implying `c` (stronger or equal). */
function stronger(g: Gen, c: Constraint): Constraint {
  if (c instanceof GuaranteesConstraint)
    return new GuaranteesConstraint([...c.words, ...pickSubset(g, GUARANTEE_WORDS)]);
  if (c instanceof CountConstraint) {
    const hi = c.atMost === undefined ? undefined : c.atMost - g(fc.nat, c.atMost);
    const lo = c.atLeast === undefined ? undefined : c.atLeast + g(fc.nat, 2);
    return lo !== undefined && hi !== undefined && lo > hi ? c : new CountConstraint(lo, hi);
  }
  return c;
}

/** A constraint implied by `c` (weaker or equal), or undefined (dropped). */
function weaker(g: Gen, c: Constraint): Constraint | undefined {
  if (g(fc.boolean) && g(fc.boolean)) return undefined;
  if (c instanceof GuaranteesConstraint) {
    const words = pickSubset(g, [...guaranteeClosure(c.words)] as GuaranteeWord[]);
    return words.length ? new GuaranteesConstraint(words) : c;
  }
  if (c instanceof CountConstraint) {
    const hi = c.atMost === undefined ? undefined : g(fc.boolean) ? undefined : c.atMost + g(fc.nat, 2);
    const lo = c.atLeast === undefined ? undefined : c.atLeast - g(fc.nat, c.atLeast);
    return lo === undefined && hi === undefined ? c : new CountConstraint(lo, hi);
  }
  return c;
}

const guaranteesFactory = (): fc.Arbitrary<GuaranteesConstraint> => guaranteesArb;
const countFactory = (): fc.Arbitrary<CountConstraint> => countArb;
const endpointFactory = (): fc.Arbitrary<EndpointType> => endpointTypeArb;

function strongerSet(g: Gen, cs: Constraints): Constraints {
  const m = new Map<string, Constraint>();
  for (const [k, c] of cs) m.set(k, stronger(g, c));
  if (!m.has(GUARANTEES) && g(fc.boolean)) m.set(GUARANTEES, g(guaranteesFactory));
  if (!m.has(COUNT) && g(fc.boolean)) m.set(COUNT, g(countFactory));
  return m;
}

function weakerSet(g: Gen, cs: Constraints): Constraints {
  const m = new Map<string, Constraint>();
  for (const [k, c] of cs) {
    const w = weaker(g, c);
    if (w) m.set(k, w);
  }
  return m;
}

function subValue(g: Gen, v: ValueType): ValueType {
  return v.kind === 'reference' ? reference(subObject(g, v.target)) : v;
}

function superValue(g: Gen, v: ValueType): ValueType {
  return v.kind === 'reference' ? reference(superObject(g, v.target)) : v;
}

const mapParams = (e: EventType, f: (v: ValueType) => ValueType): EventType => ({
  name: e.name,
  params: e.params.map(f),
});

const extraParamsArb = (): fc.Arbitrary<ValueType[]> => fc.array(valueTypeArb, { maxLength: 1 });

function extraEvents(g: Gen, present: readonly EventType[]): EventType[] {
  const free = EVENT_NAMES.filter((n) => !present.some((e) => e.name === n));
  return pickSubset(g, free).map((name) => ({ name, params: g(extraParamsArb) }));
}

/** τ′ ⊑ τ: fewer outputs (narrower values), more inputs (wider values), stronger C, weaker C′. */
export function subEndpoint(g: Gen, t: EndpointType): EndpointType {
  return endpointType({
    name: 'sub',
    out: pickSubset(g, t.out).map((e) => mapParams(e, (v) => subValue(g, v))),
    in: [...t.in.map((e) => mapParams(e, (v) => superValue(g, v))), ...extraEvents(g, t.in)],
    provides: strongerSet(g, t.provides),
    requires: weakerSet(g, t.requires),
  });
}

/** τ ⊑ τ′. */
export function superEndpoint(g: Gen, t: EndpointType): EndpointType {
  return endpointType({
    name: 'super',
    out: [...t.out.map((e) => mapParams(e, (v) => superValue(g, v))), ...extraEvents(g, t.out)],
    in: pickSubset(g, t.in).map((e) => mapParams(e, (v) => subValue(g, v))),
    provides: weakerSet(g, t.provides),
    requires: strongerSet(g, t.requires),
  });
}

/** Θ′ ⊑ Θ: more endpoints, each a subtype, stronger C, weaker C′ (never the empty Object unless Θ is). */
export function subObject(g: Gen, t: ObjectType): ObjectType {
  const endpoints = new Map<string, EndpointType>();
  for (const [n, ep] of t.endpoints) endpoints.set(n, subEndpoint(g, ep));
  for (const n of ENDPOINT_NAMES)
    if (!endpoints.has(n) && g(fc.boolean)) endpoints.set(n, g(endpointFactory));
  const provides = strongerSet(g, t.provides);
  const requires = weakerSet(g, t.requires);
  const isEmpty = endpoints.size === 0 && provides.size === 0 && requires.size === 0;
  // Object (empty) is a subtype only of Object: keep the requirements rather than become it.
  return objectType({ name: 'sub', endpoints, provides, requires: isEmpty ? t.requires : requires });
}

/** Θ ⊑ Θ′: fewer endpoints, each a supertype, weaker C, stronger C′; Object is above everything. */
export function superObject(g: Gen, t: ObjectType): ObjectType {
  const isEmpty = t.endpoints.size === 0 && t.provides.size === 0 && t.requires.size === 0;
  if (isEmpty) return objectType({ name: 'super' });
  const endpoints = new Map<string, EndpointType>();
  for (const [n, ep] of t.endpoints) if (g(fc.boolean)) endpoints.set(n, superEndpoint(g, ep));
  return objectType({
    name: 'super',
    endpoints,
    provides: weakerSet(g, t.provides),
    requires: strongerSet(g, t.requires),
  });
}

/** An endpoint type that matches `t`, by construction: a subtype of its dual. */
export function matchingEndpoint(g: Gen, t: EndpointType): EndpointType {
  return subEndpoint(g, dualEndpointType(t));
}

// ---- deep copies, so reflexivity is not decided by the identity fast path ----

const cloneConstraints = (cs: Constraints): Constraints =>
  new Map(
    [...cs].map(([k, c]): [string, Constraint] => [
      k,
      c instanceof CountConstraint
        ? new CountConstraint(c.atLeast, c.atMost)
        : new GuaranteesConstraint((c as GuaranteesConstraint).words),
    ]),
  );
const cloneValue = (v: ValueType): ValueType =>
  v.kind === 'reference' ? reference(cloneObject(v.target)) : primitive(v.name);
const cloneEvents = (es: readonly EventType[]): EventType[] =>
  es.map((e) => ({ name: e.name, params: e.params.map(cloneValue) }));

export function cloneEndpoint(t: EndpointType): EndpointType {
  return endpointType({
    name: t.name,
    in: cloneEvents(t.in),
    out: cloneEvents(t.out),
    provides: cloneConstraints(t.provides),
    requires: cloneConstraints(t.requires),
  });
}

export function cloneObject(t: ObjectType): ObjectType {
  return objectType({
    name: t.name,
    endpoints: [...t.endpoints].map(([n, ep]): [string, EndpointType] => [n, cloneEndpoint(ep)]),
    provides: cloneConstraints(t.provides),
    requires: cloneConstraints(t.requires),
  });
}
