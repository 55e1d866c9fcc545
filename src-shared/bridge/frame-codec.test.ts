import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from './frame-codec';

describe('bridge frames', () => {
  it('round-trips values with bytes as Uint8Array', () => {
    const update = new Uint8Array([0, 1, 127, 128, 255]);
    const frame = {
      id: 7,
      command: 'act',
      args: {
        handle: 'h',
        intent: { kind: 'note.update', update },
        nested: [1.5, -2, null, true, 'é', 2 ** 40],
      },
    };
    const back = decodeFrame(encodeFrame(frame)) as typeof frame;
    expect(back).toEqual(frame);
    expect(back.args.intent.update).toBeInstanceOf(Uint8Array);
    expect(decodeFrame(encodeFrame({ a: undefined }))).toEqual({ a: undefined });
  });

  it('decodes a frame that is a view into a larger buffer without reading past it', () => {
    const bytes = encodeFrame({ update: new Uint8Array([9, 9]) });
    const pool = new Uint8Array(bytes.length + 8).fill(0xee);
    pool.set(bytes, 4);
    expect(decodeFrame(pool.subarray(4, 4 + bytes.length))).toEqual({ update: new Uint8Array([9, 9]) });
    // A byte array claiming more than the frame holds fails, though the pool has the bytes.
    const lying = encodeFrame(new Uint8Array([1, 2, 3]));
    lying[1] = 6;
    pool.set(lying, 0);
    expect(() => decodeFrame(pool.subarray(0, lying.length))).toThrow(/not a lib0-encoded value/);
  });

  it('refuses bytes that are not exactly one value', () => {
    expect(() => decodeFrame(new Uint8Array([0x01, 0x02]))).toThrow('not a lib0-encoded value');
    expect(() => decodeFrame(new Uint8Array())).toThrow('not a lib0-encoded value');
    expect(() => decodeFrame(encodeFrame({ id: 1 }).slice(0, 3))).toThrow('not a lib0-encoded value');
    expect(() => decodeFrame(new Uint8Array([...encodeFrame('x'), 0]))).toThrow(
      'bytes left over after the value',
    );
  });

  it('throws on a value it cannot encode', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => encodeFrame(cyclic)).toThrow();
  });
});
