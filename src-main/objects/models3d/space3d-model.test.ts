import { describe, expect, it } from 'vitest';
import { MessageKind, frame } from '../models/kinds';
import { ModelError } from '../models/model';
import { FakeChannel } from '../models/testing/fake-channel';
import { Space3DModel } from './space3d-model';
import { checkConvergence, expectConverged } from './testing/convergence';

const REF = '<liveobject type="liveobjects.airplane"/>';
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

function group(ids: readonly string[]): { channel: FakeChannel; models: Space3DModel[] } {
  const channel = new FakeChannel();
  let n = 0;
  const models = ids.map((id) => {
    const model = new Space3DModel({ self: id, send: channel.sender(id), newId: () => `${id}-${n++}` });
    channel.add(id, model);
    return model;
  });
  return { channel, models };
}

describe('Space3DModel', () => {
  it('converges under random per-sender-FIFO interleavings with late joiners', () => {
    let n = 0;
    checkConvergence(
      (self, send) => new Space3DModel({ self, send, newId: () => `${self}-${n++}` }),
      (model, choice, a) => {
        const objects = model.view().objects;
        const target =
          objects.length > 0 ? objects[Math.abs(a[0] as number) % objects.length]?.id : undefined;
        switch (choice % 5) {
          case 0:
            model.place({
              reference: REF,
              kind: 'liveobjects.airplane',
              position: [a[1], a[2], a[3]] as [number, number, number],
            });
            break;
          case 1:
            if (target) model.move(target, [a[1], a[2], a[3]] as [number, number, number]);
            break;
          case 2:
            if (target)
              model.rotate(target, [a[1], a[2], a[3], a[4] === 0 ? 1 : a[4]] as [
                number,
                number,
                number,
                number,
              ]);
            break;
          case 3:
            if (target) model.scale(target, [a[1], a[2], a[3]] as [number, number, number]);
            break;
          default:
            if (target) model.remove(target);
        }
      },
    );
  });

  it('resolves concurrent moves by Lamport stamp and keeps writes to different field groups', () => {
    const { channel, models } = group(['a', 'b', 'c']);
    const [a, b] = models as [Space3DModel, Space3DModel];
    const id = a.place({ reference: REF, title: 'Plane' });
    channel.flush();
    a.move(id, [1, 1, 1]); // (2, a)
    b.move(id, [2, 2, 2]); // (2, b) wins the tie
    b.rotate(id, [0, 1, 0, 0]);
    a.scale(id, [3, 3, 3]);
    channel.flush([3, 1, 4, 1, 5, 9, 2, 6]);
    expectConverged(models);
    expect(a.object(id)).toMatchObject({
      position: [2, 2, 2],
      rotation: [0, 1, 0, 0],
      scale: [3, 3, 3],
      title: 'Plane',
      reference: REF,
    });
  });

  it('a removal wins over a concurrent, later-stamped move, and ids are not reused', () => {
    const { channel, models } = group(['a', 'b']);
    const [a, b] = models as [Space3DModel, Space3DModel];
    const id = a.place({ reference: REF });
    channel.flush();
    b.move(id, [5, 5, 5]);
    b.move(id, [6, 6, 6]); // (3, b)
    a.remove(id); // (2, a)
    channel.flush([1, 1, 0, 0]);
    expectConverged(models);
    expect(a.view().objects).toEqual([]);
    expect(() => b.move(id, [0, 0, 0])).toThrow(/no object/);
    expect(() => a.place({ id, reference: REF })).toThrow(/already in use/);
  });

  it('merges persisted offline work with the group on rejoin', () => {
    const { channel, models } = group(['a', 'b', 'c']);
    const [a, b, c] = models as [Space3DModel, Space3DModel, Space3DModel];
    const shared = a.place({ reference: REF });
    const doomed = a.place({ reference: REF });
    channel.flush();
    const saved = c.persist();
    channel.leave('c');
    c.dispose();
    a.move(shared, [100, 0, 0]);
    channel.flush();
    const offline = new Space3DModel({ self: 'c', send: () => undefined, newId: () => 'offline' });
    offline.restore(saved);
    offline.place({ reference: REF, title: 'offline' });
    offline.remove(doomed);
    offline.rotate(shared, [0, 0, 1, 1]);
    const back = new Space3DModel({ self: 'c', send: channel.sender('c') });
    back.restore(offline.persist());
    channel.join('c', back, 'b');
    channel.flush();
    expectConverged([a, b, back]);
    expect(
      a
        .view()
        .objects.map((o) => o.id)
        .sort(),
    ).toEqual(['offline', shared].sort());
    const o = a.object(shared);
    expect(o?.position).toEqual([100, 0, 0]);
    expect(o?.rotation[2]).toBeCloseTo(Math.SQRT1_2, 12); // normalised in the view
  });

  it('validates intents with clear errors', () => {
    const m = new Space3DModel({ self: 'a', send: () => undefined });
    const code = (fn: () => void): string | undefined => {
      try {
        fn();
      } catch (e) {
        return e instanceof ModelError ? e.code : 'not a ModelError';
      }
      return undefined;
    };
    expect(code(() => m.place({ reference: 'x'.repeat(64 * 1024 + 1) }))).toBe('too-large');
    expect(code(() => m.place({ reference: '' }))).toBe('invalid-argument');
    expect(code(() => m.place({ reference: REF, position: [Number.NaN, 0, 0] }))).toBe('invalid-argument');
    expect(code(() => m.place({ reference: REF, rotation: [0, 0, 0, 0] }))).toBe('invalid-argument');
    expect(code(() => m.place({ reference: REF, title: 'x'.repeat(257) }))).toBe('invalid-argument');
    expect(code(() => m.move('nope', [0, 0, 0]))).toBe('unknown-item');
    expect(() => m.place({ reference: REF, rotation: [0, 0, 0, 0] })).toThrow(/rotation/);
    const id = m.place({ reference: REF, position: [1e300, -0, 0], scale: [0, 1e9, 2] });
    expect(m.object(id)).toMatchObject({ position: [1e7, 0, 0], scale: [1e-3, 1e6, 2] });
    expect(Object.is(m.object(id)?.position[1], 0)).toBe(true);
  });

  it('drops and counts malformed updates and checkpoints without throwing', () => {
    const { channel, models } = group(['a', 'b']);
    const [a, b] = models as [Space3DModel, Space3DModel];
    const id = a.place({ reference: REF });
    channel.flush();
    const before = b.view();
    const bad = [
      new Uint8Array(),
      frame(MessageKind.DesktopUpdate, json({})),
      frame(MessageKind.Space3DUpdate, new Uint8Array([0xff])),
      frame(MessageKind.Space3DUpdate, json([])),
      frame(MessageKind.Space3DUpdate, json({ items: [{ id, position: { t: 9, s: 'x', v: [0, 0] } }] })),
      frame(MessageKind.Space3DUpdate, json({ items: [{ id, position: { t: 9, s: 'x', v: [0, 'a', 0] } }] })),
      frame(
        MessageKind.Space3DUpdate,
        json({ items: [{ id, rotation: { t: 9, s: 'x', v: [0, 0, 0, 0] } }] }),
      ),
      frame(MessageKind.Space3DUpdate, json({ items: [{ id, scale: { t: 0, s: 'x', v: [1, 1, 1] } }] })),
      frame(MessageKind.Space3DUpdate, json({ items: [{ id: '', scale: { t: 5, s: 'x', v: [1, 1, 1] } }] })),
      frame(
        MessageKind.Space3DUpdate,
        json({ items: [{ id: 'n', content: { t: 5, s: 'x', v: { reference: 7 } } }] }),
      ),
      frame(MessageKind.Space3DUpdate, json({ removed: [{ id, t: 5 }] })),
    ];
    for (const update of bad) expect(() => b.receive('x', update)).not.toThrow();
    expect(b.stats.dropped).toBe(bad.length);
    expect(b.stats.lastDropReason).toMatch(/space3d/);
    expect(b.view()).toEqual(before);
    b.initialize(new Uint8Array([1, 2, 3]));
    expect(b.stats.dropped).toBe(bad.length + 1);
    expect(() => b.restore(frame(MessageKind.Space3DUpdate, json({})))).toThrow(/Cannot restore the space3d/);
    // A write to an unknown field and one for an unplaced id are fine (forward compatible).
    b.receive(
      'x',
      frame(MessageKind.Space3DUpdate, json({ items: [{ id, glow: { t: 99, s: 'x', v: 1 } }] })),
    );
    expect(b.stats.dropped).toBe(bad.length + 1);
  });

  it('notifies subscribers on change only, with JSON-able views sorted by id', () => {
    const { channel, models } = group(['a', 'b']);
    const [a] = models as [Space3DModel];
    const seen: unknown[] = [];
    a.subscribe((v) => seen.push(v));
    const id2 = a.place({ reference: REF, id: 'b-obj' });
    const id1 = a.place({ reference: REF, id: 'a-obj', kind: 'liveobjects.building' });
    channel.flush();
    expect(seen).toHaveLength(2);
    expect(a.view().objects.map((o) => o.id)).toEqual([id1, id2]);
    expect(JSON.parse(JSON.stringify(a.view()))).toEqual(a.view());
    expect(a.type).toBe('liveobjects.space3d');
  });
});
