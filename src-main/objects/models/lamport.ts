// Lamport timestamps for last-writer-wins registers. A stamp is (time, sender); the sender id
// breaks ties so every replica orders concurrent writes the same way.

export interface Stamp {
  readonly t: number;
  readonly s: string;
}

/** Largest Lamport time we accept: keeps times exact in a double and in JSON. */
export const MAX_LAMPORT = Number.MAX_SAFE_INTEGER;

export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.t !== b.t) return a.t < b.t ? -1 : 1;
  return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
}

export function isNewer(a: Stamp, than: Stamp | undefined): boolean {
  return than === undefined || compareStamps(a, than) > 0;
}

export function formatStamp(stamp: Stamp): string {
  return `${stamp.t}@${stamp.s}`;
}

export function isValidSender(s: unknown): s is string {
  return typeof s === 'string' && s.length > 0 && s.length <= 256;
}

export function isValidTime(t: unknown): t is number {
  return typeof t === 'number' && Number.isSafeInteger(t) && t > 0 && t <= MAX_LAMPORT;
}

export class LamportClock {
  #time = 0;

  get time(): number {
    return this.#time;
  }

  /** Advances past everything seen and returns the time for a new local write. */
  tick(): number {
    this.#time += 1;
    return this.#time;
  }

  /** Merges a time observed in an update or checkpoint. */
  observe(t: number): void {
    if (t > this.#time) this.#time = t;
  }
}
