// Finds the member of a token ring that does not pass tokens on. A member that takes no part
// in the rings (a process that registered with the GMS and heartbeats, but never forwards a
// token) holds back every MaxContiguous of its region, so senders' windows fill and stay full:
// the GMS's heartbeats cannot see it. The leader that launches a ring (a partition leader for
// its partition's ring, the region leader for the ring of partition leaders) watches whether
// its tokens come back. When none has for `boundMs` while stability is held back, it sends
// probes: tokens with no records and a round of their own, launched at a suffix of the ring,
// the last member first, then one member longer each time one comes back. Members forward a
// probe like any token, so the first suffix whose probes do not come back in `attempts`
// tries starts with the member that keeps the ring from closing. Probes use only the wire
// format's tokens and the members' usual forwarding; what a probe gathers is never used as
// an aggregate (it skipped part of the ring).
import type { NodeInfo } from '../membership';

/** Probe rounds: far above any round a region leader numbers (one per round, from 1). */
const PROBE_ROUND_BASE = 0xc000_0000;
const PROBE_ROUND_SPAN = 0x3fff_ffff;

export interface RingProbeOptions {
  /** How long the ring may stay open while stability is held back before probing starts. */
  readonly boundMs: number;
  /** How long a probe has to come back. */
  readonly waitMs: number;
  /** Probes that must fail in a row before their first member is named. */
  readonly attempts: number;
}

interface Probing {
  /** The probed suffix starts at ring[index]. */
  index: number;
  round: number;
  sentAt: number;
  tries: number;
}

export class RingProbe {
  private lastClosed: number;
  private probing: Probing | undefined;

  /**
   * @param ring the members a token visits after the leader, in order; it then comes back.
   * @param send launches a probe at `to` with `round` (the caller's token of its ring level).
   */
  constructor(
    private readonly ring: readonly NodeInfo[],
    private readonly options: RingProbeOptions,
    private readonly send: (to: NodeInfo, round: number) => void,
    now: number,
    private readonly random: () => number = Math.random,
  ) {
    this.lastClosed = now;
  }

  /** Whether a probe is out. */
  get active(): boolean {
    return this.probing !== undefined;
  }

  /** A token of a normal round came back: the whole ring works. */
  closed(now: number): void {
    this.lastClosed = now;
    this.probing = undefined;
  }

  /** A token of round `round` came back; true if it was the current probe (the caller then
   * uses nothing it carries). */
  returned(round: number, now: number): boolean {
    const p = this.probing;
    if (!p || round !== p.round) return false;
    if (p.index === 0) this.closed(now);
    else this.launch(p.index - 1, 0, now);
    return true;
  }

  /**
   * Called regularly (every ΔT). `held`: stability is held back (the leader has messages
   * not yet stable region-wide). Returns the member found not forwarding, once; probing then
   * starts over after another `boundMs`.
   */
  tick(now: number, held: boolean): NodeInfo | undefined {
    if (!held || this.ring.length === 0) {
      this.closed(now);
      return undefined;
    }
    const p = this.probing;
    if (!p) {
      if (now - this.lastClosed >= this.options.boundMs) this.launch(this.ring.length - 1, 0, now);
      return undefined;
    }
    if (now - p.sentAt < this.options.waitMs) return undefined;
    if (p.tries + 1 < this.options.attempts) {
      this.launch(p.index, p.tries + 1, now);
      return undefined;
    }
    const found = this.ring[p.index];
    this.closed(now);
    return found;
  }

  private launch(index: number, tries: number, now: number): void {
    const round = PROBE_ROUND_BASE + Math.floor(this.random() * PROBE_ROUND_SPAN);
    this.probing = { index, round, sentAt: now, tries };
    this.send(this.ring[index]!, round);
  }
}
