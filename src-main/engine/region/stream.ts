// One sender's stream as this member of a region view holds it: what arrived (a SeqSet), the
// messages cached for delivery and for peers' repairs, and what the token rings last said
// about it. Plain state shared by the data path, the token rings and the orphan handling,
// which each read it their own way; none of them owns it alone.

import type { DataMsg } from '../wire/packets';
import { SeqMap } from '../util/seq-map';
import { SeqSet } from './seqset';

export class Stream {
  /** @param inc the sender's stream incarnation (wire/packets.ts) this state is about.
   * @param own this node's own stream: stored only until delivered, since the node's sender
   * holds every message until it is stable and repairs come from there (ctx.ownMessage). */
  constructor(
    readonly inc: number,
    readonly own: boolean,
  ) {}
  readonly set = new SeqSet();
  readonly store = new SeqMap<DataMsg>();
  storeBytes = 0;
  delivered = 0;
  /** Region-wide stable prefix and per-partition prefixes, as last learned from a token. */
  stable = 0;
  partContig: number[] = [];
  /** The stable prefix the region leader declared quiet (-1: never). Anything this member
   * knows beyond it (or a gap) makes it put the sender back on the token. */
  quietAt = -1;
  /** maxSeen at my previous token visit: seqs known to exist for a whole round and still
   * missing are lost; newer ones may be in flight and are neither pulled nor reported lost. */
  seenBefore = 0;
  /** When each seq was last repaired by me: pushes and pull answers for one loss coincide. */
  readonly repairedAt = new Map<number, number>();
  /** The sender left the region's groups without flushing (it crashed, or the GMS excluded
   * it): the members that hold the stream complete it from each other's caches, then
   * deliver what they have (see orphans.ts). */
  orphan = false;
  /** Orphan housekeeping intervals without progress here and without repairs served. */
  idle = 0;
  progressMark = -1;
}
