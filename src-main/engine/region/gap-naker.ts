// Fast loss repair, beyond the papers. The token rings find a loss within a round (ΔT, 200 ms
// by default), and in-order delivery holds back everything behind a gap meanwhile: one lost
// datagram would cost every later message of that sender a round of latency. A receiver that
// sees a sender's stream jump past a gap waits briefly (datagrams may be reordered), then
// NAKs the sender directly for what is still missing, and again a few times while the gap
// stays. Whatever this misses, the token rings recover.
//
// Pipelined: a long gap (a receiver that slept, or whose socket overflowed) is asked for
// `maxSeqs` messages at a time, and while repairs keep filling it the receiver asks for the
// next missing ones as soon as they come within `maxSeqs` of the prefix (every `delayMs`),
// rather than waiting a round trip plus `retryMs` per batch: recovery runs at the repairing
// node's sending rate, not at batch / retry.
//
// Bounded: one check per stream at a time, at most `maxSeqs` missing messages asked for beyond
// the prefix, everything still missing asked for again only after `retryMs` without progress,
// `attempts` such NAKs per gap; a gap that outlives them is left to the rings (no new NAKs
// until the stream's prefix moves). The sender answers from its window, so the cost is one
// unicast NAK per receiver per loss episode (more while a long gap streams in): fine for the
// small regions this engine runs in, and switched off with `fastNakMs: 0` where many
// receivers would lose the same datagrams at once.

import type { SeqRange } from '../wire/packets';
import type { SeqSet } from './seqset';

export interface GapNakOptions {
  /** Wait this long after a gap shows before the first NAK. */
  readonly delayMs: number;
  /** Between further NAKs for a gap that is still open. */
  readonly retryMs: number;
  readonly attempts: number;
  readonly maxRanges: number;
  readonly maxSeqs: number;
  /** Whether received datagrams still wait to be processed: the answer to the last NAK may be
   * among them, so asking again waits up to 3 × retryMs rather than retryMs (a receiver behind
   * on its input asking again and again gets every answer several times, which puts it
   * further behind). */
  readonly backlogged?: () => boolean;
}

interface Episode {
  /** Full NAKs without progress in between. */
  attempts: number;
  /** The stream's prefix at the last check. */
  contig: number;
  /** When the prefix last moved (or the last full NAK went out). */
  progressAt: number;
  /** The highest seq asked for in this episode: only missing seqs above it are new. */
  askedUpTo: number;
  /** When askedUpTo last grew (here, or by a token-ring pull: noteAsked). */
  askedAt: number;
}

export class GapNaker<S extends { readonly set: SeqSet }> {
  private readonly open = new WeakMap<S, Episode>();
  /** Prefix at which a stream's gap was left to the token rings. */
  private readonly givenUp = new WeakMap<S, number>();

  constructor(
    private readonly options: GapNakOptions,
    private readonly schedule: (delayMs: number, fn: () => void) => void,
    private readonly nak: (sender: string, stream: S, ranges: SeqRange[]) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** After a new message of `sender` arrived: watches the gap below it, if any. */
  onArrival(sender: string, st: S): void {
    const { contig, maxReceived } = st.set;
    if (contig >= maxReceived || this.open.has(st) || this.givenUp.get(st) === contig) return;
    this.open.set(st, { attempts: 0, contig, progressAt: -Infinity, askedUpTo: contig, askedAt: -Infinity });
    this.schedule(this.options.delayMs, () => this.check(sender, st));
  }

  /** The highest seq of `st` asked for in its open gap episode if that was less than retryMs
   * ago, else 0: answers may be on their way, so the token rings should not ask for those
   * again meanwhile. Only that long, and not extended by asking again (see asked()): an
   * answer lost on its way is not sent again by the same node within a token interval, and
   * the rings' pull from another member is what recovers it. */
  askedUpTo(st: S): number {
    const ep = this.open.get(st);
    return ep && this.now() - ep.askedAt < this.options.retryMs ? ep.askedUpTo : 0;
  }

  /** Seqs up to `upTo` of `st` were asked for elsewhere (a token-ring pull): not asked for
   * again here until the episode stalls for retryMs (when everything missing is). */
  noteAsked(st: S, upTo: number): void {
    const ep = this.open.get(st);
    if (ep) this.asked(ep, upTo);
  }

  /** Asking again for what was asked before (a retry) does not restart askedAt: answers
   * that are not coming should not keep the rings from asking elsewhere. */
  private asked(ep: Episode, upTo: number): void {
    if (upTo <= ep.askedUpTo) return;
    ep.askedUpTo = upTo;
    ep.askedAt = this.now();
  }

  private check(sender: string, st: S): void {
    const ep = this.open.get(st);
    if (!ep) return;
    const { contig, maxReceived } = st.set;
    if (contig >= maxReceived) {
      this.open.delete(st);
      return;
    }
    const now = this.now();
    const { delayMs, retryMs } = this.options;
    if (contig > ep.contig) {
      ep.attempts = 0;
      ep.contig = contig;
      ep.progressAt = now;
    }
    const missing = st.set.missing(maxReceived, this.options.maxRanges, this.options.maxSeqs);
    const idle = now - ep.progressAt;
    if (idle >= retryMs && (idle >= 3 * retryMs || !this.options.backlogged?.())) {
      // First NAK of the episode, or no progress for retryMs: ask for everything missing.
      if (ep.attempts >= this.options.attempts) {
        this.open.delete(st);
        this.givenUp.set(st, contig);
        return;
      }
      ep.attempts++;
      ep.progressAt = now;
      this.send(sender, st, ep, missing);
    } else {
      // Progressing: ask only for what came within reach since the last NAK.
      this.send(sender, st, ep, above(missing, ep.askedUpTo));
    }
    // Watch for progress every delayMs; ask again for everything after retryMs without it.
    const retryIn = ep.progressAt + retryMs - now;
    this.schedule(retryIn > 0 ? Math.min(delayMs, retryIn) : delayMs, () => this.check(sender, st));
  }

  private send(sender: string, st: S, ep: Episode, ranges: SeqRange[]): void {
    if (ranges.length === 0) return;
    this.asked(ep, ranges[ranges.length - 1]!.to);
    this.nak(sender, st, ranges);
  }
}

/** The parts of `ranges` (ascending) above `seq`. */
function above(ranges: readonly SeqRange[], seq: number): SeqRange[] {
  const out: SeqRange[] = [];
  for (const r of ranges) {
    if (r.to <= seq) continue;
    out.push(r.from > seq ? r : { from: seq + 1, to: r.to });
  }
  return out;
}
