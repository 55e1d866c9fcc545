// Fast loss repair, beyond the papers. The token rings find a loss within a round (ΔT, 200 ms
// by default), and in-order delivery holds back everything behind a gap meanwhile: one lost
// datagram would cost every later message of that sender a round of latency. A receiver that
// sees a sender's stream jump past a gap waits briefly (datagrams may be reordered), then
// NAKs the sender directly for what is still missing, and again a few times while the gap
// stays. Whatever this misses, the token rings recover as before.
//
// Bounded: one check per stream at a time, each NAK at most `maxSeqs` messages, `attempts`
// NAKs per gap; a gap that outlives them is left to the rings (no new NAKs until the stream's
// prefix moves). The sender answers from its window, so the cost is one unicast NAK per
// receiver per loss episode: fine for the small regions this engine runs in, and switched off
// with `fastNakMs: 0` where many receivers would lose the same datagrams at once.

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
}

interface Episode {
  attempts: number;
  /** The stream's prefix when the episode started: progress starts a new episode. */
  contig: number;
}

export class GapNaker<S extends { readonly set: SeqSet }> {
  private readonly open = new WeakMap<S, Episode>();
  /** Prefix at which a stream's gap was left to the token rings. */
  private readonly givenUp = new WeakMap<S, number>();

  constructor(
    private readonly options: GapNakOptions,
    private readonly schedule: (delayMs: number, fn: () => void) => void,
    private readonly nak: (sender: string, stream: S, ranges: SeqRange[]) => void,
  ) {}

  /** After a new message of `sender` arrived: watches the gap below it, if any. */
  onArrival(sender: string, st: S): void {
    const { contig, maxReceived } = st.set;
    if (contig >= maxReceived || this.open.has(st) || this.givenUp.get(st) === contig) return;
    this.open.set(st, { attempts: 0, contig });
    this.schedule(this.options.delayMs, () => this.check(sender, st));
  }

  private check(sender: string, st: S): void {
    const ep = this.open.get(st);
    if (!ep) return;
    const { contig, maxReceived } = st.set;
    if (contig >= maxReceived) {
      this.open.delete(st);
      return;
    }
    if (contig > ep.contig) {
      ep.attempts = 0;
      ep.contig = contig;
    }
    if (ep.attempts >= this.options.attempts) {
      this.open.delete(st);
      this.givenUp.set(st, contig);
      return;
    }
    ep.attempts++;
    const missing = st.set.missing(maxReceived, this.options.maxRanges, this.options.maxSeqs);
    if (missing.length > 0) this.nak(sender, st, missing);
    this.schedule(this.options.retryMs, () => this.check(sender, st));
  }
}
