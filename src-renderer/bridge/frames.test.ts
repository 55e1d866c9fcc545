import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { parseServerFrame } from './frames';

describe('parseServerFrame', () => {
  it('reads results, errors and events', () => {
    expect(parseServerFrame('{"id":3,"ok":true,"result":{"a":1}}')).toEqual({
      ok: true,
      frame: { id: 3, ok: true, result: { a: 1 } },
    });
    expect(parseServerFrame('{"id":4,"ok":true}')).toEqual({
      ok: true,
      frame: { id: 4, ok: true, result: null },
    });
    expect(parseServerFrame('{"id":5,"ok":false,"error":"no such handle"}')).toEqual({
      ok: true,
      frame: { id: 5, ok: false, error: 'no such handle' },
    });
    expect(parseServerFrame('{"event":"presence","data":{"handle":"h","members":[]}}')).toEqual({
      ok: true,
      frame: { event: 'presence', data: { handle: 'h', members: [] } },
    });
  });

  it('gives refused calls a readable message even without one', () => {
    const parsed = parseServerFrame('{"id":1,"ok":false}');
    expect(parsed.ok && 'error' in parsed.frame && parsed.frame.error).toBe('The host refused the request.');
  });

  it('rejects malformed frames with a reason', () => {
    for (const text of ['nope', '[]', 'null', '{"id":"x","ok":true}', '{"event":"bogus"}', '{"id":1}']) {
      const parsed = parseServerFrame(text);
      expect(parsed.ok, text).toBe(false);
    }
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
