import { describe, expect, it } from 'vitest';
import type {
  ConstraintDecl,
  EndpointTypeDecl,
  EventDecl,
  ObjectTypeDecl,
  TypeDecl,
} from '../format/document';
import { BYTES, OBJECT, channelType } from './catalogue';
import { describeObjectType, formatValueType } from './describe';
import { TypeEnvironment } from './environment';
import { TypeResolutionError } from './errors';
import { createFormalismRegistry } from './formalisms/registry';
import { isObjectSubtype } from './subtyping';
import { parseTypeExpr, typeExpr } from './type-expr';

const pos = (line: number, column = 3) => ({ line, column });
const T = parseTypeExpr;

function endpointDecl(
  name: string,
  parts: Partial<Omit<EndpointTypeDecl, 'kind' | 'name'>> = {},
): EndpointTypeDecl {
  return { kind: 'endpointtype', name, in: [], out: [], provides: [], requires: [], pos: pos(2), ...parts };
}
function objectDecl(
  name: string,
  parts: Partial<Omit<ObjectTypeDecl, 'kind' | 'name'>> = {},
): ObjectTypeDecl {
  return { kind: 'objecttype', name, endpoints: [], provides: [], requires: [], pos: pos(8), ...parts };
}
const ev = (event: string, types: string[] = [], line = 3): EventDecl => ({
  event,
  types: types.map(T),
  pos: pos(line, 5),
});
const c = (formalism: string, text: string, line = 5): ConstraintDecl => ({
  formalism,
  text,
  pos: pos(line, 5),
});

/** The spec's example: TickerFeed and Ticker. */
const ticker: TypeDecl[] = [
  endpointDecl('TickerFeed', {
    in: [ev('subscribe', ['String'])],
    out: [ev('tick', ['Bytes'], 4)],
    provides: [c('liveobjects.guarantees', 'reliable fifo')],
    requires: [c('liveobjects.count', 'at-most 1', 6)],
  }),
  objectDecl('Ticker', {
    endpoints: [{ name: 'feed', type: T('TickerFeed'), pos: pos(9, 5) }],
    provides: [c('liveobjects.guarantees', 'reliable', 10)],
  }),
];

function error(f: () => unknown): TypeResolutionError {
  try {
    f();
  } catch (e) {
    if (e instanceof TypeResolutionError) return e;
    throw e;
  }
  throw new Error('expected a TypeResolutionError');
}

describe('TypeEnvironment', () => {
  it('resolves built-in types of every kind', () => {
    const env = new TypeEnvironment();
    expect(env.resolveObjectType(T('Channel<Bytes>')).name).toBe('Channel<Bytes>');
    expect(env.resolveObjectType('Folder<Name, Channel<Bytes>>').name).toBe('Folder<Name, Channel<Bytes>>');
    expect(formatValueType(env.resolveValueType('Reference<Folder<Name, Object>>'))).toBe(
      'Reference<Folder<Name, Object>>',
    );
    expect(env.resolveValueType(typeExpr('Bytes'))).toEqual(BYTES);
    expect(env.resolveAny('Object')).toEqual({ kind: 'object', type: OBJECT });
    expect(isObjectSubtype(env.resolveObjectType('Channel<Bytes>'), channelType(BYTES)).ok).toBe(true);
  });

  it('resolves the spec example’s declared types', () => {
    const env = TypeEnvironment.fromDocument({ types: ticker });
    const feed = env.resolveEndpointType('TickerFeed');
    expect(feed.in).toEqual([{ name: 'subscribe', params: [{ kind: 'primitive', name: 'String' }] }]);
    expect(feed.provides.get('liveobjects.guarantees')?.text).toBe('fifo reliable');
    expect(feed.requires.get('liveobjects.count')?.text).toBe('at-most 1');
    const t = env.resolveObjectType('Ticker');
    expect(t.endpoints.get('feed')).toBe(feed);
    expect(describeObjectType(t)).toBe(
      [
        'object type Ticker',
        '  endpoint feed : TickerFeed',
        '    in  subscribe(String)',
        '    out tick(Bytes)',
        '    provides liveobjects.guarantees: fifo reliable',
        '    requires liveobjects.count: at-most 1',
        '  provides liveobjects.guarantees: reliable',
      ].join('\n'),
    );
    expect(env.resolveAny('Ticker').kind).toBe('object');
    expect(env.resolveObjectType('Folder<Name, Ticker>').name).toBe('Folder<Name, Ticker>');
  });

  it('resolves declarations in any order', () => {
    const env = new TypeEnvironment([...ticker].reverse());
    expect(env.resolveObjectType('Ticker').endpoints.has('feed')).toBe(true);
  });

  it('lists built-in and declared types', () => {
    const entries = new TypeEnvironment(ticker).entries();
    expect(entries.find((e) => e.name === 'Folder')).toMatchObject({
      kind: 'object',
      origin: 'builtin',
      signature: 'Folder<N, O>',
    });
    expect(entries.find((e) => e.name === 'Reference')).toMatchObject({
      kind: 'value',
      signature: 'Reference<T>',
    });
    expect(entries.find((e) => e.name === 'TickerFeed')).toMatchObject({
      kind: 'endpoint',
      origin: 'declared',
      pos: pos(2),
    });
    expect(entries.at(-1)?.description).toContain('endpoint feed : TickerFeed');
  });

  describe('errors', () => {
    const env = new TypeEnvironment(ticker);

    it('unknown type names, listing what is known', () => {
      const e = error(() => env.resolveObjectType('Chanel<Bytes>', pos(4, 9)));
      expect(e.pos).toEqual(pos(4, 9));
      expect(e.expected).toBe('a known type name');
      expect(e.message).toMatch(
        /^line 4, column 9: unknown type 'Chanel'; expected a built-in type \(String, .*Texture\) or a declared type \(TickerFeed, Ticker\)$/,
      );
    });

    it('wrong arity', () => {
      expect(error(() => env.resolveObjectType('Channel')).message).toBe(
        "type 'Channel' takes 1 type argument (Channel<T>), but 0 were given",
      );
      expect(error(() => env.resolveObjectType('Folder<Name>')).message).toMatch(
        /takes 2 type arguments \(Folder<N, O>\), but 1 was given/,
      );
      expect(error(() => env.resolveObjectType('Ticker<Bytes>')).message).toBe(
        "type 'Ticker' is declared without type parameters, so it takes no type arguments, but 1 was given",
      );
    });

    it('the wrong kind of type', () => {
      const e = error(() => env.resolveObjectType('TickerFeed'));
      expect(e.message).toBe("'TickerFeed' is an endpoint type, but an object type is expected here");
      expect(e.expected).toBe('an object type');
      expect(error(() => env.resolveEndpointType('Ticker')).message).toBe(
        "'Ticker' is an object type, but an endpoint type is expected here",
      );
      expect(error(() => env.resolveValueType('Channel<Bytes>')).message).toBe(
        "'Channel<Bytes>' is an object type, but a value type is expected here; to pass a reference to such an object write Reference<Channel<Bytes>>",
      );
      expect(error(() => env.resolveObjectType('Folder<Name, Bytes>')).message).toBe(
        "type argument O of Folder<N, O> must be an object type, but 'Bytes' is a value type",
      );
      expect(error(() => env.resolveObjectType('Channel<TickerFeed>')).message).toBe(
        "type argument T of Channel<T> must be a value type, but 'TickerFeed' is an endpoint type",
      );
    });

    it('an event whose value type is not a value type, at the event’s position', () => {
      const e = error(
        () => new TypeEnvironment([endpointDecl('E', { out: [ev('tick', ['Channel<Bytes>'], 7)] })]),
      );
      expect(e.pos).toEqual(pos(7, 5));
      expect(e.message).toBe(
        "line 7, column 5: endpoint type 'E', output event 'tick': 'Channel<Bytes>' is an object type, but a value type is expected here; to pass a reference to such an object write Reference<Channel<Bytes>>",
      );
    });

    it('an object type endpoint that is not an endpoint type', () => {
      const e = error(
        () =>
          new TypeEnvironment([
            objectDecl('O', { endpoints: [{ name: 'ch', type: T('Channel<Bytes>'), pos: pos(9) }] }),
          ]),
      );
      expect(e.message).toBe(
        "line 9, column 3: object type 'O', endpoint 'ch': 'Channel<Bytes>' is an object type, but an endpoint type is expected here",
      );
    });

    it('an unknown formalism, listing the known ones', () => {
      const e = error(
        () => new TypeEnvironment([endpointDecl('E', { provides: [c('temporal.ltl', 'G p', 12)] })]),
      );
      expect(e.pos).toEqual(pos(12, 5));
      expect(e.message).toBe(
        "line 12, column 5: endpoint type 'E', <provides formalism=\"temporal.ltl\">: unknown constraint formalism 'temporal.ltl'; known formalisms: liveobjects.count, liveobjects.guarantees",
      );
    });

    it('bad constraint text', () => {
      const e = error(
        () =>
          new TypeEnvironment([objectDecl('O', { requires: [c('liveobjects.guarantees', 'relable', 11)] })]),
      );
      expect(e.pos).toEqual(pos(11, 5));
      expect(e.expected).toBe('constraint text of formalism liveobjects.guarantees');
      expect(e.message).toContain("unknown guarantee 'relable'; valid words are best-effort,");
      expect(
        error(
          () =>
            new TypeEnvironment([endpointDecl('E', { requires: [c('liveobjects.count', 'at-most lots')] })]),
        ).message,
      ).toContain("'lots' is not a non-negative integer");
    });

    it('two constraints in one formalism', () => {
      const e = error(
        () =>
          new TypeEnvironment([
            endpointDecl('E', {
              provides: [c('liveobjects.guarantees', 'fifo'), c('liveobjects.guarantees', 'reliable', 6)],
            }),
          ]),
      );
      expect(e.message).toContain(
        "a second <provides> in formalism 'liveobjects.guarantees'; write one constraint per formalism",
      );
      expect(e.pos).toEqual(pos(6, 5));
    });

    it('duplicate events and endpoints', () => {
      expect(
        error(() => new TypeEnvironment([endpointDecl('E', { in: [ev('a'), ev('a', ['Int'], 4)] })])).message,
      ).toBe("line 4, column 5: endpoint type 'E', input event 'a': input event 'a' is declared twice");
      const ep = { name: 'x', type: T('TickerFeed'), pos: pos(9) };
      expect(
        error(() => new TypeEnvironment([...ticker, objectDecl('O', { endpoints: [ep, ep] })])).message,
      ).toContain("endpoint 'x' is declared twice");
    });

    it('shadowing a built-in and duplicate declarations', () => {
      const e = error(() => new TypeEnvironment([objectDecl('Channel')]));
      expect(e.message).toBe(
        "line 8, column 3: object type 'Channel': 'Channel' is a built-in type and cannot be redeclared; choose another name",
      );
      expect(
        error(() => new TypeEnvironment([objectDecl('A'), objectDecl('A', { pos: pos(20) })])).message,
      ).toBe("line 20, column 3: object type 'A': type 'A' is declared twice (first at line 8, column 3)");
    });

    it('recursive declarations, directly and through references', () => {
      const direct = [
        endpointDecl('Loop', { out: [ev('self', ['Reference<Node>'])] }),
        objectDecl('Node', { endpoints: [{ name: 'next', type: T('Loop'), pos: pos(9) }] }),
      ];
      const e = error(() => new TypeEnvironment(direct));
      expect(e.message).toMatch(
        /type '(Loop|Node)' is recursive \((Loop → Node → Loop|Node → Loop → Node)\); recursive type declarations are not supported/,
      );
      expect(e.expected).toBe('a type that does not refer to itself');
    });

    it('check() reports every faulty declaration without throwing', () => {
      const errors = TypeEnvironment.check([
        objectDecl('Object'),
        endpointDecl('E', { out: [ev('x', ['Nope'])] }),
        objectDecl('O', { endpoints: [{ name: 'e', type: T('E') }] }),
        objectDecl('Fine'),
      ]);
      expect(errors.map((e) => e.detail)).toEqual([
        "'Object' is a built-in type and cannot be redeclared; choose another name",
        expect.stringMatching(/^unknown type 'Nope'/),
      ]);
      expect(TypeEnvironment.check(ticker)).toEqual([]);
    });
  });

  it('uses the formalisms of the registry it is given', () => {
    const registry = createFormalismRegistry().register({
      id: 'example.any',
      parse: (text) => ({ formalism: 'example.any', text, isWeakerThan: () => true }),
    });
    const decl = endpointDecl('E', { provides: [c('example.any', 'whatever')] });
    expect(
      new TypeEnvironment([decl], registry).resolveEndpointType('E').provides.get('example.any')?.text,
    ).toBe('whatever');
    expect(() => new TypeEnvironment([decl])).toThrow(/unknown constraint formalism 'example.any'/);
  });
});
