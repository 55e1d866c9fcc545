// Reconnect delays: exponential with jitter so many tabs do not hammer a restarting host at once.

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** 0..1: share of the delay randomised. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 8_000, jitter: 0.2 };

export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random = Math.random,
): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt));
  const spread = base * options.jitter;
  return Math.round(base - spread + random() * 2 * spread);
}
