// What every member does when a partition token visits it (D4467-4525): for each sender on
// the token, compare my stream with my ring predecessor's (carried in the record), pull what
// it has and I lack, push what I hold and it lacks, then fold my state into the record for my
// successor and into the partition's aggregate. Separate from token-ring.ts, which routes the
// tokens and plays the leaders' parts: this is the comparison alone, the same at every rank.

import type { EngineContext } from '../context';
import type { NodeId, NodeInfo, RegionView } from '../membership';
import type { Counters } from '../stats';
import {
  MAX_BITMAP_BITS,
  RECORD_ORPHAN,
  RECORD_QUIET,
  type SeqRange,
  type TokenRecord,
} from '../wire/packets';
import { MAX_LOST_RANGES, type DataPath } from './data-path';
import { appendRange, bitmapHas, intersect } from './seqset';
import type { Stream } from './stream';
import type { Topology } from './topology';

/** Token records about streams older than one I know are dropped: the sender retired them
 * (my own record for the newer one is added where the token lacks it). */
export function dropStale(
  records: TokenRecord[],
  streams: ReadonlyMap<NodeId, Stream>,
  counters: Counters,
): void {
  let w = 0;
  for (const r of records) {
    const st = streams.get(r.sender);
    if (st && st.inc > r.inc) counters.drop('stale-stream');
    else records[w++] = r;
  }
  records.length = w;
}

/** A record about an orphan stream I do not hold (I joined after its sender was gone, or
 * finished it already): I take no part, and leave the record as it is. */
export function notMine(r: TokenRecord, streams: ReadonlyMap<NodeId, Stream>): boolean {
  return (r.flags & RECORD_ORPHAN) !== 0 && streams.get(r.sender)?.inc !== r.inc;
}

/** Whether this member should (re)insert a record for a sender the token lacks. */
export function activeLocally(st: Stream): boolean {
  return st.set.maxSeen > st.quietAt || st.set.contig < st.set.maxSeen;
}

export class TokenVisitor {
  constructor(
    private readonly ctx: EngineContext,
    private readonly view: RegionView,
    private readonly topo: Topology,
    private readonly data: DataPath,
  ) {}

  /** Every member: compare with the predecessor, repair, fold my state into the aggregates. */
  visit(records: TokenRecord[], pred: NodeId): void {
    const data = this.data;
    const predInfo = this.ctx.lookup(pred);
    const seen = new Set<NodeId>();
    dropStale(records, data.streams, this.ctx.counters);
    for (const r of records) {
      seen.add(r.sender);
      if (notMine(r, data.streams)) continue;
      // Fold even for senders I do not know (yet): an empty stream keeps the aggregate honest.
      const st = data.streamFor(r.sender, r.inc)!;
      st.set.noteExists(r.maxSeen);
      st.stable = Math.max(st.stable, r.stable);
      if (r.partContig.length > 0) st.partContig = r.partContig;
      // Quiet covers only what the leader found stable, never the maxSeen the token has
      // gathered since: the leader decided on the previous round's aggregate, and data that
      // arrived meanwhile must keep (or put) the sender on the token.
      if (r.flags & RECORD_QUIET) st.quietAt = Math.max(st.quietAt, r.stable);
      const pulled =
        predInfo && pred !== this.ctx.self.id && data.known(r.sender)
          ? this.compare(r, st, predInfo)
          : undefined;
      data.cleanup(st);
      this.fold(r, st, pulled);
    }
    // Senders I know that the token lacks (new, or dropped as quiet and active again).
    for (const [id, st] of data.streams) {
      if (seen.has(id) || !activeLocally(st) || !data.known(id)) continue;
      const bm = st.set.bitmap(MAX_BITMAP_BITS);
      records.push({
        sender: id,
        inc: st.inc,
        maxSeen: st.set.maxSeen,
        prevContig: st.set.contig,
        prevBits: bm.bits,
        prevBitCount: bm.count,
        allContig: 0,
        lost: data.lostUpTo(st, data.lossHorizon(st)),
        stable: st.stable,
        partContig: st.partContig,
        flags: st.orphan ? RECORD_ORPHAN : 0,
      });
    }
  }

  /** Pulls and pushes; returns the ranges pulled (the successor need not push those). */
  private compare(r: TokenRecord, st: Stream, pred: NodeInfo): SeqRange[] {
    const data = this.data;
    const budget = this.ctx.tun.repairsPerToken;
    // Pull: what the predecessor has and I lack (or from the caching partition if it is
    // already stable there, since the predecessor may have dropped its copy). Only beyond
    // what my gap NAKs just asked the sender for: those answers may be on their way. A
    // receiver woken from a 0.5 s pause got 27,422, 8,910 and 36,874 duplicates in three runs
    // without this rule, 2,205 in one run with it.
    const asked = data.gaps?.askedUpTo(st) ?? 0;
    const horizon = Math.min(r.maxSeen, data.lossHorizon(st));
    const missing = st.set.missing(horizon, MAX_LOST_RANGES, budget, asked);
    const fromPred: SeqRange[] = [];
    const fromCache = new Map<number, SeqRange[]>();
    for (const m of missing) {
      for (let s = m.from; s <= m.to; s++) {
        const c = this.topo.cachingPartition(s);
        if (c !== this.topo.partition && s <= (st.partContig[c] ?? 0)) {
          let l = fromCache.get(c);
          if (!l) fromCache.set(c, (l = []));
          appendRange(l, s, s);
        } else if (bitmapHas(r.prevContig, r.prevBits, r.prevBitCount, s)) {
          appendRange(fromPred, s, s);
        }
      }
    }
    data.nak(pred, r.sender, r.inc, fromPred);
    const pulled = fromPred;
    for (const [c, ranges] of fromCache) {
      const target = this.topo.randomMember(c, this.ctx.self.id);
      if (target) data.nak(target, r.sender, r.inc, ranges);
      for (const x of ranges) appendRange(pulled, x.from, x.to);
    }
    // ...and the gap NAKer need not ask the sender for them too.
    let top = 0;
    for (const x of pulled) top = Math.max(top, x.to);
    if (top > 0) data.gaps?.noteAsked(st, top);
    // Push: what I hold and the predecessor lacks.
    // Only gaps below the predecessor's own highest seq: anything newer may still be in flight.
    const predHorizon = r.prevContig + r.prevBitCount;
    let pushed = 0;
    const now = performance.now();
    for (let s = r.prevContig + 1; s <= predHorizon && pushed < budget; s++) {
      if (bitmapHas(r.prevContig, r.prevBits, r.prevBitCount, s)) continue;
      const item = data.repairable(st, s);
      if (!item || !data.mayRepair(st, s, now)) continue;
      pushed++;
      this.ctx.queueRepair({
        origin: r.sender,
        region: this.view.region,
        viewId: this.view.viewId,
        inc: r.inc,
        msg: item,
        to: pred,
      });
    }
    return pulled;
  }

  /** Folds my state into the record and makes it my "predecessor state" for the next member. */
  private fold(r: TokenRecord, st: Stream, pulled?: readonly SeqRange[]): void {
    const myMax = this.data.lossHorizon(st);
    const lost = r.lost.slice();
    if (myMax > r.maxSeen) appendRange(lost, r.maxSeen + 1, myMax);
    r.lost = intersect(lost, this.data.lostUpTo(st, myMax));
    r.maxSeen = Math.max(r.maxSeen, st.set.maxSeen);
    st.seenBefore = st.set.maxSeen;
    r.allContig = Math.min(r.allContig, st.set.contig);
    r.prevContig = st.set.contig;
    const bm = st.set.bitmap(MAX_BITMAP_BITS);
    // What I am pulling right now, or my gap NAKs asked the sender for within their retry
    // interval, shows as present: my successor pushing it too would only duplicate the
    // answers to my NAKs.
    const mark = (from: number, to: number): void => {
      for (let s = from; s <= to; s++) {
        const i = s - st.set.contig - 1;
        if (i >= bm.count) return;
        if (i >= 0) bm.bits[i >>> 3]! |= 1 << (i & 7);
      }
    };
    for (const x of pulled ?? []) mark(x.from, x.to);
    mark(st.set.contig + 1, this.data.gaps?.askedUpTo(st) ?? 0);
    r.prevBits = bm.bits;
    r.prevBitCount = bm.count;
  }
}
