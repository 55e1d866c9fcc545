import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MalformedMessage, readString, readUint, writeUint } from './codec';
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
        const encoder = encoding.createEncoder();
        writeUint(encoder, n);
        expect(readUint(decoding.createDecoder(encoding.toUint8Array(encoder)))).toBe(n);
      }),
    );
  });

  it('rejects truncated and overlong input', () => {
    const read = (bytes: number[]) => decoding.createDecoder(new Uint8Array(bytes));
    expect(() => readUint(read([0x80]))).toThrow(MalformedMessage);
    expect(() => readUint(read(Array(10).fill(0xff)))).toThrow(MalformedMessage);
    // 2^56 - 1 in 8 bytes: lib0 would return it as an inexact number.
    expect(() => readUint(read([...Array(7).fill(0xff), 0x7f]))).toThrow(MalformedMessage);
    expect(() => readString(read([5, 1]))).toThrow(MalformedMessage);
    expect(() => readString(read([2, 0xc3, 0x28]))).toThrow(MalformedMessage);
  });

  it('refuses to write what is not an exact unsigned integer', () => {
    for (const bad of [-1, 0.5, 2 ** 53])
      expect(() => writeUint(encoding.createEncoder(), bad)).toThrow(RangeError);
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

  // The bytes hosts already exchange: any change here breaks interoperation with them.
  it('keeps the wire format byte for byte', () => {
    const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
    const needed = vector([
      ['a', 1, 5],
      ['nodé-2', 300, 2 ** 40],
    ]);
    expect(samples.map((m) => hex(encodeMessage(m)))).toEqual([
      'c701010701010203',
      'c7010100808080808020',
      'c7010280d0acf30e0001',
      'c70102010902',
      'c70103076e6f64c3a92d312a0201610105016202000201780179',
      'c70104016103',
      'c70105016a03020309',
    ]);
    expect(
      hex(encodeMessage({ kind: 'request', target: 'nodé-1', transferId: 42, needed, departed: ['x', 'y'] })),
    ).toBe('c70103076e6f64c3a92d312a0201610105076e6f64c3a92d32ac028080808080200201780179');
    expect(hex(encodeCheckpoint(needed, new Uint8Array([4, 5])))).toBe(
      '0201610105076e6f64c3a92d32ac028080808080200405',
    );
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
