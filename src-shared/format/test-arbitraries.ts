// fast-check generators of valid documents, for the round-trip property tests.
import fc from 'fast-check';
import type { TypeExpr } from '../model/type-expr';
import type {
  Address,
  Component,
  ConstraintDecl,
  EventDecl,
  LiveObjectDocument,
  Meta,
  Param,
  ParamValue,
  Reference,
  TypeDecl,
  Value,
} from './document';

const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]$/u;

/** Any text XML can carry, biased towards characters that need escaping. */
export const xmlText = (minLength = 0): fc.Arbitrary<string> =>
  fc.string({
    minLength,
    maxLength: 12,
    unit: fc.oneof(
      fc.constantFrom(
        '&',
        '<',
        '>',
        '"',
        "'",
        '\r',
        '\n',
        '\t',
        ' ',
        ']]>',
        '&amp;',
        'é',
        '日本',
        '😀',
        '\u2028',
      ),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => XML_CHAR.test(c)),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }).filter((c) => XML_CHAR.test(c)),
    ),
  });

export const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,6}$/);
const typeName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,6}$/);
const dotted = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,5}(\.[a-z_][a-z0-9_-]{0,5}){0,2}$/);
const primitiveId = fc.oneof(dotted, fc.stringMatching(/^[0-9a-fA-F]{32}$/));

const typeExprOf: fc.Memo<TypeExpr> = fc.memo((n: number): fc.Arbitrary<TypeExpr> =>
  fc.record({
    name: typeName,
    args: n <= 1 ? fc.constant([]) : fc.array(typeExprOf(n - 1), { maxLength: 3 }),
  }),
);
export const typeExpr = typeExprOf(3);

const address: fc.Arbitrary<Address> = fc.record({
  host: fc.oneof(
    fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?){0,2}$/),
    fc.ipV4(),
    fc.constantFrom('::1', '::', 'fe80::1%eth0', '2001:db8::ff', '::ffff:10.0.0.1'),
  ),
  port: fc.integer({ min: 0, max: 65535 }),
});

export const value: fc.Arbitrary<Value> = fc.oneof(
  fc.record({ type: fc.constant('string' as const), value: xmlText() }),
  fc.record({ type: fc.constant('int' as const), value: fc.maxSafeInteger() }),
  fc.record({
    type: fc.constant('double' as const),
    value: fc.double({ noNaN: true, noDefaultInfinity: true }),
  }),
  fc.record({ type: fc.constant('bool' as const), value: fc.boolean() }),
  fc.record({ type: fc.constant('bytes' as const), value: fc.uint8Array({ maxLength: 20 }) }),
  fc.record({ type: fc.constant('address' as const), value: address }),
);

const uniqueBy = <T>(arb: fc.Arbitrary<T>, key: (t: T) => string, minLength = 0): fc.Arbitrary<T[]> =>
  fc.uniqueArray(arb, { selector: key, minLength, maxLength: 3 });

const referenceOf: fc.Memo<Reference> = fc.memo((n: number): fc.Arbitrary<Reference> => {
  const primitive = fc.record({ kind: fc.constant('primitive' as const), id: primitiveId });
  if (n <= 1) return primitive;
  const sub = referenceOf(n - 1);
  const composite = uniqueBy(fc.record({ name, reference: sub }), (c: Component) => c.name, 1).chain(
    (components) => {
      const endpoint = fc.record({
        component: fc.constantFrom(...components.map((c) => c.name)),
        endpoint: name,
      });
      const key = (e: { component: string; endpoint: string }): string => `${e.component}.${e.endpoint}`;
      const connections = fc.array(fc.record({ a: endpoint, b: endpoint }), { maxLength: 3 }).map((cs) => {
        // Each endpoint instance is connected at most once.
        const used = new Set<string>();
        return cs.filter((c) => {
          if (used.has(key(c.a)) || used.has(key(c.b)) || key(c.a) === key(c.b)) return false;
          used.add(key(c.a)).add(key(c.b));
          return true;
        });
      });
      const exports = uniqueBy(
        endpoint.chain((e) =>
          fc.record({ endpoint: fc.constant(e), as: fc.oneof(fc.constant(e.endpoint), name) }),
        ),
        (e) => e.as,
      );
      return fc.record({
        kind: fc.constant('composite' as const),
        components: fc.constant(components),
        connections,
        exports,
      });
    },
  );
  const external = fc.record({
    kind: fc.constant('external' as const),
    name: xmlText(1),
    as: typeExpr,
    from: sub,
  });
  const paramValue: fc.Arbitrary<ParamValue> = fc.oneof(
    fc.record({ kind: fc.constant('reference' as const), reference: sub }),
    fc.record({ kind: fc.constant('value' as const), value }),
    fc.record({ kind: fc.constant('type' as const), type: typeExpr }),
  );
  const parameterized = fc.record({
    kind: fc.constant('parameterized' as const),
    template: sub,
    params: uniqueBy(fc.record({ name, value: paramValue }), (p: Param) => p.name),
  });
  return fc.oneof(primitive, composite, external, parameterized);
});
export const reference = referenceOf(4);

const constraint: fc.Arbitrary<ConstraintDecl> = fc.record({ formalism: dotted, text: xmlText() });
const constraints = {
  provides: fc.array(constraint, { maxLength: 2 }),
  requires: fc.array(constraint, { maxLength: 2 }),
};
const events = uniqueBy(
  fc.record({ event: name, types: fc.array(typeExpr, { maxLength: 3 }) }),
  (e: EventDecl) => e.event,
);

const typeDecl: fc.Arbitrary<TypeDecl> = fc.oneof(
  fc.record({
    kind: fc.constant('endpointtype' as const),
    name: typeName,
    in: events,
    out: events,
    ...constraints,
  }),
  fc.record({
    kind: fc.constant('objecttype' as const),
    name: typeName,
    endpoints: uniqueBy(fc.record({ name, type: typeExpr }), (e) => e.name),
    ...constraints,
  }),
);

const meta: fc.Arbitrary<Meta> = fc.record(
  { title: xmlText(), description: xmlText(), author: xmlText() },
  { requiredKeys: [] },
);

export const document: fc.Arbitrary<LiveObjectDocument> = fc.record({
  meta,
  types: uniqueBy(typeDecl, (d) => d.name),
  reference,
});
