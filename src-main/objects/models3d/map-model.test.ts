import { describe, expect, it } from 'vitest';
import { AREAS, DEFAULT_AREA, projectLonLat } from '../../../src-shared/spatial/geodata';
import { MessageKind, frame } from '../models/kinds';
import { ModelError } from '../models/model';
import { FakeChannel } from '../models/testing/fake-channel';
import { MAP_LIMITS, MapModel } from './map-model';
import { checkConvergence, expectConverged } from './testing/convergence';

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

describe('MapModel', () => {
  it('converges under random interleavings with late joiners', () => {
    let n = 0;
    checkConvergence(
      (self, send) => new MapModel({ self, send, newId: () => `${self}-${n++}` }),
      (m, choice, a) => {
        const list = m.view().annotations;
        switch (choice % 4) {
          case 0:
          case 1:
            m.addAnnotation({ lon: (a[0] as number) / 10, lat: (a[1] as number) / 20, text: `note ${a[2]}` });
            return;
          case 2:
            if (list.length > 0)
              m.removeAnnotation((list[Math.abs(a[3] as number) % list.length] as { id: string }).id);
            return;
          default:
            m.setArea(choice % 8 === 3 ? AREAS.sanFranciscoBay : AREAS.centralAlps);
        }
      },
    );
  });

  it('adds and removes annotations (tombstones win), projected into the area', () => {
    const channel = new FakeChannel();
    let n = 0;
    const a = new MapModel({ self: 'a', send: channel.sender('a'), newId: () => `n${n++}` });
    const b = new MapModel({ self: 'b', send: channel.sender('b') });
    channel.add('a', a);
    channel.add('b', b);
    expect(a.view()).toEqual({ area: DEFAULT_AREA, annotations: [] });
    const id = a.addAnnotation({ lon: 7.45, lat: 46.95, text: 'Bern', author: 'Ann' });
    channel.flush();
    const [x, z] = projectLonLat(DEFAULT_AREA, 7.45, 46.95);
    expect(b.view().annotations).toEqual([{ id, lon: 7.45, lat: 46.95, text: 'Bern', author: 'Ann', x, z }]);
    b.removeAnnotation(id);
    const other = a.addAnnotation({ lon: 8.54, lat: 47.37, text: 'Zürich' });
    channel.flush([1, 0]);
    expectConverged([a, b]);
    expect(a.view().annotations.map((n) => [n.id, n.author])).toEqual([[other, 'a']]);
    expect(() => a.removeAnnotation(id)).toThrow(/no annotation/);
    a.setArea(AREAS.sanFranciscoBay);
    channel.flush();
    expect(b.view().area).toEqual(AREAS.sanFranciscoBay);
    expect(b.view().annotations[0]?.x).toBeCloseTo(projectLonLat(AREAS.sanFranciscoBay, 8.54, 47.37)[0], 6);
  });

  it('bounds the number of annotations and their text', () => {
    let n = 0;
    const m = new MapModel({ self: 'a', send: () => undefined, newId: () => `id${n++}` });
    const code = (fn: () => void): string | undefined => {
      try {
        fn();
      } catch (e) {
        return e instanceof ModelError ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => m.addAnnotation({ lon: 0, lat: 0, text: '' }))).toBe('invalid-argument');
    expect(code(() => m.addAnnotation({ lon: 0, lat: 0, text: 'x'.repeat(1001) }))).toBe('invalid-argument');
    expect(code(() => m.addAnnotation({ lon: Number.NaN, lat: 0, text: 'x' }))).toBe('invalid-argument');
    expect(code(() => m.addAnnotation({ lon: 0, lat: 0, text: 'x', author: 'y'.repeat(65) }))).toBe(
      'invalid-argument',
    );
    expect(code(() => m.setArea({ name: 'bad', bounds: [10, 0, 5, 1] }))).toBe('invalid-argument');
    expect(m.view().annotations).toEqual([]);
    for (let i = 0; i < MAP_LIMITS.maxAnnotations; i += 1) m.addAnnotation({ lon: 0, lat: 0, text: 'x' });
    expect(code(() => m.addAnnotation({ lon: 0, lat: 0, text: 'x' }))).toBe('too-many-items');
    const clamped = new MapModel({ self: 'b', send: () => undefined });
    const id = clamped.addAnnotation({ lon: 500, lat: -95, text: 'edge' });
    expect(clamped.view().annotations.find((x) => x.id === id)).toMatchObject({ lon: 180, lat: -90 });
  });

  it('drops malformed updates', () => {
    const m = new MapModel({ self: 'a', send: () => undefined });
    const bad = [
      frame(
        MessageKind.MapUpdate,
        json({ root: { area: { t: 2, s: 'x', v: { name: 'x', bounds: [0, 0, 0, 0] } } } }),
      ),
      frame(
        MessageKind.MapUpdate,
        json({ items: [{ id: 'a', content: { t: 2, s: 'x', v: { lon: 0, lat: 0, text: 5, author: '' } } }] }),
      ),
      frame(MessageKind.MapUpdate, json({ items: [{ id: 'a', content: { t: 2, s: 'x' } }] })),
      frame(MessageKind.MapState, json({})),
    ];
    for (const u of bad) m.receive('x', u);
    expect(m.stats.dropped).toBe(bad.length);
    expect(m.view().annotations).toEqual([]);
  });
});
