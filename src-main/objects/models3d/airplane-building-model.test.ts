import { describe, expect, it } from 'vitest';
import { MessageKind, frame } from '../models/kinds';
import { ModelError } from '../models/model';
import { FakeChannel } from '../models/testing/fake-channel';
import { AirplaneModel } from './airplane-model';
import { BUILDING_DEFAULTS, BuildingModel } from './building-model';
import { checkConvergence, expectConverged } from './testing/convergence';

const STREAM = '<liveobject type="liveobjects.coordinates"/>';
const TEXTURE = '<liveobject type="liveobjects.image"/>';
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const hex = (n: number): string => `#${(Math.abs(n) * 16411).toString(16).padStart(6, '0').slice(-6)}`;

function pair<M extends AirplaneModel | BuildingModel>(
  make: (self: string, send: (u: Uint8Array) => void) => M,
) {
  const channel = new FakeChannel();
  const a = make('a', channel.sender('a'));
  const b = make('b', channel.sender('b'));
  channel.add('a', a);
  channel.add('b', b);
  return { channel, a, b };
}

function errorCode(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ModelError ? e.code : 'not a ModelError';
  }
  return undefined;
}

describe('AirplaneModel', () => {
  it('converges under random interleavings with late joiners', () => {
    checkConvergence(
      (self, send) => new AirplaneModel({ self, send }),
      (m, choice, a) => {
        switch (choice % 6) {
          case 0:
            return m.setCallsign(`LO${a[0]}`);
          case 1:
            return m.setColor(hex(a[0] as number));
          case 2:
            return m.bindStream(`${STREAM}<!--${a[0]}-->`, Math.abs(a[1] as number));
          case 3:
            return m.bindLivery(`${TEXTURE}<!--${a[0]}-->`);
          case 4:
            return m.unbind('stream');
          default:
            return m.unbind('livery');
        }
      },
    );
  });

  it('binds, rebinds and unbinds with last-writer-wins', () => {
    const { channel, a, b } = pair((self, send) => new AirplaneModel({ self, send }));
    expect(a.view()).toEqual({ callsign: '', color: '#d8dde6', stream: null, track: 0, livery: null });
    a.setCallsign('SWR123');
    a.setColor('#FF8800');
    a.bindStream(STREAM, 7);
    b.bindLivery(TEXTURE);
    channel.flush();
    expect(b.view()).toEqual({
      callsign: 'SWR123',
      color: '#ff8800',
      stream: STREAM,
      track: 7,
      livery: TEXTURE,
    });
    a.setCallsign('SWR124'); // (4, a)
    a.unbind('stream'); // (5, a)
    b.bindStream(`${STREAM} `); // (4, b): older, loses
    channel.flush([1, 0]);
    expectConverged([a, b]);
    expect(a.view()).toMatchObject({ stream: null, track: 0 });
  });

  it('validates sizes and values', () => {
    const m = new AirplaneModel({ self: 'a', send: () => undefined });
    expect(errorCode(() => m.setCallsign('x'.repeat(33)))).toBe('invalid-argument');
    expect(errorCode(() => m.setColor('red'))).toBe('invalid-argument');
    expect(errorCode(() => m.bindStream(''))).toBe('invalid-argument');
    expect(errorCode(() => m.bindStream(STREAM, -1))).toBe('invalid-argument');
    expect(errorCode(() => m.bindStream(STREAM, 1.5))).toBe('invalid-argument');
    expect(errorCode(() => m.bindLivery('x'.repeat(64 * 1024 + 1)))).toBe('too-large');
    expect(() => m.unbind('wings' as 'stream')).toThrow(TypeError);
    expect(m.view().callsign).toBe('');
  });

  it('drops malformed updates, ignores records and removals it has no use for', () => {
    const m = new AirplaneModel({ self: 'a', send: () => undefined });
    const bad = [
      frame(MessageKind.AirplaneUpdate, json({ root: { color: { t: 3, s: 'x', v: 'blue' } } })),
      frame(MessageKind.AirplaneUpdate, json({ root: { stream: { t: 3, s: 'x', v: 5 } } })),
      frame(
        MessageKind.AirplaneUpdate,
        json({ root: { stream: { t: 3, s: 'x', v: { reference: 'r', track: 1e6 } } } }),
      ),
      frame(MessageKind.AirplaneUpdate, json({ root: [] })),
      frame(MessageKind.BuildingUpdate, json({})),
    ];
    for (const u of bad) m.receive('x', u);
    expect(m.stats.dropped).toBe(bad.length);
    m.receive(
      'x',
      frame(MessageKind.AirplaneUpdate, json({ items: [{ id: 'q' }], removed: [{ id: 'q', t: 1, s: 'x' }] })),
    );
    expect(m.stats.dropped).toBe(bad.length);
    expect(m.checkpoint().length).toBeLessThan(10);
  });
});

describe('BuildingModel', () => {
  it('converges under random interleavings with late joiners', () => {
    checkConvergence(
      (self, send) => new BuildingModel({ self, send }),
      (m, choice, a) => {
        const [x, z, w, d] = a.map((v) => Math.abs(v as number) + 1) as [number, number, number, number];
        switch (choice % 4) {
          case 0:
            return m.setFootprint([
              [x, z],
              [x + w, z],
              [x + w, z + d],
              [x, z + d],
            ]);
          case 1:
            return m.setHeight(a[0] as number);
          case 2:
            return m.setColor(hex(a[1] as number));
          default:
            return m.setName(`B${a[2]}`);
        }
      },
    );
  });

  it('sets colour, height and footprint with LWW, and has a default block', () => {
    const { channel, a, b } = pair((self, send) => new BuildingModel({ self, send }));
    expect(a.view()).toEqual({ ...BUILDING_DEFAULTS, footprint: BUILDING_DEFAULTS.footprint });
    a.setColor('#112233');
    b.setColor('#445566'); // same time, b wins the tie
    a.setHeight(42.5);
    const lShape: [number, number][] = [
      [0, 0],
      [30, 0],
      [30, 10],
      [10, 10],
      [10, 30],
      [0, 30],
    ];
    b.setFootprint(lShape);
    channel.flush([1, 1, 0, 0]);
    expectConverged([a, b]);
    expect(a.view()).toMatchObject({ color: '#445566', height: 42.5, footprint: lShape });
    a.setHeight(1e9);
    expect(a.view().height).toBe(2000);
  });

  it('refuses footprints that are not simple polygons of 3–64 points', () => {
    const m = new BuildingModel({ self: 'a', send: () => undefined });
    const bad: [unknown, RegExp][] = [
      [
        [
          [0, 0],
          [1, 0],
        ],
        /3 to 64 points/,
      ],
      [Array.from({ length: 65 }, (_, i) => [Math.cos(i / 10), Math.sin(i / 10)]), /3 to 64 points/],
      [
        [
          [0, 0],
          [10, 0],
          [0, 10],
          [10, 10],
        ],
        /crosses itself/,
      ], // bow tie
      [
        [
          [0, 0],
          [10, 0],
          [20, 0],
        ],
        /folds back/,
      ],
      [
        [
          [0, 0],
          [10, 0],
          [20, 1e-6],
        ],
        /no area/,
      ],
      [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 0],
          [0, 10],
        ],
        /repeated point/,
      ],
      [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [5, 0],
        ],
        /crosses itself/,
      ], // touches an edge
      [
        [
          [0, 0],
          [10, 0],
          [Number.NaN, 10],
        ],
        /finite/,
      ],
      [[[0, 0], [10, 0], [10]], /\[x, z\]/],
      ['square', /3 to 64 points/],
    ];
    for (const [footprint, reason] of bad) {
      expect(() => m.setFootprint(footprint as [number, number][])).toThrow(reason);
    }
    const circle = Array.from({ length: 64 }, (_, i): [number, number] => [
      50 * Math.cos((i / 64) * 2 * Math.PI),
      50 * Math.sin((i / 64) * 2 * Math.PI),
    ]);
    m.setFootprint(circle);
    m.setFootprint([...circle].reverse()); // either winding
    expect(m.view().footprint).toHaveLength(64);
    expect(m.stats.dropped).toBe(0);
  });

  it('drops a received invalid footprint', () => {
    const m = new BuildingModel({ self: 'a', send: () => undefined });
    m.receive(
      'x',
      frame(
        MessageKind.BuildingUpdate,
        json({
          root: {
            footprint: {
              t: 5,
              s: 'x',
              v: [
                [0, 0],
                [1, 1],
                [0, 1],
                [1, 0],
              ],
            },
          },
        }),
      ),
    );
    expect(m.stats.dropped).toBe(1);
    expect(m.stats.lastDropReason).toMatch(/building: footprint: .*crosses itself/);
  });
});
