import { describe, expect, it } from 'vitest';
import type { Intent, NetworkStatus, ViewState } from './protocol';
import { parseCall, parseEvent } from './validate';

const bytes = new Uint8Array([1, 2, 3]);

/** One valid intent of every kind. */
const INTENTS: readonly Intent[] = [
  { kind: 'desktop.place', reference: '<x/>', x: 1, y: 2, width: 300 },
  { kind: 'desktop.move', id: 'a', x: 1, y: 2 },
  { kind: 'desktop.resize', id: 'a', width: 1, height: 2 },
  { kind: 'desktop.raise', id: 'a' },
  { kind: 'desktop.remove', id: 'a' },
  { kind: 'note.update', update: bytes },
  { kind: 'note.awareness', update: bytes },
  { kind: 'image.set', mime: 'image/png', data: bytes },
  { kind: 'space3d.place', reference: '<x/>', position: [0, 1, 2], rotation: [0, 0, 0, 1] },
  { kind: 'space3d.move', id: 'a', position: [0, 1, 2] },
  { kind: 'space3d.rotate', id: 'a', rotation: [0, 0, 0, 1] },
  { kind: 'space3d.scale', id: 'a', scale: [1, 1, 1] },
  { kind: 'space3d.remove', id: 'a' },
  { kind: 'airplane.bind', reference: '<x/>', track: 3 },
  { kind: 'airplane.unbind', what: 'livery' },
  { kind: 'airplane.callsign', callsign: 'SWR1' },
  { kind: 'building.color', color: '#ff8800' },
  { kind: 'map.annotate', lon: 7.4, lat: 46.9, text: 'Bern' },
  { kind: 'map.unannotate', id: 'a' },
];

/** One valid view state of every kind. */
const STATES: readonly ViewState[] = [
  {
    kind: 'desktop',
    items: [{ id: 'a', reference: '<x/>', x: 0, y: 0, width: 320, height: 240, z: 1, kind: 'note' }],
  },
  { kind: 'note', length: 5, peers: [{ clientId: 7, name: 'Ann', hasCursor: true }] },
  {
    kind: 'image',
    mime: 'image/png',
    data: bytes,
    version: '3@n1',
    width: 4,
    height: null,
    size: 3,
    uploads: [{ version: '4@n2', received: 1, count: 3 }],
  },
  {
    kind: 'space3d',
    objects: [{ id: 'a', reference: '<x/>', position: [0, 0, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] }],
  },
  { kind: 'airplane', callsign: 'SWR1', color: '#aabbcc', stream: null, track: 0, livery: '<l/>' },
  {
    kind: 'building',
    name: 'Hall',
    footprint: [
      [0, 0],
      [1, 0],
      [1, 1],
    ],
    height: 10,
    color: '#b9b2a6',
  },
  {
    kind: 'map',
    area: { name: 'Alps', bounds: [5, 45, 11, 48] },
    annotations: [{ id: 'n', lon: 8, lat: 46.5, text: 'Hi', author: 'ada', x: 1, z: 2 }],
  },
  { kind: 'coordinates', senders: ['n1'] },
  {
    kind: 'flights',
    count: 1,
    seed: 5,
    rateHz: 20,
    publisher: 'n1',
    publishing: true,
    tracks: [{ track: 0, callsign: 'LX1', color: '#112233' }],
  },
];

const NETWORK: NetworkStatus = {
  interface: { name: 'eth0', address: '10.0.0.5', mtu: 1500, loopback: false, chosenBy: 'lan' },
  membership: { address: '10.0.0.5:7070', foundBy: 'serving', servedHere: true, state: 'connected' },
  transport: 'mixed',
  regions: [
    { region: 'r1', transport: 'multicast', members: 3 },
    { region: 'r2', transport: 'unicast', members: 2 },
  ],
  peers: [{ id: '10.0.0.6:4000/ab', name: 'Bob', address: '10.0.0.6:4000', heard: true }],
  problems: [{ kind: 'multicast-blocked', message: 'IP multicast does not arrive…' }],
};

describe('parseCall', () => {
  it('accepts every command and every intent kind as the contract types them', () => {
    expect(parseCall('hello', {})).toEqual({ ok: true, value: { command: 'hello', args: {} } });
    expect(parseCall('open', { xml: '<x/>', source: 'a.liveobject' }).ok).toBe(true);
    expect(parseCall('create', { template: 'flights', title: 'Traffic' }).ok).toBe(true);
    expect(parseCall('checkDrop', { handle: 'h', xml: '<x/>' }).ok).toBe(true);
    expect(parseCall('network', {})).toEqual({ ok: true, value: { command: 'network', args: {} } });
    for (const intent of INTENTS) {
      const checked = parseCall('act', { handle: 'h', intent });
      expect(checked, intent.kind).toEqual({
        ok: true,
        value: { command: 'act', args: { handle: 'h', intent } },
      });
    }
  });

  it('keeps bytes as the same Uint8Array', () => {
    const checked = parseCall('act', { handle: 'h', intent: { kind: 'note.update', update: bytes } });
    expect(checked.ok && checked.value.command === 'act' && checked.value.args.intent).toMatchObject({
      update: bytes,
    });
  });

  it('names what was wrong', () => {
    const error = (command: unknown, args: unknown): string => {
      const checked = parseCall(command, args);
      return checked.ok ? 'accepted' : checked.error;
    };
    expect(error('rm -rf', {})).toBe("unknown command 'rm -rf'");
    expect(error('toString', {})).toBe("unknown command 'toString'");
    expect(error(undefined, {})).toBe('unknown command (none given)');
    expect(error('open', [1, 2])).toBe('open: args must be an object');
    expect(error('open', null)).toBe('open: args must be an object');
    expect(error('open', {})).toBe('open: xml is missing (it must be a string)');
    expect(error('close', { handle: 7 })).toBe('close: handle must be a string');
    expect(error('create', { template: 'rocket' })).toMatch(
      /^create: template must be one of desktop, note, /,
    );
    expect(error('act', { handle: 'h' })).toBe('act: intent is missing (it must be an object)');
    expect(error('act', { handle: 'h', intent: { kind: 'desktop.move', id: 'a', x: '1', y: 2 } })).toBe(
      'act: intent.x must be a number',
    );
    expect(error('act', { handle: 'h', intent: { kind: 'desktop.move', id: 'a', x: NaN, y: 2 } })).toBe(
      'act: intent.x must be a number',
    );
    expect(error('act', { handle: 'h', intent: { kind: 'format.disk' } })).toMatch(
      /^act: intent\.kind 'format\.disk' is not one of desktop\.place, desktop\.move, /,
    );
    expect(error('act', { handle: 'h', intent: { kind: 'note.update', update: 'AAAA' } })).toBe(
      'act: intent.update must be bytes (a Uint8Array)',
    );
    expect(error('act', { handle: 'h', intent: { kind: 'space3d.move', id: 'a', position: [1, 2] } })).toBe(
      'act: intent.position must have at least 3 items',
    );
    expect(error('act', { handle: 'h', intent: { kind: 'airplane.unbind', what: 'wings' } })).toBe(
      'act: intent.what must be one of stream, livery',
    );
    expect(
      error('act', { handle: 'h', intent: { kind: 'airplane.bind', reference: '<x/>', track: 1.5 } }),
    ).toBe('act: intent.track must be an integer');
  });
});

describe('parseEvent', () => {
  it('accepts a view state of every kind', () => {
    for (const state of STATES) {
      expect(parseEvent('state', { handle: 'h', state }), state.kind).toEqual({
        ok: true,
        value: { event: 'state', data: { handle: 'h', state } },
      });
    }
  });

  it('refuses malformed events, naming the problem', () => {
    const error = (event: unknown, data: unknown): string => {
      const checked = parseEvent(event, data);
      return checked.ok ? 'accepted' : checked.error;
    };
    const desktopItem = { id: 'a', reference: '<x/>', x: 0, y: 0, width: 1, height: 1, z: 0 };
    expect(error('bogus', {})).toBe("unknown event 'bogus'");
    expect(error('state', { handle: 'h', state: { items: [] } })).toMatch(
      /^'state' event: state\.kind is not one of desktop, note, /,
    );
    expect(
      error('state', { handle: 'h', state: { kind: 'desktop', items: [{ ...desktopItem, x: 'x' }] } }),
    ).toBe("'state' event: state.items[0].x must be a number");
    expect(error('state', { handle: 'h', state: { kind: 'desktop', items: [{ id: 'a' }] } })).toMatch(
      /^'state' event: state\.items\[0\]\.reference is missing/,
    );
    expect(error('state', { handle: 'h', state: { ...STATES[2], data: 'AAAA' } })).toBe(
      "'state' event: state.data must be bytes (a Uint8Array)",
    );
    expect(error('state', { handle: 'h', state: { ...STATES[4], color: 'red' } })).toMatch(
      /^'state' event: state\.color must match/,
    );
    expect(error('state', { handle: 'h', state: { ...STATES[5], footprint: [[0, 0], [1]] } })).toMatch(
      /^'state' event: state\.footprint/,
    );
    expect(
      error('state', { handle: 'h', state: { ...STATES[6], area: { name: 'bad', bounds: [10, 0, 5, 1] } } }),
    ).toMatch(/^'state' event: state\.area is not a valid area \(longitudes/);
    expect(error('presence', { handle: 'h', members: [{ id: 'a', name: 'Ann' }, { name: 'Bob' }] })).toBe(
      "'presence' event: members[1].id is missing (it must be a string)",
    );
    expect(error('note.update', { handle: 'h', update: 'AAAA' })).toBe(
      "'note.update' event: update must be bytes (a Uint8Array)",
    );
    expect(error('error', { message: 3 })).toBe("'error' event: message must be a string");
  });

  it('accepts a network status and names what is wrong with a malformed one', () => {
    expect(parseEvent('network', NETWORK)).toEqual({ ok: true, value: { event: 'network', data: NETWORK } });
    const error = (data: unknown): string => {
      const checked = parseEvent('network', data);
      return checked.ok ? 'accepted' : checked.error;
    };
    expect(error({ ...NETWORK, transport: 'carrier pigeon' })).toBe(
      "'network' event: transport must be one of multicast, unicast, mixed, none",
    );
    expect(error({ ...NETWORK, interface: { ...NETWORK.interface, mtu: -1 } })).toMatch(
      /^'network' event: interface\.mtu must be at least 0/,
    );
    expect(error({ ...NETWORK, peers: [{ id: 'x', name: 'X', address: 'a' }] })).toBe(
      "'network' event: peers[0].heard is missing (it must be true or false)",
    );
    expect(error({ ...NETWORK, problems: [{ kind: 'gremlins', message: '?' }] })).toMatch(
      /^'network' event: problems\[0\]\.kind must be one of no-route, /,
    );
  });

  it('checks coordinate samples by hand, keeping the batch as it came', () => {
    const sample = { track: 2, t: 1000, position: [1, 2, 3], orientation: [0, 0, 0, 1], velocity: [0, 0, 0] };
    const samples = [sample, { ...sample, t: 1034 }];
    const checked = parseEvent('stream.samples', { handle: 'h', samples });
    expect(checked.ok && checked.value.event === 'stream.samples' && checked.value.data.samples).toBe(
      samples,
    );
    const error = (bad: unknown): string => {
      const c = parseEvent('stream.samples', { handle: 'h', samples: [sample, bad] });
      return c.ok ? 'accepted' : c.error;
    };
    expect(error({ ...sample, position: [1, 2] })).toBe(
      "'stream.samples' event: samples[1] is not a valid sample (bad position)",
    );
    expect(error({ ...sample, track: -1 })).toBe(
      "'stream.samples' event: samples[1] is not a valid sample (bad track)",
    );
    expect(error({ ...sample, orientation: [0, 0, 0, 0] })).toMatch(/samples\[1\] is not a valid sample/);
    expect(parseEvent('stream.samples', { handle: 'h', samples: 'many' })).toEqual({
      ok: false,
      error: "'stream.samples' event: samples must be a list of samples",
    });
  });
});
