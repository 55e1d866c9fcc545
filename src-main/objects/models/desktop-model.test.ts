import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DesktopModel } from './desktop-model';
import { MessageKind, frame } from './kinds';
import { ModelError } from './model';
import { FakeChannel } from './testing/fake-channel';

const REF = '<liveobject type="liveobjects.note"/>';

function group(ids: readonly string[]): { channel: FakeChannel; models: Map<string, DesktopModel> } {
  const channel = new FakeChannel();
  const models = new Map<string, DesktopModel>();
  let n = 0;
  for (const id of ids) {
    const model = new DesktopModel({ self: id, send: channel.sender(id), newId: () => `${id}-${n++}` });
    channel.add(id, model);
    models.set(id, model);
  }
  return { channel, models };
}

function get(models: Map<string, DesktopModel>, id: string): DesktopModel {
  const m = models.get(id);
  if (!m) throw new Error(id);
  return m;
}

function expectConverged(models: Iterable<DesktopModel>): void {
  const [first, ...rest] = [...models];
  for (const m of rest) expect(m.view()).toEqual(first?.view());
  for (const m of [first, ...rest]) expect(m?.stats.dropped).toBe(0);
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

type Op =
  | { kind: 'place'; r: number; x: number; y: number }
  | { kind: 'move'; r: number; item: number; x: number; y: number }
  | { kind: 'resize'; r: number; item: number; w: number; h: number }
  | { kind: 'raise'; r: number; item: number }
  | { kind: 'remove'; r: number; item: number }
  | { kind: 'deliver'; pick: number }
  | { kind: 'join'; donor: number };

const coord = fc.integer({ min: -500, max: 500 });
const opArb = (replicas: number, withJoin: boolean): fc.Arbitrary<Op> => {
  const r = fc.nat(replicas - 1);
  const item = fc.nat(10);
  const ops: fc.Arbitrary<Op>[] = [
    fc.record({ kind: fc.constant('place' as const), r, x: coord, y: coord }),
    fc.record({ kind: fc.constant('move' as const), r, item, x: coord, y: coord }),
    fc.record({
      kind: fc.constant('resize' as const),
      r,
      item,
      w: fc.integer({ min: 1, max: 900 }),
      h: coord,
    }),
    fc.record({ kind: fc.constant('raise' as const), r, item }),
    fc.record({ kind: fc.constant('remove' as const), r, item }),
    fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }),
  ];
  if (withJoin) ops.push(fc.record({ kind: fc.constant('join' as const), donor: fc.nat(replicas - 1) }));
  return fc.oneof(...ops);
};

function run(ops: readonly Op[], flushPicks: readonly number[], replicas: number): DesktopModel[] {
  const ids = Array.from({ length: replicas }, (_, i) => `r${i}`);
  const { channel, models } = group(ids);
  const all = [...models.values()];
  let joined = 0;
  for (const op of ops) {
    if (op.kind === 'deliver') {
      channel.deliver(op.pick);
      continue;
    }
    if (op.kind === 'join') {
      const id = `late${joined++}`;
      const model = new DesktopModel({
        self: id,
        send: channel.sender(id),
        newId: () => `${id}-${all.length}-x`,
      });
      channel.join(id, model, ids[op.donor] as string);
      all.push(model);
      continue;
    }
    const model = all[op.r] as DesktopModel;
    if (op.kind === 'place') {
      model.place({ reference: REF, x: op.x, y: op.y, width: 100, height: 80 });
      continue;
    }
    const items = model.view().items;
    if (items.length === 0) continue;
    const id = (items[op.item % items.length] as { id: string }).id;
    if (op.kind === 'move') model.move(id, op.x, op.y);
    else if (op.kind === 'resize') model.resize(id, op.w, op.h);
    else if (op.kind === 'raise') model.raise(id);
    else model.remove(id);
  }
  channel.flush(flushPicks);
  return all;
}

describe('DesktopModel', () => {
  it('converges under random per-sender-FIFO interleavings', () => {
    fc.assert(
      fc.property(
        fc.array(opArb(3, false), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 200 }),
        (ops, picks) => {
          expectConverged(run(ops, picks, 3));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('late joiners from a checkpoint at any point converge with the others', () => {
    fc.assert(
      fc.property(
        fc.array(opArb(3, true), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 200 }),
        (ops, picks) => {
          expectConverged(run(ops, picks, 3));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('concurrent moves: the higher Lamport stamp wins, ties broken by sender id', () => {
    const { channel, models } = group(['a', 'b', 'c']);
    const a = get(models, 'a');
    const b = get(models, 'b');
    const id = a.place({ reference: REF, x: 0, y: 0, width: 10, height: 10 });
    channel.flush();
    a.move(id, 1, 1); // stamp (2, a)
    b.move(id, 2, 2); // stamp (2, b): same time, b > a
    channel.flush([1, 0, 3, 2, 5]);
    expectConverged(models.values());
    expect(a.item(id)).toMatchObject({ x: 2, y: 2 });

    a.resize(id, 50, 50); // a's clock runs ahead
    a.move(id, 7, 7); // (4, a)
    b.move(id, 9, 9); // (3, b)
    channel.flush([5, 4, 3, 2, 1]);
    expectConverged(models.values());
    expect(b.item(id)).toMatchObject({ x: 7, y: 7, width: 50, height: 50 });
  });

  it('a removal wins over a concurrent move, even a later-stamped one, in any delivery order', () => {
    for (const picks of [
      [0, 0, 0, 0, 0, 0],
      [1, 1, 1, 1, 1, 1],
      [2, 0, 3, 1, 0, 2],
    ]) {
      const { channel, models } = group(['a', 'b', 'c']);
      const a = get(models, 'a');
      const b = get(models, 'b');
      const id = a.place({ reference: REF, x: 0, y: 0, width: 10, height: 10 });
      const other = a.place({ reference: REF, x: 5, y: 5, width: 10, height: 10 });
      channel.flush();
      b.raise(other);
      b.resize(id, 30, 30);
      b.move(id, 3, 3); // (5, b) — later than the removal below
      a.remove(id); // (3, a)
      channel.flush(picks);
      expectConverged(models.values());
      expect(a.view().items.map((i) => i.id)).toEqual([other]);
      expect(() => b.move(id, 1, 1)).toThrow(ModelError);
    }
  });

  it('a write that overtakes its place (from another sender) is kept', () => {
    const channel = new FakeChannel();
    const a = new DesktopModel({ self: 'a', send: channel.sender('a') });
    const b = new DesktopModel({ self: 'b', send: channel.sender('b') });
    const c = new DesktopModel({ self: 'c', send: (u) => channel.sender('c')(u) });
    channel.add('a', a);
    channel.add('b', b);
    // c receives by hand, in the "wrong" order.
    const id = a.place({ reference: REF, x: 0, y: 0, width: 10, height: 10, title: 'T' });
    const place = a.checkpoint();
    channel.flush();
    const seen: Uint8Array[] = [];
    const spy = new DesktopModel({ self: 'spy', send: (u) => seen.push(u) });
    spy.initialize(place);
    b.move(id, 42, 43);
    channel.flush();
    const move = b.checkpoint();
    // c gets b's state first (with the move), then a's place.
    c.initialize(move);
    c.initialize(place);
    expect(c.view()).toEqual(a.view());
    expect(c.item(id)).toMatchObject({ x: 42, y: 43, title: 'T' });
    expect(seen).toEqual([]);
  });

  it('a late replica initialized from a checkpoint plus later updates equals the others', () => {
    const { channel, models } = group(['a', 'b']);
    const a = get(models, 'a');
    const b = get(models, 'b');
    const i1 = a.place({ reference: REF, x: 0, y: 0, width: 10, height: 10 });
    const i2 = b.place({ reference: REF, x: 20, y: 0, width: 10, height: 10 });
    channel.flush();
    a.move(i2, 5, 5);
    b.move(i1, 6, 6); // in flight to a at the cut: the joiner must get it from the channel
    const late = new DesktopModel({ self: 'late', send: channel.sender('late') });
    channel.join('late', late, 'a');
    b.remove(i1);
    late.raise(i2);
    channel.flush();
    expectConverged([a, b, late]);
    expect(late.view().items).toMatchObject([{ id: i2, x: 5, y: 5 }]);
  });

  it('persist → restore → merge after the group moved on loses nothing on either side', () => {
    const { channel, models } = group(['a', 'b', 'c']);
    const a = get(models, 'a');
    const c = get(models, 'c');
    const shared = a.place({ reference: REF, x: 0, y: 0, width: 10, height: 10 });
    const doomed = a.place({ reference: REF, x: 0, y: 0, width: 10, height: 10 });
    channel.flush();
    const saved = c.persist();
    channel.leave('c');
    c.dispose();

    // The group moves on.
    a.move(shared, 100, 100);
    const groupItem = a.place({ reference: REF, x: 1, y: 1, width: 10, height: 10, title: 'group' });
    a.move(doomed, 7, 7);
    channel.flush();

    // c reopens offline, edits, persists.
    const offline = new DesktopModel({ self: 'c', send: () => undefined, newId: () => 'offline-1' });
    offline.restore(saved);
    const offlineItem = offline.place({
      reference: REF,
      x: 9,
      y: 9,
      width: 10,
      height: 10,
      title: 'offline',
    });
    offline.remove(doomed);
    offline.resize(shared, 77, 77);
    const saved2 = offline.persist();

    // c rejoins: restore, then initialize from the group's checkpoint; the diff is re-sent.
    const back = new DesktopModel({ self: 'c', send: channel.sender('c') });
    back.restore(saved2);
    channel.join('c', back, 'b');
    channel.flush();
    expectConverged([a, get(models, 'b'), back]);
    const view = a.view().items;
    expect(view.map((i) => i.id).sort()).toEqual([groupItem, offlineItem, shared].sort());
    expect(a.item(shared)).toMatchObject({ x: 100, y: 100, width: 77, height: 77 });
  });

  it('restore after joining re-sends what changed the model', () => {
    const { channel, models } = group(['a', 'b']);
    const a = get(models, 'a');
    const b = get(models, 'b');
    const source = new DesktopModel({ self: 'z', send: () => undefined, newId: () => 'z1' });
    source.place({ reference: REF, x: 3, y: 4, width: 10, height: 10 });
    a.place({ reference: REF, x: 0, y: 0, width: 10, height: 10 });
    channel.flush();
    a.restore(source.persist());
    channel.flush();
    expectConverged([a, b]);
    expect(b.item('z1')).toMatchObject({ x: 3, y: 4 });
  });

  it('drops and counts malformed updates without throwing', () => {
    const { channel, models } = group(['a', 'b']);
    const a = get(models, 'a');
    const b = get(models, 'b');
    const id = a.place({ reference: REF, x: 0, y: 0, width: 10, height: 10 });
    channel.flush();
    const before = b.view();
    const bad: Uint8Array[] = [
      new Uint8Array(),
      new Uint8Array([MessageKind.DesktopUpdate]),
      new Uint8Array([MessageKind.DesktopUpdate, 9, 0x7b, 0x7d]),
      frame(MessageKind.NoteDocUpdate, json({ items: [] })),
      frame(MessageKind.DesktopUpdate, new Uint8Array([0xff, 0xfe, 0x00])),
      frame(MessageKind.DesktopUpdate, json([1, 2])),
      frame(MessageKind.DesktopUpdate, json({ items: 'x' })),
      frame(
        MessageKind.DesktopUpdate,
        json({ items: [{ id, position: { t: 99, s: 'x', x: 'NaN', y: 0 } }] }),
      ),
      frame(MessageKind.DesktopUpdate, json({ items: [{ id, position: { t: -1, s: 'x', x: 0, y: 0 } }] })),
      frame(MessageKind.DesktopUpdate, json({ items: [{ id, position: { t: 1.5, s: 'x', x: 0, y: 0 } }] })),
      frame(MessageKind.DesktopUpdate, json({ items: [{ id: '', position: { t: 9, s: 'x', x: 0, y: 0 } }] })),
      frame(MessageKind.DesktopUpdate, json({ items: [{ id, layer: { t: 9, s: '', z: 0 } }] })),
      frame(
        MessageKind.DesktopUpdate,
        json({ items: [{ id: 'big', content: { t: 9, s: 'x', reference: 'x'.repeat(70_000) } }] }),
      ),
      frame(MessageKind.DesktopUpdate, json({ removed: [{ id, t: 9 }] })),
    ];
    for (const update of bad) expect(() => b.receive('x', update)).not.toThrow();
    expect(b.stats.dropped).toBe(bad.length);
    expect(b.stats.lastDropReason).toMatch(/desktop/);
    expect(b.view()).toEqual(before);
    // A malformed checkpoint is dropped too, and restore refuses it with a clear error.
    b.initialize(new Uint8Array([1, 2, 3]));
    expect(b.stats.dropped).toBe(bad.length + 1);
    expect(() => b.restore(frame(MessageKind.DesktopUpdate, json({})))).toThrow(/Cannot restore the desktop/);
  });

  it('clamps out-of-range numbers the same way everywhere', () => {
    const { channel, models } = group(['a', 'b']);
    const a = get(models, 'a');
    const id = a.place({ reference: REF, x: 1e300, y: -1e300, width: 0, height: 1e12 });
    channel.flush();
    expect(get(models, 'b').item(id)).toMatchObject({ x: 1e7, y: -1e7, width: 1, height: 1e6 });
    const wild = json({ items: [{ id, position: { t: 50, s: 'x', x: -1e99, y: 5 } }] });
    get(models, 'b').receive('x', frame(MessageKind.DesktopUpdate, wild));
    expect(get(models, 'b').item(id)).toMatchObject({ x: -1e7, y: 5 });
  });

  it('refuses bad intents with clear errors', () => {
    const m = new DesktopModel({ self: 'a', send: () => undefined, maxItems: 2 });
    expect(() => m.place({ reference: REF, x: Number.NaN, y: 0, width: 1, height: 1 })).toThrow(
      /x must be a finite/,
    );
    expect(() => m.place({ reference: 'x'.repeat(64 * 1024 + 1), x: 0, y: 0, width: 1, height: 1 })).toThrow(
      /reference is too large/,
    );
    expect(() => m.move('nope', 0, 0)).toThrow(/no item "nope"/);
    const first = m.place({ reference: REF, x: 0, y: 0, width: 1, height: 1 });
    m.place({ reference: REF, x: 0, y: 0, width: 1, height: 1 });
    let error: unknown;
    try {
      m.place({ reference: REF, x: 0, y: 0, width: 1, height: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe('too-many-items');
    expect((error as ModelError).message).toMatch(/at most 2 items/);
    m.remove(first);
    expect(() => m.place({ id: first, reference: REF, x: 0, y: 0, width: 1, height: 1 })).toThrow(
      /already in use/,
    );
  });

  it('raise puts an item on top and notifies subscribers only on change', () => {
    const { channel, models } = group(['a', 'b']);
    const a = get(models, 'a');
    const views: unknown[] = [];
    const i1 = a.place({ reference: REF, x: 0, y: 0, width: 1, height: 1 });
    const i2 = a.place({ reference: REF, x: 0, y: 0, width: 1, height: 1 });
    a.subscribe((v) => views.push(v));
    a.raise(i1);
    expect(a.view().items.map((i) => i.id)).toEqual([i2, i1]);
    expect(views).toHaveLength(1);
    a.raise(i1); // already on top: no write
    channel.flush(); // own echoes change nothing
    expect(views).toHaveLength(1);
    expect(get(models, 'b').view()).toEqual(a.view());
    expect(JSON.parse(JSON.stringify(a.view()))).toEqual(a.view());
  });
});
