import { describe, expect, it } from 'vitest';
import { inTime, waitFor, WaitTimeoutError } from './wait';

describe('waitFor', () => {
  it("resolves with the probe's first value that is not undefined or false", async () => {
    let calls = 0;
    const value = await waitFor('the third call', () => (++calls === 3 ? { calls } : undefined), {
      interval: 1,
    });
    expect(value).toEqual({ calls: 3 });
    expect(await waitFor('a true probe', () => true)).toBe(true);
  });

  it("names what it waited for and the probe's last error on timeout", async () => {
    const wait = waitFor(
      'the note text',
      () => {
        throw new Error('saw "abc"');
      },
      { timeout: 30, interval: 5 },
    );
    await expect(wait).rejects.toThrow(/^timed out after 30 ms waiting for the note text: saw "abc"$/);
    await expect(wait).rejects.toBeInstanceOf(WaitTimeoutError);
  });

  it('stops at once when its signal aborts, with the reason', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the host exited')), 20);
    const started = Date.now();
    await expect(
      waitFor('never', () => false, { timeout: 5_000, signal: controller.signal }),
    ).rejects.toThrow('the host exited');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('inTime', () => {
  it('is true when the wait resolves, false when it times out, and passes other errors on', async () => {
    expect(await inTime(waitFor('now', () => 1))).toBe(true);
    expect(await inTime(waitFor('never', () => false, { timeout: 10 }))).toBe(false);
    const aborted = AbortSignal.abort(new Error('gone'));
    await expect(inTime(waitFor('never', () => false, { signal: aborted }))).rejects.toThrow('gone');
  });
});
