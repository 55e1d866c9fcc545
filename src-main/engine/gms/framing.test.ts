import { describe, expect, it } from 'vitest';
import { FrameDecoder, encodeFrame } from './framing';
import { parseClientMessage, parseServerMessage } from './protocol';

describe('FrameDecoder', () => {
  it('reassembles frames split at any byte and several per chunk', () => {
    const bytes = Buffer.concat([encodeFrame({ t: 'heartbeat' }), encodeFrame({ t: 'join', group: 'é' })]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const decoder = new FrameDecoder(1024);
      const frames = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
      expect(frames).toEqual([
        { kind: 'message', value: { t: 'heartbeat' } },
        { kind: 'message', value: { t: 'join', group: 'é' } },
      ]);
    }
  });

  it('drops bad JSON and invalid UTF-8 but keeps going; an oversized length is fatal', () => {
    const decoder = new FrameDecoder(16);
    const raw = (payload: Buffer): Buffer => {
      const head = Buffer.alloc(4);
      head.writeUInt32BE(payload.length);
      return Buffer.concat([head, payload]);
    };
    const kinds = decoder
      .push(Buffer.concat([raw(Buffer.from('{x')), raw(Buffer.from([0xc3, 0x28])), raw(Buffer.from('1'))]))
      .map((f) => f.kind);
    expect(kinds).toEqual(['malformed', 'malformed', 'message']);
    expect(decoder.push(raw(Buffer.alloc(17))).map((f) => f.kind)).toEqual(['fatal']);
    expect(decoder.push(encodeFrame(1))).toEqual([]);
  });
});

describe('protocol validation', () => {
  it('accepts well-formed messages and rejects everything else', () => {
    const node = { id: 'h:1/1', host: 'h', port: 1 };
    expect(parseClientMessage({ t: 'register', v: 1, node, groups: ['A'], lastEpoch: 0 })).toBeDefined();
    expect(parseClientMessage({ t: 'register', v: 1, node, groups: [''], lastEpoch: 0 })).toBeUndefined();
    expect(
      parseClientMessage({ t: 'register', v: 1, node: { ...node, port: 70000 }, groups: [], lastEpoch: 0 }),
    ).toBeUndefined();
    expect(parseClientMessage({ t: 'join', group: 'x'.repeat(513) })).toBeUndefined();
    expect(parseClientMessage({ t: 'nope' })).toBeUndefined();
    expect(parseClientMessage(null)).toBeUndefined();
    expect(parseClientMessage([])).toBeUndefined();
    expect(
      parseServerMessage({
        t: 'delta',
        epoch: 1,
        groups: [],
        regions: [{}],
        removedGroups: [],
        removedRegions: [],
      }),
    ).toBeUndefined();
    expect(parseServerMessage({ t: 'snapshot', epoch: 1, groups: [], regions: [] })).toBeDefined();
  });
});
