// Property tests of the relations (eq. 2.1–2.6) over random endpoint and object types.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dualEndpointType, objectType, isTopObjectType } from './build';
import { OBJECT } from './catalogue';
import { GUARANTEE_WORDS, GuaranteesConstraint, guaranteeClosure } from './formalisms/guarantees';
import { matchEndpoints } from './matching';
import { isEndpointSubtype, isObjectSubtype, isValueSubtype } from './subtyping';
import {
  ENDPOINT_NAMES,
  cloneEndpoint,
  cloneObject,
  endpointTypeArb,
  guaranteesArb,
  matchingEndpoint,
  objectTypeArbitrary,
  subEndpoint,
  subObject,
  superEndpoint,
  superObject,
  valueTypeArb,
} from './testing/arbitraries';
import type { CheckResult, ObjectType } from './types';

const RUNS = { numRuns: 150 };

/** A failed check always says why, in non-empty sentences. */
function explained(r: CheckResult): boolean {
  return r.ok || (r.reasons.length >= 1 && r.reasons.every((s) => s.trim().length > 10));
}

describe('subtyping ⊑', () => {
  it('is reflexive on endpoints (structural copies, not identity)', () => {
    fc.assert(
      fc.property(endpointTypeArb, (t) => isEndpointSubtype(t, cloneEndpoint(t)).ok),
      RUNS,
    );
  });

  it('is reflexive on objects', () => {
    fc.assert(
      fc.property(objectTypeArbitrary, (t) => isObjectSubtype(t, cloneObject(t)).ok),
      RUNS,
    );
  });

  it('is reflexive on value types', () => {
    fc.assert(
      fc.property(valueTypeArb, (v) => isValueSubtype(v, v).ok),
      RUNS,
    );
  });

  it('holds for derived subtypes and supertypes (endpoints)', () => {
    fc.assert(
      fc.property(endpointTypeArb, fc.gen(), (t, g) => {
        const sub = isEndpointSubtype(subEndpoint(g, t), t);
        const sup = isEndpointSubtype(t, superEndpoint(g, t));
        return sub.ok && sup.ok;
      }),
      RUNS,
    );
  });

  it('holds for derived subtypes and supertypes (objects)', () => {
    fc.assert(
      fc.property(objectTypeArbitrary, fc.gen(), (t, g) => {
        return isObjectSubtype(subObject(g, t), t).ok && isObjectSubtype(t, superObject(g, t)).ok;
      }),
      RUNS,
    );
  });

  it('is transitive on endpoints (derived chains)', () => {
    fc.assert(
      fc.property(endpointTypeArb, fc.gen(), (t3, g) => {
        const t2 = subEndpoint(g, t3);
        const t1 = subEndpoint(g, t2);
        return isEndpointSubtype(t1, t3).ok;
      }),
      RUNS,
    );
  });

  it('is transitive on objects (derived chains, both directions)', () => {
    fc.assert(
      fc.property(objectTypeArbitrary, fc.gen(), (t2, g) => {
        const t1 = subObject(g, t2);
        const t3 = superObject(g, t2);
        return isObjectSubtype(t1, t3).ok;
      }),
      RUNS,
    );
  });

  it('is transitive on mixed random/derived triples whenever its premises hold', () => {
    fc.assert(
      fc.property(objectTypeArbitrary, objectTypeArbitrary, objectTypeArbitrary, fc.gen(), (ra, b, rc, g) => {
        const a = g(fc.boolean) ? subObject(g, b) : ra;
        const c = g(fc.boolean) ? superObject(g, b) : rc;
        fc.pre(isObjectSubtype(a, b).ok && isObjectSubtype(b, c).ok);
        return isObjectSubtype(a, c).ok;
      }),
      { numRuns: 100 },
    );
  });

  it('puts every object type under Object', () => {
    fc.assert(
      fc.property(objectTypeArbitrary, (t) => isObjectSubtype(t, OBJECT).ok),
      RUNS,
    );
  });

  it('is preserved by adding endpoints to the subtype', () => {
    fc.assert(
      fc.property(objectTypeArbitrary, fc.gen(), endpointTypeArb, (t2, g, extra) => {
        const t1 = subObject(g, t2);
        const name = `extra_${ENDPOINT_NAMES.join('')}`;
        const bigger = objectType({ ...t1, name: 'bigger', endpoints: [...t1.endpoints, [name, extra]] });
        return isObjectSubtype(bigger, t2).ok;
      }),
      RUNS,
    );
  });

  it('explains every failure', () => {
    fc.assert(
      fc.property(objectTypeArbitrary, objectTypeArbitrary, (a, b) => explained(isObjectSubtype(a, b))),
      RUNS,
    );
    fc.assert(
      fc.property(endpointTypeArb, endpointTypeArb, (a, b) => explained(isEndpointSubtype(a, b))),
      RUNS,
    );
  });
});

describe('matching ∝', () => {
  it('is symmetric on random pairs and on constructed matches', () => {
    fc.assert(
      fc.property(endpointTypeArb, endpointTypeArb, fc.gen(), (a, b, g) => {
        const m = matchingEndpoint(g, a);
        return (
          matchEndpoints(a, b).ok === matchEndpoints(b, a).ok &&
          matchEndpoints(a, m).ok === matchEndpoints(m, a).ok
        );
      }),
      RUNS,
    );
  });

  it('matches every endpoint type with its dual', () => {
    fc.assert(
      fc.property(endpointTypeArb, (t) => matchEndpoints(t, dualEndpointType(t)).ok),
      RUNS,
    );
  });

  it('is inherited by subtypes: τ1 ⊑ τ2 ∧ τ2 ∝ τ ⇒ τ1 ∝ τ', () => {
    fc.assert(
      fc.property(endpointTypeArb, fc.gen(), (t2, g) => {
        const t = matchingEndpoint(g, t2);
        const t1 = subEndpoint(g, t2);
        return matchEndpoints(t2, t).ok && isEndpointSubtype(t1, t2).ok && matchEndpoints(t1, t).ok;
      }),
      RUNS,
    );
  });

  it('is inherited by subtypes on mixed random/derived endpoints whenever its premises hold', () => {
    fc.assert(
      fc.property(endpointTypeArb, endpointTypeArb, fc.gen(), (t2, r1, g) => {
        const t1 = g(fc.boolean) ? subEndpoint(g, t2) : r1;
        const t = g(fc.boolean) ? matchingEndpoint(g, t2) : superEndpoint(g, dualEndpointType(t2));
        fc.pre(isEndpointSubtype(t1, t2).ok && matchEndpoints(t2, t).ok);
        return matchEndpoints(t1, t).ok;
      }),
      { numRuns: 100 },
    );
  });

  it('explains every failure', () => {
    fc.assert(
      fc.property(endpointTypeArb, endpointTypeArb, (a, b) => explained(matchEndpoints(a, b))),
      RUNS,
    );
  });
});

describe('liveobjects.guarantees implication', () => {
  const implies = (a: GuaranteesConstraint, b: GuaranteesConstraint): boolean => b.isWeakerThan(a);

  it('is φ ⇒ φ′ iff closure(φ) ⊇ φ′', () => {
    fc.assert(
      fc.property(guaranteesArb, guaranteesArb, (a, b) => {
        const closure = guaranteeClosure(a.words);
        return implies(a, b) === [...b.words].every((w) => closure.has(w));
      }),
    );
  });

  it('is reflexive and transitive', () => {
    fc.assert(
      fc.property(guaranteesArb, guaranteesArb, guaranteesArb, (a, b, c) => {
        if (!implies(a, a)) return false;
        return !(implies(a, b) && implies(b, c)) || implies(a, c);
      }),
    );
  });

  it('makes a set equivalent to its closure, and supersets imply subsets', () => {
    fc.assert(
      fc.property(guaranteesArb, fc.subarray([...GUARANTEE_WORDS]), (a, extra) => {
        const closure = new GuaranteesConstraint(guaranteeClosure(a.words));
        const superset = new GuaranteesConstraint([...a.words, ...extra]);
        return implies(a, closure) && implies(closure, a) && implies(superset, a);
      }),
    );
  });

  it('closure is idempotent and contains the set', () => {
    fc.assert(
      fc.property(guaranteesArb, (a) => {
        const c1 = guaranteeClosure(a.words);
        const c2 = guaranteeClosure(c1);
        return [...a.words].every((w) => c1.has(w)) && c1.size === c2.size;
      }),
    );
  });
});

it('arbitraries produce non-trivial types', () => {
  const samples = fc.sample(objectTypeArbitrary, 200);
  expect(samples.some((t) => !isTopObjectType(t))).toBe(true);
  expect(samples.some((t) => [...t.endpoints.values()].some((e) => e.in.length + e.out.length > 0))).toBe(
    true,
  );
  const nested = (t: ObjectType): boolean =>
    [...t.endpoints.values()].some((e) =>
      [...e.in, ...e.out].some((ev) =>
        ev.params.some((p) => p.kind === 'reference' && p.target.endpoints.size > 0),
      ),
    );
  expect(samples.some(nested)).toBe(true);
});
