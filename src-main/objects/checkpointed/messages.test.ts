import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedMessage, Reader, Writer } from './codec';
import type { Message } from './messages';
import { decodeCheckpoint, decodeMessage, encodeCheckpoint, encodeMessage } from './messages';
import { Reassembly, splitChunks } from './reassembly';
import { VersionVector } from './version-vector';

function vector(entries: [string, number, number][]): VersionVector {
  const v = new VersionVector();
  for (const [member, epoch, seq] of entries) v.set(member, epoch, seq);
  return v;
}

describe('codec', () => {
  it('round-trips unsigned integers up to MAX_SAFE_INTEGER', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(new Reader(new Writer().uint(n).finish()).uint()).toBe(n);
      }),
    );
  });

  it('rejects truncated and overlong input', () => {
    expect(() => new Reader(new Uint8Array([0x80])).uint()).toThrow(MalformedMessage);
    expect(() => new Reader(new Uint8Array(10).fill(0xff)).uint()).toThrow(MalformedMessage);
    expect(() => new Reader(new Uint8Array([5, 1])).string()).toThrow(MalformedMessage);
  });
});

describe('messages', () => {
  const samples: Message[] = [
    { kind: 'update', epoch: 7, seq: 1, payload: new Uint8Array([1, 2, 3]) },
    { kind: 'update', epoch: 0, seq: 2 ** 40, payload: new Uint8Array() },
    { kind: 'status', epoch: 4_000_000_000, lastSeq: 0, ready: true, probe: false },
    { kind: 'status', epoch: 1, lastSeq: 9, ready: false, probe: true },
    {
      kind: 'request',
      target: 'nodé-1',
      transferId: 42,
      needed: vector([
        ['a', 1, 5],
        ['b', 2, 0],
      ]),
      departed: ['x', 'y'],
    },
    { kind: 'not-ready', target: 'a', transferId: 3 },
    { kind: 'chunk', target: 'j', transferId: 3, index: 2, count: 3, payload: new Uint8Array([9]) },
  ];

  it.each(samples)('round-trips $kind', (message) => {
    expect(decodeMessage(encodeMessage(message))).toEqual(message);
  });

  it('never throws anything but MalformedMessage on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(0, 1, 2, 3, 4, 5), (tail, type) => {
        const data = new Uint8Array([0xc7, 1, type, ...tail]);
        try {
          decodeMessage(data);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedMessage);
        }
      }),
    );
  });

  it('rejects truncations of valid messages', () => {
    for (const message of samples) {
      const data = encodeMessage(message);
      if (message.kind === 'update' || message.kind === 'chunk') continue; // payload = rest
      for (let n = 0; n < data.length; n++) {
        expect(() => decodeMessage(data.subarray(0, n))).toThrow(MalformedMessage);
      }
    }
  });

  it('round-trips a checkpoint body', () => {
    const covered = vector([['a', 1, 10]]);
    const { covered: back, state } = decodeCheckpoint(encodeCheckpoint(covered, new Uint8Array([4, 5])));
    expect([...back]).toEqual([...covered]);
    expect(state).toEqual(new Uint8Array([4, 5]));
  });
});

describe('version vector', () => {
  it('covers, raises and separates epochs of one member', () => {
    const v = vector([['a', 1, 5]]);
    v.raise('a', 1, 3);
    expect(v.get('a', 1)).toBe(5);
    expect(v.get('a', 2)).toBe(0);
    expect(v.covers(vector([['a', 1, 5]]))).toBe(true);
    expect(v.covers(vector([['a', 2, 1]]))).toBe(false);
    expect(v.covers(vector([['b', 1, 0]]))).toBe(true);
  });
});

describe('reassembly', () => {
  it('reassembles chunks in any order and flags duplicates and inconsistent counts', () => {
    const data = new Uint8Array(1000).map((_, i) => i & 0xff);
    const chunks = splitChunks(data, 300);
    expect(chunks.map((c) => c.length)).toEqual([300, 300, 300, 100]);
    const r = new Reassembly(1, 'p');
    expect(r.add(3, 4, chunks[3] as Uint8Array)).toBe('stored');
    expect(r.add(3, 4, chunks[3] as Uint8Array)).toBe('stale');
    expect(r.add(0, 5, chunks[0] as Uint8Array)).toBe('stale');
    expect(r.add(0, 4, chunks[0] as Uint8Array)).toBe('stored');
    expect(r.add(2, 4, chunks[2] as Uint8Array)).toBe('stored');
    expect(r.add(1, 4, chunks[1] as Uint8Array)).toBe('complete');
    expect(r.assemble()).toEqual(data);
  });

  it('sends an empty checkpoint as one empty chunk', () => {
    expect(splitChunks(new Uint8Array(), 10)).toHaveLength(1);
  });
});
