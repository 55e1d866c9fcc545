// Waiting in tests and benchmarks: poll a probe instead of sleeping for a fixed time. One
// signature everywhere (unit, multi-process, end-to-end and bench code). Isomorphic: no node:*
// and no DOM, so renderer tests may use it as well.

export interface WaitOptions {
  /** Total time to wait, in ms (default 10 s). */
  readonly timeout?: number;
  /** Pause between probes, in ms (default 20). */
  readonly interval?: number;
  /** Stops the wait at once, rejecting with the signal's reason (e.g. a process that exited). */
  readonly signal?: AbortSignal;
}

/** What `waitFor` rejects with when its time is up (an abort rejects with the abort's reason). */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` until it returns something other than `undefined`/`false` and resolves with
 * that value (a boolean probe resolves with `true`). A probe that throws counts as "not yet";
 * on timeout the error names `what` and the probe's last error, so a probe may throw to say
 * what it saw instead.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions = {},
): Promise<T> {
  const timeout = options.timeout ?? 10_000;
  const interval = options.interval ?? 20;
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = undefined;
    } catch (error) {
      last = error;
    }
    options.signal?.throwIfAborted();
    if (Date.now() > deadline) {
      const why = last instanceof Error ? `: ${last.message}` : last === undefined ? '' : `: ${String(last)}`;
      throw new WaitTimeoutError(`timed out after ${timeout} ms waiting for ${what}${why}`);
    }
    await delay(interval);
  }
}

/**
 * True when `wait` resolves, false when it times out; any other failure (an abort) propagates.
 * For a test that gathers more evidence (reports, counters) before asserting on the outcome.
 */
export async function inTime(wait: Promise<unknown>): Promise<boolean> {
  try {
    await wait;
    return true;
  } catch (error) {
    if (error instanceof WaitTimeoutError) return false;
    throw error;
  }
}
