import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { encodeFrame } from '../../src-shared/bridge/frame-codec';
import { parseServerFrame } from './frames';

const frame = (value: unknown): ArrayBuffer => {
  const bytes = encodeFrame(value);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
};

describe('parseServerFrame', () => {
  it('reads results, errors and events', () => {
    expect(parseServerFrame(frame({ id: 3, ok: true, result: { a: 1 } }))).toEqual({
      ok: true,
      message: { kind: 'reply', frame: { id: 3, ok: true, result: { a: 1 } } },
    });
    expect(parseServerFrame(frame({ id: 4, ok: true }))).toEqual({
      ok: true,
      message: { kind: 'reply', frame: { id: 4, ok: true, result: null } },
    });
    expect(parseServerFrame(frame({ id: 5, ok: false, error: 'no such handle' }))).toEqual({
      ok: true,
      message: { kind: 'reply', frame: { id: 5, ok: false, error: 'no such handle' } },
    });
    const update = new Uint8Array([1, 2, 3]);
    expect(parseServerFrame(encodeFrame({ event: 'note.update', data: { handle: 'h', update } }))).toEqual({
      ok: true,
      message: { kind: 'event', event: 'note.update', data: { handle: 'h', update } },
    });
  });

  it('gives refused calls a readable message even without one', () => {
    const parsed = parseServerFrame(frame({ id: 1, ok: false }));
    expect(
      parsed.ok && parsed.message.kind === 'reply' && !parsed.message.frame.ok && parsed.message.frame.error,
    ).toBe('The host refused the request.');
  });

  it('rejects malformed frames with a reason', () => {
    const cases: unknown[] = [
      'a text frame',
      new Uint8Array([0x01, 0x02]).buffer,
      frame([]),
      frame(null),
      frame({ id: 'x', ok: true }),
      frame({ id: 1 }),
      encodeFrame({ id: 1, ok: true }).buffer.slice(0, 3),
    ];
    for (const data of cases) {
      const parsed = parseServerFrame(data);
      expect(parsed.ok, String(data)).toBe(false);
    }
    expect(parseServerFrame('text')).toEqual({ ok: false, reason: 'frame is not binary' });
    expect(parseServerFrame(frame({ id: 'x', ok: true }))).toMatchObject({
      reason: expect.stringMatching(/id/),
    });
  });
});

describe('backoffDelay', () => {
  const options = { initialMs: 100, maxMs: 1_000, jitter: 0 };
  it('doubles up to the cap', () => {
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, options))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });
  it('stays within the jitter band', () => {
    const jittered = { ...options, jitter: 0.5 };
    expect(backoffDelay(1, jittered, () => 0)).toBe(100);
    expect(backoffDelay(1, jittered, () => 1)).toBe(300);
  });
});
