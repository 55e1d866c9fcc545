import { describe, expect, it } from 'vitest';
import { constraints, endpointType, event, objectType, reference } from './build';
import {
  BYTES,
  INT,
  NAME,
  OBJECT,
  STRING,
  channelType,
  checkpointedChannelType,
  folderType,
  UI,
  UI3D,
} from './catalogue';
import { parseCount } from './formalisms/count';
import { parseGuarantees } from './formalisms/guarantees';
import {
  constraintsImply,
  isEndpointSubtype,
  isEventSetSubtype,
  isObjectSubtype,
  isValueSubtype,
} from './subtyping';
import type { CheckResult } from './types';

const ctx = { where: 'test' };
const G = (t: string) => parseGuarantees(t, ctx);
const N = (t: string) => parseCount(t, ctx);

function reasons(r: CheckResult): readonly string[] {
  if (r.ok) throw new Error('expected the check to fail');
  return r.reasons;
}

describe('value subtyping', () => {
  it('requires equal primitives', () => {
    expect(isValueSubtype(BYTES, BYTES).ok).toBe(true);
    expect(reasons(isValueSubtype(INT, STRING))).toEqual([
      'Int is not String; primitive value types must be equal',
    ]);
  });

  it('is covariant in the referenced object type', () => {
    const cc = reference(checkpointedChannelType(BYTES, BYTES));
    expect(isValueSubtype(reference(channelType(BYTES)), reference(OBJECT)).ok).toBe(true);
    const [r] = reasons(isValueSubtype(reference(channelType(BYTES)), cc));
    expect(r).toContain(
      'Reference<Channel<Bytes>> is not a subtype of Reference<CheckpointedChannel<Bytes, Bytes>>',
    );
    expect(r).toContain("does not accept input event 'checkpoint(Bytes)'");
  });

  it('never relates a primitive and a reference', () => {
    expect(reasons(isValueSubtype(BYTES, reference(OBJECT)))).toEqual([
      'Bytes is a primitive value but Reference<Object> is a reference',
    ]);
  });
});

describe('event sets ⊑*', () => {
  it('needs a same-named event with subtype values for each event', () => {
    expect(isEventSetSubtype([event('a', BYTES)], [event('a', BYTES), event('b')]).ok).toBe(true);
    expect(isEventSetSubtype([], []).ok).toBe(true);
    expect(reasons(isEventSetSubtype([event('b')], [event('a', BYTES)]))).toEqual([
      "event 'b()' has no counterpart; there are only 'a(Bytes)'",
    ]);
    expect(reasons(isEventSetSubtype([event('a', INT)], [event('a', STRING)]))).toEqual([
      "event 'a(Int)' does not fit 'a(String)': value 1 is Int where String is expected",
    ]);
    expect(reasons(isEventSetSubtype([event('a', INT)], [event('a')]))).toEqual([
      "event 'a(Int)' does not fit 'a()': it carries 1 value(s) but 'a()' carries 0",
    ]);
  });
});

describe('constraint implication ⇒*', () => {
  it('needs, per required formalism, a provided constraint that implies it', () => {
    expect(constraintsImply(constraints(G('total'), N('at-most 1')), constraints(G('fifo'))).ok).toBe(true);
    expect(constraintsImply(constraints(), constraints()).ok).toBe(true);
    expect(reasons(constraintsImply(constraints(G('fifo')), constraints(G('reliable'))))).toEqual([
      "liveobjects.guarantees 'reliable' is not implied by 'fifo' ('fifo' implies only fifo, not reliable)",
    ]);
    expect(reasons(constraintsImply(constraints(), constraints(N('at-most 1'))))).toEqual([
      "liveobjects.count 'at-most 1' is required but nothing is given in that formalism",
    ]);
  });
});

describe('endpoint subtyping (eq. 2.4)', () => {
  const base = endpointType({
    name: 'Feed',
    in: [event('subscribe', STRING)],
    out: [event('tick', BYTES)],
    provides: constraints(G('reliable')),
    requires: constraints(N('at-most 2')),
  });

  it('accepts fewer outputs, more inputs, stronger guarantees and weaker requirements', () => {
    const sub = endpointType({
      name: 'BetterFeed',
      in: [event('subscribe', STRING), event('pause')],
      out: [],
      provides: constraints(G('virtually-synchronous'), N('at-least 1')),
    });
    expect(isEndpointSubtype(sub, base).ok).toBe(true);
    expect(isEndpointSubtype(base, sub).ok).toBe(false);
  });

  it('rejects an extra output', () => {
    const t = endpointType({ ...base, name: 'Chatty', out: [event('tick', BYTES), event('log', STRING)] });
    expect(reasons(isEndpointSubtype(t, base))).toEqual([
      "'Chatty' emits output event 'log(String)', which 'Feed' does not emit ('Feed' emits only 'tick(Bytes)'), so a peer of 'Feed' would not understand it",
    ]);
  });

  it('rejects an output with the wrong value type, showing both', () => {
    const t = endpointType({ ...base, name: 'IntFeed', out: [event('tick', INT)] });
    expect(reasons(isEndpointSubtype(t, base))).toEqual([
      "output event 'tick(Int)' of 'IntFeed' does not fit output 'tick(Bytes)' of 'Feed': value 1 is Int where Bytes is expected",
    ]);
  });

  it('rejects a missing input', () => {
    const t = endpointType({ ...base, name: 'Deaf', in: [] });
    expect(reasons(isEndpointSubtype(t, base, { endpoint: 'feed' }))).toEqual([
      "endpoint 'feed': 'Deaf' does not accept input event 'subscribe(String)', which 'Feed' accepts ('Deaf' accepts no events)",
    ]);
  });

  it('rejects an input with the wrong value type', () => {
    const t = endpointType({ ...base, name: 'NamedFeed', in: [event('subscribe', NAME)] });
    expect(reasons(isEndpointSubtype(t, base))).toEqual([
      "input event 'subscribe(String)' accepted by 'Feed' does not fit input 'subscribe(Name)' of 'NamedFeed': value 1 is String where Name is expected",
    ]);
  });

  it('rejects weaker guarantees, naming the formalism and both texts', () => {
    const t = endpointType({ ...base, name: 'Lossy', provides: constraints(G('best-effort')) });
    expect(reasons(isEndpointSubtype(t, base))).toEqual([
      "'Feed' provides liveobjects.guarantees 'reliable', but 'Lossy' provides only 'best-effort', which does not imply it ('best-effort' implies only best-effort, not reliable)",
    ]);
    const none = endpointType({ ...base, name: 'Silent', provides: constraints() });
    expect(reasons(isEndpointSubtype(none, base))[0]).toBe(
      "'Feed' provides liveobjects.guarantees 'reliable', but 'Silent' provides nothing in that formalism",
    );
  });

  it('rejects stronger requirements', () => {
    const t = endpointType({ ...base, name: 'Picky', requires: constraints(N('at-most 1')) });
    expect(reasons(isEndpointSubtype(t, base))).toEqual([
      "'Picky' requires liveobjects.count 'at-most 1', but 'Feed' requires only 'at-most 2', which does not imply it (it allows up to 2), so 'Picky' asks more of its peer than 'Feed' does",
    ]);
  });

  it('falls back to neutral side names when both are called the same', () => {
    const t = endpointType({ ...base, out: [], in: [] });
    expect(reasons(isEndpointSubtype(t, base))[0]).toMatch(/^the first type does not accept/);
  });

  it('reports every fault, not just the first', () => {
    const t = endpointType({ name: 'Wrong', out: [event('x')] });
    expect(reasons(isEndpointSubtype(t, base))).toHaveLength(3); // extra output, missing input, weaker guarantee
  });
});

describe('object subtyping (eq. 2.5–2.6)', () => {
  it('puts every object type under Object, including ones with requirements', () => {
    const needy = objectType({ name: 'Needy', requires: constraints(N('at-most 1')) });
    expect(isObjectSubtype(needy, OBJECT).ok).toBe(true);
    expect(isObjectSubtype(UI, OBJECT).ok).toBe(true);
    expect(reasons(isObjectSubtype(OBJECT, needy))).toEqual([
      "'Object' is Object, the top type, which is a subtype only of Object, and 'Needy' is not Object",
    ]);
  });

  it('needs every endpoint of the supertype', () => {
    expect(reasons(isObjectSubtype(UI, UI3D))).toEqual([
      "'UI' has no endpoint 'ui3d', which 'UI3D' has (it has only 'ui')",
    ]);
    expect(reasons(isObjectSubtype(OBJECT, UI))).toEqual([
      "'Object' has no endpoint 'ui', which 'UI' has (it has none)",
    ]);
  });

  it('allows extra endpoints', () => {
    const both = objectType({ name: 'Space', endpoints: [...UI.endpoints, ...UI3D.endpoints] });
    expect(isObjectSubtype(both, UI).ok).toBe(true);
    expect(isObjectSubtype(both, UI3D).ok).toBe(true);
  });

  it('checks endpoints pairwise by name, prefixing the endpoint', () => {
    const r = reasons(isObjectSubtype(checkpointedChannelType(BYTES, BYTES), channelType(BYTES)));
    expect(r).toEqual([
      "endpoint 'channel': 'CheckpointedChannel<Bytes, Bytes>' emits output event 'initialize(Bytes)', which 'Channel<Bytes>' does not emit ('Channel<Bytes>' emits only 'receive(Bytes)'), so a peer of 'Channel<Bytes>' would not understand it",
      "endpoint 'channel': 'CheckpointedChannel<Bytes, Bytes>' emits output event 'requestCheckpoint()', which 'Channel<Bytes>' does not emit ('Channel<Bytes>' emits only 'receive(Bytes)'), so a peer of 'Channel<Bytes>' would not understand it",
    ]);
  });

  it('is covariant in Folder items through Reference', () => {
    expect(isObjectSubtype(folderType(NAME, channelType(BYTES)), folderType(NAME, OBJECT)).ok).toBe(true);
    const [r] = reasons(isObjectSubtype(folderType(NAME, OBJECT), folderType(NAME, channelType(BYTES))));
    expect(r).toBe(
      "endpoint 'folder': output event 'item(Name, Reference<Object>)' of 'Folder<Name, Object>' does not fit output 'item(Name, Reference<Channel<Bytes>>)' of 'Folder<Name, Channel<Bytes>>': value 2 is Reference<Object> where Reference<Channel<Bytes>> is expected (because 'Object' has no endpoint 'channel', which 'Channel<Bytes>' has (it has none))",
    );
  });

  it('checks object-level guarantees and requirements', () => {
    const reliable = objectType({ name: 'R', provides: constraints(G('reliable')), endpoints: UI.endpoints });
    const vs = objectType({
      name: 'VS',
      provides: constraints(G('virtually-synchronous')),
      endpoints: UI.endpoints,
    });
    expect(isObjectSubtype(vs, reliable).ok).toBe(true);
    expect(reasons(isObjectSubtype(reliable, vs))).toEqual([
      "'VS' provides liveobjects.guarantees 'virtually-synchronous' as an object, but 'R' provides only 'reliable', which does not imply it ('reliable' implies only best-effort, reliable, not virtually-synchronous)",
    ]);
    const needy = objectType({
      name: 'Needy',
      requires: constraints(N('at-least 2')),
      endpoints: UI.endpoints,
    });
    expect(reasons(isObjectSubtype(needy, UI))).toEqual([
      "'Needy' requires liveobjects.count 'at-least 2' as an object, but 'UI' requires nothing in that formalism, so 'Needy' asks more of its environment than 'UI' does",
    ]);
  });

  it('uses caller-supplied labels', () => {
    const r = reasons(isObjectSubtype(UI, UI3D, { left: 'the note', right: 'a 3D object' }));
    expect(r).toEqual(["'the note' has no endpoint 'ui3d', which 'a 3D object' has (it has only 'ui')"]);
  });
});
