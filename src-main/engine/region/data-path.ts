// The receiving side of a region view, per message: the senders' streams, in-order delivery
// within a per-tick budget, cooperative caching (what this member keeps for its peers), and
// repairs: answering peers' NAKs from the cache and asking for what is missing (fast gap
// NAKs here, token-ring pulls through nak()). Apart from the token rings and the orphan
// handling because this is the per-message hot path: it runs for every message, they run per
// token or per ΔT, and it must stay free of their bookkeeping. A message larger than a
// datagram arrives as fragments with consecutive seqs; it is delivered, in one piece, once
// the prefix covers its last fragment.

import type { EngineContext } from '../context';
import type { NodeId, NodeInfo, RegionView } from '../membership';
import { plainDatagramLimit } from '../options';
import {
  encodeNakParts,
  FRAG_CONT,
  FRAG_MORE,
  payloadSize,
  type DataMsg,
  type NakPacket,
  type SeqRange,
} from '../wire/packets';
import type { Delivery, GroupDelivery } from './delivery';
import { GapNaker } from './gap-naker';
import { MAX_AHEAD } from './seqset';
import { Stream } from './stream';
import type { Topology } from './topology';

/** Messages delivered per scheduler tick; the rest wait for the next tick. Filling a gap can
 * make tens of thousands deliverable at once, and delivering them in one go kept the socket
 * unread long enough for the kernel to drop datagrams (more gaps: a loss cascade). */
const DELIVER_PER_TICK = 2048;
/** Most missing ranges a NAK asks for, and a token record reports lost, at a time. */
export const MAX_LOST_RANGES = 64;

/** What the data path tells the token rings about (they keep per-sender state of their own). */
export interface StreamEvents {
  /** This member dropped `sender`'s stream (it left, or a newer incarnation replaced it). */
  dropped(sender: NodeId): void;
  /** Region leader: `sender` repaired a message this member already had. */
  repeated(sender: NodeId): void;
}

export class DataPath {
  readonly streams = new Map<NodeId, Stream>();
  /** New messages received (the region leader tells a busy round from a quiet one by them). */
  arrivals = 0;
  readonly gaps: GapNaker<Stream> | undefined;
  /** Streams with deliverable messages beyond this tick's budget (see DELIVER_PER_TICK). */
  private readonly backlog = new Map<NodeId, Stream>();
  private resumeScheduled = false;
  private budget = 0;
  private budgetTick = -1;
  private closed = false;
  /** Delivery state of the region's groups, by index in view.groups (DataMsg.gi). */
  private readonly groupAt: readonly GroupDelivery[];

  constructor(
    private readonly ctx: EngineContext,
    private readonly view: RegionView,
    private readonly topo: Topology,
    private readonly delivery: Delivery,
    /** Whether a node id is a live sender in one of this region's groups. */
    private readonly knownSender: (id: NodeId) => boolean,
    private readonly events: StreamEvents,
  ) {
    this.groupAt = view.groups.map((g) => delivery.group(g));
    if (ctx.tun.fastNakMs > 0) {
      const gapOptions = {
        delayMs: ctx.tun.fastNakMs,
        retryMs: Math.max(10, 5 * ctx.tun.fastNakMs),
        attempts: 3,
        maxRanges: MAX_LOST_RANGES,
        maxSeqs: ctx.tun.repairsPerToken,
        backlogged: () => this.backlogged(),
      };
      this.gaps = new GapNaker<Stream>(
        gapOptions,
        (ms, fn) => ctx.sched.after(ms, () => this.closed || fn()),
        (sender, st, ranges) => {
          const to = this.streams.get(sender) === st ? this.ctx.lookup(sender) : undefined;
          if (to) this.nak(to, sender, st.inc, ranges);
        },
      );
    }
  }

  /** Delivers the contiguous messages still waiting for a tick (the sender may already have
   * been told they are stable), then stops. */
  close(): void {
    for (const [sender, st] of this.backlog) this.deliver(sender, st, Infinity);
    this.backlog.clear();
    this.closed = true;
  }

  get cached(): { messages: number; bytes: number } {
    let messages = 0;
    let bytes = 0;
    for (const s of this.streams.values()) {
      messages += s.store.size;
      bytes += s.storeBytes;
    }
    return { messages, bytes };
  }

  /** My state for `sender`'s stream incarnation `inc`: a higher incarnation replaces what I
   * had of a lower one; undefined when `inc` is lower than one I know (stale). */
  streamFor(sender: NodeId, inc: number): Stream | undefined {
    const s = this.streams.get(sender);
    if (s && s.inc === inc) return s;
    if (s && s.inc > inc) return undefined;
    if (s) this.dropSender(sender);
    const fresh = new Stream(inc, sender === this.ctx.self.id);
    this.streams.set(sender, fresh);
    return fresh;
  }

  /** A live sender of one of my groups, or one whose orphan stream I hold. */
  known(id: NodeId): boolean {
    return this.knownSender(id) || this.streams.get(id)?.orphan === true;
  }

  /** Forgets `sender`'s stream, delivering first what is deliverable and waiting for a tick. */
  dropSender(sender: NodeId): void {
    const st = this.backlog.get(sender);
    if (st) {
      this.backlog.delete(sender);
      this.deliver(sender, st, Infinity);
    }
    this.streams.delete(sender);
    this.events.dropped(sender);
  }

  /** One message of `sender`'s; the payload may be a view into a received datagram. `m.gi`
   * is a valid index into view.groups (the node checked it, or the sender made it). */
  onData(sender: NodeId, inc: number, m: DataMsg, repair: boolean): void {
    const st = this.streamFor(sender, inc);
    if (!st) {
      this.ctx.counters.drop('stale-stream');
      return;
    }
    if (m.seq > st.set.contig + MAX_AHEAD) {
      this.ctx.counters.drop('seq-out-of-window');
      return;
    }
    if (!st.set.add(m.seq)) {
      this.ctx.counters.duplicates++;
      // Senders re-multicast what they have not seen acknowledged (Sender.checkStalls). If the
      // region leader already holds the sender's record quiet, its last MaxContiguous reports
      // were lost: put the record back so that the next rounds report again.
      if (repair && this.topo.isRegionLeader) this.events.repeated(sender);
      return;
    }
    if (repair) this.ctx.counters.repairsReceived++;
    this.arrivals++;
    st.store.set(m.seq, m);
    st.storeBytes += payloadSize(m);
    if (st.set.contig > st.delivered && !this.backlog.has(sender)) this.deliverSome(sender, st);
    if (!repair && !st.orphan) this.gaps?.onArrival(sender, st);
  }

  /** Delivers within this tick's budget; a stream with more left joins the backlog. */
  private deliverSome(sender: NodeId, st: Stream): void {
    const tick = this.ctx.sched.ticks;
    if (tick !== this.budgetTick) {
      this.budgetTick = tick;
      this.budget = DELIVER_PER_TICK;
    }
    this.budget -= this.deliver(sender, st, this.budget);
    // Short of the prefix with budget left: a message whose last fragment has not come yet.
    if (st.delivered < st.set.contig && this.budget <= 0) {
      this.backlog.set(sender, st);
      if (!this.resumeScheduled) {
        this.resumeScheduled = true;
        this.ctx.sched.defer(this.resumeDeliveries);
      }
    }
  }

  private readonly resumeDeliveries = (): void => {
    this.resumeScheduled = false;
    if (this.closed) return;
    for (const [sender, st] of [...this.backlog]) {
      this.backlog.delete(sender);
      this.deliverSome(sender, st);
    }
  };

  /** Delivers up to `max` messages in order; returns how many. Stops before a fragmented
   * message whose last fragment is beyond the prefix. */
  private deliver(sender: NodeId, st: Stream, max: number): number {
    let n = 0;
    let s = st.delivered + 1;
    for (; s <= st.set.contig && n < max; s++) {
      const item = st.store.get(s);
      if (!item) continue;
      if (item.frag) {
        const end = this.deliverFragments(sender, st, s, st.set.contig);
        if (end < s) break;
        n++;
        s = end;
        continue;
      }
      n++;
      this.delivery.deliver(sender, this.groupAt[item.gi]!, item.groupSeq, item.payload);
      if (!this.mustKeep(st, s)) this.forget(st, s, item);
    }
    st.delivered = s - 1;
    return n;
  }

  /** The message whose first fragment is `first`: delivered whole if its fragments up to the
   * last are held here, all before `upTo`; returns the seq of its last fragment, or first - 1
   * if the last one lies beyond `upTo` (nothing done). A fragment that continues a message
   * whose start is not here, or a message with a fragment missing (only an orphan stream
   * skips seqs), is dropped up to where the next message starts. */
  private deliverFragments(sender: NodeId, st: Stream, first: number, upTo: number): number {
    let bytes = 0;
    let end = first;
    let broken = (st.store.get(first)!.frag! & FRAG_CONT) !== 0;
    for (;;) {
      const f = st.store.get(end);
      if (!f || (end > first && (f.frag! & FRAG_CONT) === 0)) {
        // The message ends without its last fragment: what starts at `end` is another one.
        broken = true;
        end--;
        break;
      }
      bytes += payloadSize(f);
      if ((f.frag! & FRAG_MORE) === 0) break;
      if (++end > upTo) return first - 1;
    }
    const head = st.store.get(first)!;
    if (!broken) {
      const whole = new Uint8Array(bytes);
      let at = 0;
      for (let s = first; s <= end; s++) {
        const p = st.store.get(s)!.payload;
        whole.set(p, at);
        at += p.length;
      }
      this.delivery.deliver(sender, this.groupAt[head.gi]!, head.groupSeq, whole);
    } else this.ctx.counters.drop('broken-fragments');
    for (let s = first; s <= end; s++) {
      const f = st.store.get(s);
      if (f && !this.mustKeep(st, s)) this.forget(st, s, f);
    }
    return end;
  }

  /** Delivers everything of `st` held here up to its maxSeen, in order, skipping the
   * messages nobody could supply (counted as orphan gaps): the end of an orphan stream. */
  deliverAllHeld(sender: NodeId, st: Stream): void {
    this.backlog.delete(sender);
    const upTo = st.set.maxSeen;
    for (let s = st.delivered + 1; s <= upTo; s++) {
      const item = st.store.get(s);
      if (!item) this.ctx.counters.orphanGaps++;
      else if (!item.frag) this.delivery.deliver(sender, this.groupAt[item.gi]!, item.groupSeq, item.payload);
      else s = Math.max(s, this.deliverFragments(sender, st, s, upTo));
    }
    st.delivered = upTo;
  }

  /** Cooperative caching: one partition keeps each message until it is stable region-wide;
   * the others keep it only until it is stable on that partition (repairs come from there). */
  private mustKeep(st: Stream, seq: number): boolean {
    if (seq <= st.stable || st.own) return false;
    const c = this.topo.cachingPartition(seq);
    if (c === this.topo.partition) return true;
    return seq > (st.partContig[c] ?? 0);
  }

  private forget(st: Stream, seq: number, item: DataMsg): void {
    st.store.delete(seq);
    st.storeBytes -= payloadSize(item);
    if (st.repairedAt.size > 0) st.repairedAt.delete(seq);
  }

  /** Drops what `st` no longer needs to keep (after the token told of new stable prefixes). */
  cleanup(st: Stream): void {
    st.store.forEachUpTo(st.delivered, (s, item) => {
      if (!this.mustKeep(st, s)) this.forget(st, s, item);
    });
    // My own stream leaves the store at delivery, before any repair of it, so forget() never
    // clears its repair times: they go once stable.
    if (st.own && st.repairedAt.size > 0) {
      for (const s of st.repairedAt.keys()) if (s <= st.stable) st.repairedAt.delete(s);
    }
  }

  /** Rate limit: at most one repair of a given message per token interval. */
  mayRepair(st: Stream, seq: number, now: number): boolean {
    const last = st.repairedAt.get(seq);
    if (last !== undefined && now - last < this.ctx.tun.tokenIntervalMs) return false;
    st.repairedAt.set(seq, now);
    return true;
  }

  /** Message `seq` of `st` to repair from: my cache, or my sender's buffer for my own stream. */
  repairable(st: Stream, seq: number): DataMsg | undefined {
    if (!st.own) return st.store.get(seq);
    return this.ctx.ownMessage(this.view.region, this.view.viewId, st.inc, seq);
  }

  /** A peer asks for messages: answer from the cache, lazily through the repair queue. */
  serveNak(p: NakPacket, to: NodeInfo): number {
    const st = this.streams.get(p.origin);
    if (!st || st.inc !== p.inc) return 0;
    let budget = this.ctx.tun.repairsPerToken;
    let served = 0;
    const now = performance.now();
    for (const r of p.ranges) {
      for (let s = r.from; s <= r.to && budget > 0; s++, budget--) {
        const item = this.repairable(st, s);
        if (!item) continue;
        served++;
        st.idle = 0;
        if (!this.mayRepair(st, s, now)) continue;
        this.ctx.queueRepair({
          origin: p.origin,
          region: this.view.region,
          viewId: this.view.viewId,
          inc: st.inc,
          msg: item,
          to,
        });
      }
    }
    return served;
  }

  /** Asks `to` for `ranges` of `origin`'s stream `inc` (in as many datagrams as the
   * datagram limit needs). */
  nak(to: NodeInfo, origin: NodeId, inc: number, ranges: SeqRange[], flags = 0): void {
    if (ranges.length === 0) return;
    const nak = {
      sender: this.ctx.self.id,
      region: this.view.region,
      viewId: this.view.viewId,
      origin,
      inc,
      ranges,
      flags,
    };
    for (const buf of encodeNakParts(nak, plainDatagramLimit(this.ctx.tun, this.ctx.sealer))) {
      this.ctx.counters.naksSent++;
      this.ctx.sendTo(buf, to);
    }
  }

  /** Up to where my gaps in `st` count as losses: up to what was known to exist a round
   * ago (Stream.seenBefore), so that a lost tail with nothing after it is found too; but
   * while received datagrams wait in my inbound lanes, only below the highest seq I
   * processed. That tail may be in the queue: a member a round behind on its input would
   * pull, and report lost, what it already holds. Traced at 10,000 groups with 159–977
   * datagrams queued: pulls of 256–4,096 messages each, answered almost only with
   * duplicates (4,996–54,776 per receiver in 9-second runs, against 0–14,212 useful
   * repairs). */
  lossHorizon(st: Stream): number {
    if (this.backlogged()) return st.set.maxReceived;
    return Math.max(st.set.maxReceived, st.seenBefore);
  }

  /** What `st` lacks up to `horizon` (a loss horizon), as a token record reports it lost. */
  lostUpTo(st: Stream, horizon: number): SeqRange[] {
    return st.set.missing(horizon, MAX_LOST_RANGES, this.ctx.tun.repairsPerToken * 4);
  }

  /** Received datagrams wait in my inbound lanes: what I would ask for may be among them. */
  private backlogged(): boolean {
    return this.ctx.sched.inboundBacklog() > 0;
  }
}
