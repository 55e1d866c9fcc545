import { describe, expect, it } from 'vitest';
import type { Constraint, Formalism } from '../types';
import { parseCount, COUNT, CountConstraint } from './count';
import { ConstraintParseError, UnknownFormalismError } from './errors';
import { GUARANTEES, guaranteeClosure, parseGuarantees } from './guarantees';
import { createFormalismRegistry, defaultFormalismRegistry, FormalismRegistry } from './registry';

const ctx = { where: "endpoint type 'Feed'" };
const g = (text: string): Constraint => parseGuarantees(text, ctx);
const n = (text: string): Constraint => parseCount(text, ctx);
/** φ ⇒ φ′ */
const implies = (a: Constraint, b: Constraint): boolean => b.isWeakerThan(a);

describe('liveobjects.guarantees', () => {
  it('writes the canonical text as sorted, de-duplicated words', () => {
    expect(g('reliable  fifo, reliable').text).toBe('fifo reliable');
    expect(g('total').formalism).toBe(GUARANTEES);
  });

  it('closes under the implications', () => {
    expect([...guaranteeClosure(['virtually-synchronous'])].sort()).toEqual([
      'best-effort',
      'fifo',
      'reliable',
      'virtually-synchronous',
    ]);
    expect([...guaranteeClosure(['total'])].sort()).toEqual(['fifo', 'total']);
    expect([...guaranteeClosure(['causal'])].sort()).toEqual(['causal', 'fifo']);
    expect([...guaranteeClosure(['encrypted', 'authenticated'])].sort()).toEqual([
      'authenticated',
      'encrypted',
    ]);
  });

  it.each([
    ['total', 'fifo', true],
    ['virtually-synchronous', 'reliable fifo', true],
    ['virtually-synchronous', 'best-effort', true],
    ['reliable', 'best-effort', true],
    ['causal', 'fifo', true],
    ['reliable fifo', 'reliable', true],
    ['best-effort', 'reliable', false],
    ['fifo', 'total', false],
    ['reliable', 'fifo', false],
    ['encrypted', 'authenticated', false],
    ['virtually-synchronous', 'total', false],
  ])('%s ⇒ %s is %s', (a, b, expected) => {
    expect(implies(g(a), g(b))).toBe(expected);
  });

  it('rejects an unknown word, naming it and listing the valid words', () => {
    expect(() => g('reliable relable')).toThrow(ConstraintParseError);
    expect(() => g('reliable relable')).toThrow(/unknown guarantee 'relable'.*best-effort, reliable, fifo/);
    expect(() => g('Reliable')).toThrow(/did you mean 'reliable'/);
    expect(() => g('  ')).toThrow(/no guarantee given/);
  });

  it('does not compare with another formalism', () => {
    expect(g('fifo').isWeakerThan(n('at-most 1'))).toBe(false);
  });

  it('explains a failed implication', () => {
    expect(g('reliable').explainNotImpliedBy?.(g('best-effort'))).toBe(
      "'best-effort' implies only best-effort, not reliable",
    );
  });
});

describe('liveobjects.count', () => {
  it.each([
    ['at-most 1', 'at-most 2', true],
    ['at-most 2', 'at-most 1', false],
    ['at-least 3', 'at-least 2', true],
    ['at-least 2', 'at-least 3', false],
    ['at-most 1', 'at-least 0', false],
    ['at-least 1', 'at-most 5', false],
    ['at-least 1 at-most 2', 'at-most 3', true],
    ['at-least 1 at-most 2', 'at-least 0 at-most 2', true],
    ['at-most 2', 'at-least 1 at-most 2', false],
  ])('%s ⇒ %s is %s', (a, b, expected) => {
    expect(implies(n(a), n(b))).toBe(expected);
  });

  it('writes canonical text', () => {
    expect(n(' at-most   3 , at-least 1').text).toBe('at-least 1 at-most 3');
    expect(n('at-most 0')).toBeInstanceOf(CountConstraint);
    expect(n('at-most 0').formalism).toBe(COUNT);
  });

  it.each([
    ['', /empty constraint/],
    ['at-most', /'at-most' needs a number/],
    ['at-most -1', /'-1' is not a non-negative integer/],
    ['at-most 1.5', /not a non-negative integer/],
    ['exactly 2', /unexpected 'exactly'; expected 'at-most' or 'at-least'/],
    ['at-most 1 at-most 2', /'at-most' is given twice/],
    ['at-least 3 at-most 1', /leave no possible count/],
  ])('rejects %j', (text, message) => {
    expect(() => n(text)).toThrow(message);
  });

  it('explains a failed implication', () => {
    expect(n('at-most 1').explainNotImpliedBy?.(n('at-most 3'))).toBe('it allows up to 3');
    expect(n('at-least 2').explainNotImpliedBy?.(n('at-most 3'))).toBe('it sets no lower bound');
  });
});

describe('FormalismRegistry', () => {
  it('holds the built-ins by default', () => {
    expect(createFormalismRegistry().ids()).toEqual([COUNT, GUARANTEES]);
    expect(defaultFormalismRegistry.get(GUARANTEES)?.id).toBe(GUARANTEES);
    expect(defaultFormalismRegistry.get('nope')).toBeUndefined();
  });

  it('parses through the named formalism', () => {
    const c = createFormalismRegistry().parseConstraint(GUARANTEES, 'fifo reliable', ctx);
    expect(c.text).toBe('fifo reliable');
  });

  it('rejects an unknown formalism id, listing the known ones', () => {
    const r = createFormalismRegistry();
    expect(() => r.parseConstraint('temporal.ltl', 'G p', ctx)).toThrow(UnknownFormalismError);
    expect(() => r.parseConstraint('temporal.ltl', 'G p', ctx)).toThrow(
      "unknown constraint formalism 'temporal.ltl'; known formalisms: liveobjects.count, liveobjects.guarantees",
    );
  });

  it('lets libraries register their own formalism', () => {
    // A toy latency formalism: "within N ms"; smaller bounds are stronger.
    const within = (ms: number): Constraint => ({
      formalism: 'example.latency',
      text: `within ${ms}`,
      isWeakerThan: (o) => o.formalism === 'example.latency' && Number(o.text.split(' ')[1]) <= ms,
    });
    const latency: Formalism = { id: 'example.latency', parse: (text) => within(Number(text.split(' ')[1])) };
    const r = new FormalismRegistry().register(latency);
    expect(r.ids()).toEqual(['example.latency']);
    const fast = r.parseConstraint('example.latency', 'within 10', ctx);
    const slow = r.parseConstraint('example.latency', 'within 50', ctx);
    expect(slow.isWeakerThan(fast)).toBe(true);
    expect(() => r.register({ ...latency })).toThrow(/already registered/);
    expect(() => r.register({ id: 'bad id', parse: latency.parse })).toThrow(/not a dotted name/);
  });

  it('refuses a formalism that returns a constraint of another formalism', () => {
    const liar: Formalism = { id: 'liar', parse: (t) => parseGuarantees(t, ctx) };
    expect(() => new FormalismRegistry([liar]).parseConstraint('liar', 'fifo', ctx)).toThrow(
      /returned a constraint/,
    );
  });
});
