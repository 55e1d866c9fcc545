// Receiver and recovery agent for this node's own region view (D4467-4525): inbound streams
// (one per sender), in-order delivery, cooperative caching, and the token rings. Every member
// compares its state with its ring predecessor's (carried in the token) and pulls/pushes the
// difference; partition leaders NAK the sender for partition-wide losses; the region leader
// releases a token every ΔT and reports MaxContiguous to each sender at the end of a round.

import type { EngineContext } from '../context';
import type { NodeId, NodeInfo, RegionView } from '../membership';
import {
  encodeMaxContiguous,
  encodeNak,
  encodeToken,
  MAX_BITMAP_BITS,
  NAK_PARTITION_WIDE,
  payloadSize,
  RECORD_ORPHAN,
  RECORD_QUIET,
  TokenLevel,
  type DataMsg,
  type NakPacket,
  type SeqRange,
  type TokenPacket,
  type TokenRecord,
} from '../wire/packets';
import type { Alarm } from '../scheduler/timers';
import type { RecoveryState } from '../stats';
import type { Delivery, GroupDelivery } from './delivery';
import { GapNaker } from './gap-naker';
import { appendRange, bitmapHas, intersect, MAX_AHEAD, SeqSet } from './seqset';
import { Topology } from './topology';
import { SeqMap } from '../util/seq-map';

/** Messages delivered per scheduler tick; the rest wait for the next tick. Filling a gap can
 * make tens of thousands deliverable at once, and delivering them in one go kept the socket
 * unread long enough for the kernel to drop datagrams (more gaps: a loss cascade). */
const DELIVER_PER_TICK = 2048;
const MAX_LOST_RANGES = 64;
/** New messages per ΔT from which the region leader starts rounds early (see scheduleBusyRound). */
const BUSY_ROUND_MESSAGES = 1024;
/** Early rounds in a row that only recovery (not new data) asks for: about a second at the
 * default 25 ms, so a receiver that stays behind (paused, dying) does not keep the region
 * at 40 rounds/s until the GMS decides about it. */
const RECOVERY_ROUNDS = 40;

class Stream {
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
   * deliver what they have (see RegionAgent.tickOrphans). */
  orphan = false;
  /** Orphan housekeeping intervals without progress here and without repairs served. */
  idle = 0;
  progressMark = -1;
}

/** Intervals an orphan stream may go without progress before its holder gives up on the
 * gaps nobody filled: long enough for pushes to travel a partition ring several times. */
function orphanIdleLimit(partitionSize: number): number {
  return Math.max(10, 2 * partitionSize + 2);
}

interface PartitionAggregate {
  inc: number;
  allContig: number;
  lost: SeqRange[];
  maxSeen: number;
}

/** A region token a partition leader holds while its partition token circulates. */
interface HeldRegionToken {
  readonly records: TokenRecord[];
  readonly round: number;
  readonly first: boolean;
  alarm?: Alarm;
}

interface RegionSenderInfo {
  inc: number;
  stable: number;
  partContig: number[];
  lastMaxSeen: number;
  quietRounds: number;
}

export class RegionAgent {
  readonly topo: Topology;
  readonly streams = new Map<NodeId, Stream>();
  private readonly partAgg = new Map<NodeId, PartitionAggregate>();
  private readonly regionInfo = new Map<NodeId, RegionSenderInfo>();
  private round = 0;
  private regionTokenOutAt = 0;
  private regionTokenOut = false;
  private heldRegion: HeldRegionToken | undefined;
  /** Streams with deliverable messages beyond this tick's budget (see DELIVER_PER_TICK). */
  private readonly backlog = new Map<NodeId, Stream>();
  private resumeScheduled = false;
  private budget = 0;
  private budgetTick = -1;
  /** Longest a partition leader holds the region token waiting for its partition token. */
  private readonly holdMs: number;
  private closed = false;
  private orphanTimer = false;
  /** New messages received (region leader: to tell a busy round from a quiet one). */
  private arrivals = 0;
  private arrivalsAtLastEnd = 0;
  private lastEndAt = performance.now();
  private busyRoundPending = false;
  private recoveryRounds = 0;
  private readonly gaps: GapNaker<Stream> | undefined;
  /** Delivery state of the region's groups, by index in view.groups (DataMsg.gi). */
  private readonly groupAt: readonly GroupDelivery[];

  constructor(
    private readonly ctx: EngineContext,
    readonly view: RegionView,
    private readonly delivery: Delivery,
    /** Whether a node id is a live sender in one of this region's groups. */
    private readonly knownSender: (id: NodeId) => boolean,
    /** Orphan streams of the previous view of this region (see Stream.orphan). */
    orphans: Iterable<readonly [NodeId, Stream]> = [],
  ) {
    this.topo = new Topology(view, ctx.self.id, ctx.tun.partitionSize);
    this.groupAt = view.groups.map((g) => delivery.group(g));
    this.holdMs = Math.max(1, ctx.tun.tokenIntervalMs / 4);
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
    for (const [id, st] of orphans) this.adoptOrphan(id, st);
    if (this.topo.isRegionLeader) {
      const tick = (): void => {
        if (this.closed) return;
        this.startRound();
        ctx.sched.after(ctx.tun.tokenIntervalMs, tick);
      };
      ctx.sched.after(ctx.tun.tokenIntervalMs, tick);
    }
  }

  close(): void {
    // Contiguous messages still waiting for a tick: deliver them before the view goes (the
    // sender may already have been told they are stable).
    this.finishDeliveries();
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

  get recovery(): NonNullable<RecoveryState['region']> {
    return {
      region: this.view.region,
      viewId: this.view.viewId,
      rank: this.topo.rank,
      round: this.round,
      tokenOut: this.regionTokenOut,
      streams: [...this.streams].map(([sender, st]) => {
        const info = this.regionInfo.get(sender);
        return {
          sender,
          contig: st.set.contig,
          maxSeen: st.set.maxSeen,
          maxReceived: st.set.maxReceived,
          stable: st.stable,
          cached: st.store.size,
          repairTimes: st.repairedAt.size,
          ...(info ? { quietRounds: info.quietRounds, reported: info.stable } : {}),
        };
      }),
    };
  }

  /** My state for `sender`'s stream incarnation `inc`: a higher incarnation replaces what I
   * had of a lower one; undefined when `inc` is lower than one I know (stale). */
  private streamFor(sender: NodeId, inc: number): Stream | undefined {
    const s = this.streams.get(sender);
    if (s && s.inc === inc) return s;
    if (s && s.inc > inc) return undefined;
    if (s) this.dropSender(sender);
    const fresh = new Stream(inc, sender === this.ctx.self.id);
    this.streams.set(sender, fresh);
    return fresh;
  }

  /** The highest incarnation of `sender` that this member has heard of. */
  private incOf(sender: NodeId): number {
    return Math.max(
      this.streams.get(sender)?.inc ?? 0,
      this.partAgg.get(sender)?.inc ?? 0,
      this.regionInfo.get(sender)?.inc ?? 0,
    );
  }

  /** Token records about streams older than one I know are dropped: the sender retired them
   * (my own record for the newer one is added where the token lacks it). */
  private dropStale(records: TokenRecord[]): void {
    let w = 0;
    for (const r of records) {
      const st = this.streams.get(r.sender);
      if (st && st.inc > r.inc) this.ctx.counters.drop('stale-stream');
      else records[w++] = r;
    }
    records.length = w;
  }

  /** A sender gone from the region's groups: its stream becomes an orphan if anything of it
   * is still undelivered or may be needed by another member; else it is forgotten. */
  orphan(sender: NodeId): void {
    const st = this.streams.get(sender);
    if (!st || st.orphan) return;
    if (st.store.size === 0 && st.set.contig >= st.set.maxSeen) return this.dropSender(sender);
    this.adoptOrphan(sender, st);
  }

  /** Hands this view's orphan streams to the agent of the region's next view. */
  takeOrphans(isLive: (id: NodeId) => boolean): [NodeId, Stream][] {
    const out: [NodeId, Stream][] = [];
    for (const [id, st] of this.streams) {
      if (id === this.ctx.self.id || isLive(id)) continue;
      if (st.orphan || st.store.size > 0 || st.set.contig < st.set.maxSeen) out.push([id, st]);
    }
    return out;
  }

  /** Whether repairs of `sender`'s stream `inc` belong to an orphan stream held here. */
  hasOrphan(sender: NodeId, inc: number): boolean {
    const st = this.streams.get(sender);
    return st !== undefined && st.orphan && st.inc === inc;
  }

  private adoptOrphan(sender: NodeId, st: Stream): void {
    st.orphan = true;
    st.idle = 0;
    st.quietAt = -1;
    // Partition prefixes of another view's layout mean nothing here; the region-wide stable
    // prefix still holds (every survivor had it).
    st.partContig = [];
    st.repairedAt.clear();
    this.streams.set(sender, st);
    this.partAgg.delete(sender);
    this.regionInfo.delete(sender);
    if (!this.orphanTimer) {
      this.orphanTimer = true;
      const tick = (): void => {
        if (this.closed) return;
        if (this.tickOrphans()) this.ctx.sched.after(this.ctx.tun.tokenIntervalMs, tick);
        else this.orphanTimer = false;
      };
      this.ctx.sched.after(this.ctx.tun.tokenIntervalMs, tick);
    }
  }

  /** Every ΔT while orphans exist: an orphan that made no progress here (and served no
   * repairs) for a while is finished: what this member has is delivered in order, skipping
   * the gaps no survivor could fill, and the stream is forgotten. Returns whether any remain. */
  private tickOrphans(): boolean {
    let any = false;
    const limit = orphanIdleLimit(this.ctx.tun.partitionSize);
    for (const [id, st] of this.streams) {
      if (!st.orphan) continue;
      // contig and maxSeen only grow, so their sum changes exactly when either does.
      const mark = st.set.contig + st.set.maxSeen;
      if (mark !== st.progressMark) {
        st.progressMark = mark;
        st.idle = 0;
      } else st.idle++;
      if (st.idle < limit) {
        any = true;
        continue;
      }
      this.backlog.delete(id);
      for (let s = st.delivered + 1; s <= st.set.maxSeen; s++) {
        const item = st.store.get(s);
        if (item) this.delivery.deliver(id, this.groupAt[item.gi]!, item.groupSeq, item.payload);
        else this.ctx.counters.orphanGaps++;
      }
      st.delivered = st.set.maxSeen;
      this.dropSender(id);
    }
    return any;
  }

  /** A live sender of one of my groups, or one whose orphan stream I hold. */
  private known(id: NodeId): boolean {
    return this.knownSender(id) || this.streams.get(id)?.orphan === true;
  }

  /** A record about an orphan stream I do not hold (I joined after its sender was gone, or
   * finished it already): I take no part, and leave the record as it is. */
  private notMine(r: TokenRecord): boolean {
    return (r.flags & RECORD_ORPHAN) !== 0 && this.streams.get(r.sender)?.inc !== r.inc;
  }

  dropSender(sender: NodeId): void {
    const st = this.backlog.get(sender);
    if (st) {
      this.backlog.delete(sender);
      this.deliver(sender, st, Infinity);
    }
    this.streams.delete(sender);
    this.partAgg.delete(sender);
    this.regionInfo.delete(sender);
  }

  // ---- data path ----

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
      if (repair && this.topo.isRegionLeader) this.unquiet(sender);
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
    if (st.delivered < st.set.contig) {
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

  private finishDeliveries(): void {
    for (const [sender, st] of this.backlog) this.deliver(sender, st, Infinity);
    this.backlog.clear();
  }

  /** Delivers up to `max` messages in order; returns how many. */
  private deliver(sender: NodeId, st: Stream, max: number): number {
    let n = 0;
    let s = st.delivered + 1;
    for (; s <= st.set.contig && n < max; s++) {
      const item = st.store.get(s);
      if (item) {
        n++;
        this.delivery.deliver(sender, this.groupAt[item.gi]!, item.groupSeq, item.payload);
        if (!this.mustKeep(st, s)) this.forget(st, s, item);
      }
    }
    st.delivered = s - 1;
    return n;
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

  /** Rate limit: at most one repair of a given message per token interval. */
  private mayRepair(st: Stream, seq: number, now: number): boolean {
    const last = st.repairedAt.get(seq);
    if (last !== undefined && now - last < this.ctx.tun.tokenIntervalMs) return false;
    st.repairedAt.set(seq, now);
    return true;
  }

  /** Message `seq` of `st` to repair from: my cache, or my sender's buffer for my own stream. */
  private repairable(st: Stream, seq: number): DataMsg | undefined {
    if (!st.own) return st.store.get(seq);
    return this.ctx.ownMessage(this.view.region, this.view.viewId, st.inc, seq);
  }

  private cleanup(st: Stream): void {
    st.store.forEachUpTo(st.delivered, (s, item) => {
      if (!this.mustKeep(st, s)) this.forget(st, s, item);
    });
    // My own stream leaves the store at delivery, before any repair of it, so forget() never
    // clears its repair times: they go once stable.
    if (st.own && st.repairedAt.size > 0) {
      for (const s of st.repairedAt.keys()) if (s <= st.stable) st.repairedAt.delete(s);
    }
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

  // ---- tokens ----

  private sendToken(
    to: NodeInfo,
    level: TokenLevel,
    partition: number,
    round: number,
    records: TokenRecord[],
  ): void {
    this.ctx.counters.tokensSent++;
    this.ctx.sendTo(
      encodeToken({
        sender: this.ctx.self.id,
        region: this.view.region,
        viewId: this.view.viewId,
        round,
        level,
        partition,
        records,
      }),
      to,
    );
  }

  /** Region leader, every ΔT: a new round unless the previous token is still circulating. */
  private startRound(): void {
    const now = performance.now();
    const timeout = this.ctx.tun.tokenTimeoutRounds * this.ctx.tun.tokenIntervalMs;
    if (this.regionTokenOut && now - this.regionTokenOutAt < timeout) return;
    this.round++;
    this.regionTokenOut = true;
    this.regionTokenOutAt = now;
    const senders = new Set<NodeId>();
    for (const [id, info] of this.regionInfo) if (info.quietRounds < 2) senders.add(id);
    for (const [id, st] of this.streams) if (this.activeLocally(st)) senders.add(id);
    for (const id of this.partAgg.keys()) if (this.activeInPartition(id)) senders.add(id);
    const records: TokenRecord[] = [];
    for (const id of senders) {
      if (!this.known(id)) continue;
      const info = this.regionInfo.get(id);
      records.push({
        sender: id,
        inc: this.incOf(id),
        maxSeen: 0,
        prevContig: 0,
        prevBits: new Uint8Array(0),
        prevBitCount: 0,
        allContig: 0,
        lost: [],
        stable: info?.stable ?? 0,
        partContig: info?.partContig ?? new Array<number>(this.topo.partitions).fill(0),
        flags:
          (info && info.quietRounds >= 1 ? RECORD_QUIET : 0) |
          (this.streams.get(id)?.orphan ? RECORD_ORPHAN : 0),
      });
    }
    this.onRegionToken(records, this.round, true);
  }

  /** Under load the next round comes after `tokenBusyIntervalMs` rather than ΔT: senders'
   * windows are freed by MaxContiguous, so at high rates acknowledgements every ΔT would
   * bound throughput by window / ΔT. The region is busy when the leader received new
   * messages at BUSY_ROUND_MESSAGES per ΔT or more since the previous round ended, or when
   * the round found messages not yet stable (`unstable`: losses being repaired, a window to
   * free), for up to RECOVERY_ROUNDS rounds; quiet regions keep the papers' 1–5 rounds/s. */
  private scheduleBusyRound(now: number, unstable: boolean): void {
    const arrived = this.arrivals - this.arrivalsAtLastEnd;
    const elapsed = now - this.lastEndAt;
    this.arrivalsAtLastEnd = this.arrivals;
    this.lastEndAt = now;
    const busyMs = this.ctx.tun.tokenBusyIntervalMs;
    if (this.busyRoundPending || busyMs >= this.ctx.tun.tokenIntervalMs) return;
    const loaded = arrived * this.ctx.tun.tokenIntervalMs >= BUSY_ROUND_MESSAGES * elapsed;
    this.recoveryRounds = loaded || !unstable ? 0 : this.recoveryRounds + 1;
    if (!loaded && (!unstable || this.recoveryRounds > RECOVERY_ROUNDS)) return;
    this.busyRoundPending = true;
    const wait = Math.max(0, this.regionTokenOutAt + busyMs - now);
    this.ctx.sched.after(wait, () => {
      this.busyRoundPending = false;
      if (!this.closed) this.startRound();
    });
  }

  /** Whether this member should (re)insert a record for a sender the token lacks. */
  private activeLocally(st: Stream): boolean {
    return st.set.maxSeen > st.quietAt || st.set.contig < st.set.maxSeen;
  }

  /** Partition leader: members of my partition put a quiet sender back on the partition
   * token (they know of data beyond the quiet point, or lack some), so it must go back on
   * the region token too, or that data is never reported stable. */
  private activeInPartition(id: NodeId): boolean {
    const agg = this.partAgg.get(id);
    if (!agg) return false;
    return agg.allContig < agg.maxSeen || agg.maxSeen > (this.streams.get(id)?.quietAt ?? -1);
  }

  private unquiet(sender: NodeId): void {
    const info = this.regionInfo.get(sender);
    if (info && info.quietRounds > 0) info.quietRounds = 0;
  }

  onToken(t: TokenPacket): void {
    this.ctx.counters.tokensReceived++;
    if (t.level === TokenLevel.Region) {
      if (!this.topo.isPartitionLeader) return this.ctx.counters.drop('misrouted-token');
      if (this.topo.isRegionLeader) {
        if (t.round === this.round && this.regionTokenOut) this.endRound(t);
        return;
      }
      this.onRegionToken(t.records, t.round, false);
      return;
    }
    if (t.partition !== this.topo.partition) return this.ctx.counters.drop('misrouted-token');
    const pred = this.topo.partitionOf(t.sender) === this.topo.partition ? t.sender : undefined;
    if (!pred) return this.ctx.counters.drop('misrouted-token');
    this.visit(t.records, pred);
    if (this.topo.isPartitionLeader) {
      this.endPartitionRound(t.records, t.round);
      return;
    }
    const next = this.topo.nextInPartition() ?? this.topo.partitionLeader();
    this.sendToken(next, TokenLevel.Partition, this.topo.partition, t.round, t.records);
  }

  /** Partition leader (the region leader included) handles the region token. */
  private onRegionToken(records: TokenRecord[], round: number, first: boolean): void {
    this.dropStale(records);
    // Launch this round's partition token, starting with my own state.
    const precs: TokenRecord[] = records.map((r) => {
      if (this.notMine(r)) return { ...r, lost: r.lost.slice(), partContig: r.partContig.slice() };
      const st = this.streamFor(r.sender, r.inc)!;
      st.set.noteExists(r.maxSeen);
      st.stable = Math.max(st.stable, r.stable);
      st.partContig = r.partContig;
      if (r.flags & RECORD_QUIET) st.quietAt = Math.max(st.quietAt, r.stable);
      const maxSeen = st.set.maxSeen;
      const bm = st.set.bitmap(MAX_BITMAP_BITS);
      const lostHorizon = this.lossHorizon(st);
      st.seenBefore = maxSeen;
      return {
        sender: r.sender,
        inc: r.inc,
        maxSeen,
        prevContig: st.set.contig,
        prevBits: bm.bits,
        prevBitCount: bm.count,
        allContig: st.set.contig,
        lost: st.set.missing(lostHorizon, MAX_LOST_RANGES, this.ctx.tun.repairsPerToken * 4),
        stable: r.stable,
        partContig: r.partContig,
        flags: r.flags,
      };
    });
    for (const r of records) {
      const st = this.streams.get(r.sender);
      if (st && st.inc === r.inc) this.cleanup(st);
    }
    // Hold the region token until my partition token is back, so that it carries this
    // round's aggregate rather than the previous round's: MaxContiguous (and so the sender's
    // window) then lags one ring pass instead of a whole ΔT. A lost or slow partition token
    // only delays the region token by `holdMs`; it then goes on with the older aggregate.
    if (this.heldRegion?.alarm) this.heldRegion.alarm.cancelled = true;
    const held: HeldRegionToken = { records, round, first };
    this.heldRegion = held;
    const next = this.topo.nextInPartition();
    if (next) {
      this.sendToken(next, TokenLevel.Partition, this.topo.partition, round, precs);
      held.alarm = this.ctx.sched.after(this.holdMs, () => this.forwardRegion(held));
    } else this.endPartitionRound(precs, round);
  }

  /** The region token, held while my partition token goes round, goes on (once). */
  private forwardRegion(held: HeldRegionToken): void {
    if (this.heldRegion !== held || this.closed) return;
    this.heldRegion = undefined;
    if (held.alarm) held.alarm.cancelled = true;
    const { records, round, first } = held;
    // Fold my partition's latest aggregate into the region token.
    for (const r of records) {
      const found = this.partAgg.get(r.sender);
      const agg = found && found.inc === r.inc ? found : undefined;
      const aContig = agg?.allContig ?? 0;
      const aMax = agg?.maxSeen ?? 0;
      const aLost = agg?.lost ?? [];
      if (first) {
        r.allContig = aContig;
        r.maxSeen = aMax;
        r.lost = aLost.slice();
      } else {
        const lost = r.lost.slice();
        // Earlier partitions had nothing above their maxSeen, so it counts as lost by them.
        if (aMax > r.maxSeen) appendRange(lost, r.maxSeen + 1, aMax);
        r.lost = intersect(lost, aLost);
        r.allContig = Math.min(r.allContig, aContig);
        r.maxSeen = Math.max(r.maxSeen, aMax);
      }
      r.allContig = Math.min(r.allContig, r.maxSeen);
      const pc = r.partContig.slice(0, this.topo.partitions);
      while (pc.length < this.topo.partitions) pc.push(0);
      pc[this.topo.partition] = aContig;
      r.partContig = pc;
    }
    if (!first) {
      // Senders active in my partition that the region token lacks (see activeInPartition).
      // Earlier partitions did not report on them this round, so nothing is claimed stable
      // or lost by all; the region leader includes them from the next round on.
      const present = new Set(records.map((r) => r.sender));
      for (const [id, agg] of this.partAgg) {
        if (present.has(id) || !this.known(id) || !this.activeInPartition(id)) continue;
        const pc = new Array<number>(this.topo.partitions).fill(0);
        pc[this.topo.partition] = agg.allContig;
        records.push({
          sender: id,
          inc: agg.inc,
          maxSeen: agg.maxSeen,
          prevContig: 0,
          prevBits: new Uint8Array(0),
          prevBitCount: 0,
          allContig: 0,
          lost: [],
          stable: this.streams.get(id)?.stable ?? 0,
          partContig: pc,
          flags: this.streams.get(id)?.orphan ? RECORD_ORPHAN : 0,
        });
      }
    }
    const nextLeader = this.topo.nextPartitionLeader() ?? this.topo.partitionLeader(0);
    if (this.topo.isRegionLeader && !this.topo.nextPartitionLeader()) {
      this.endRound({ records });
      return;
    }
    this.sendToken(nextLeader, TokenLevel.Region, 0, round, records);
  }

  /** Every member: compare with the predecessor, repair, fold my state into the aggregates. */
  private visit(records: TokenRecord[], pred: NodeId): void {
    const predInfo = this.ctx.lookup(pred);
    const seen = new Set<NodeId>();
    this.dropStale(records);
    for (const r of records) {
      seen.add(r.sender);
      if (this.notMine(r)) continue;
      // Fold even for senders I do not know (yet): an empty stream keeps the aggregate honest.
      const st = this.streamFor(r.sender, r.inc)!;
      st.set.noteExists(r.maxSeen);
      st.stable = Math.max(st.stable, r.stable);
      if (r.partContig.length > 0) st.partContig = r.partContig;
      // Quiet covers only what the leader found stable, never the maxSeen the token has
      // gathered since: the leader decided on the previous round's aggregate, and data that
      // arrived meanwhile must keep (or put) the sender on the token.
      if (r.flags & RECORD_QUIET) st.quietAt = Math.max(st.quietAt, r.stable);
      const pulled =
        predInfo && pred !== this.ctx.self.id && this.known(r.sender)
          ? this.compare(r, st, predInfo)
          : undefined;
      this.cleanup(st);
      this.fold(r, st, pulled);
    }
    // Senders I know that the token lacks (new, or dropped as quiet and active again).
    for (const [id, st] of this.streams) {
      if (seen.has(id) || !this.activeLocally(st) || !this.known(id)) continue;
      const bm = st.set.bitmap(MAX_BITMAP_BITS);
      records.push({
        sender: id,
        inc: st.inc,
        maxSeen: st.set.maxSeen,
        prevContig: st.set.contig,
        prevBits: bm.bits,
        prevBitCount: bm.count,
        allContig: 0,
        lost: st.set.missing(this.lossHorizon(st), MAX_LOST_RANGES, this.ctx.tun.repairsPerToken * 4),
        stable: st.stable,
        partContig: st.partContig,
        flags: st.orphan ? RECORD_ORPHAN : 0,
      });
    }
  }

  /** Pulls and pushes; returns the ranges pulled (the successor need not push those). */
  private compare(r: TokenRecord, st: Stream, pred: NodeInfo): SeqRange[] {
    const budget = this.ctx.tun.repairsPerToken;
    // Pull: what the predecessor has and I lack (or from the caching partition if it is
    // already stable there, since the predecessor may have dropped its copy). Only beyond
    // what my gap NAKs just asked the sender for: those answers may be on their way. A
    // receiver woken from a 0.5 s pause got 27,422, 8,910 and 36,874 duplicates in three runs
    // without this rule, 2,205 in one run with it.
    const asked = this.gaps?.askedUpTo(st) ?? 0;
    const horizon = Math.min(r.maxSeen, this.lossHorizon(st));
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
    this.nak(pred, r.sender, r.inc, fromPred);
    const pulled = fromPred;
    for (const [c, ranges] of fromCache) {
      const target = this.topo.randomMember(c, this.ctx.self.id);
      if (target) this.nak(target, r.sender, r.inc, ranges);
      for (const x of ranges) appendRange(pulled, x.from, x.to);
    }
    // ...and the gap NAKer need not ask the sender for them too.
    let top = 0;
    for (const x of pulled) top = Math.max(top, x.to);
    if (top > 0) this.gaps?.noteAsked(st, top);
    // Push: what I hold and the predecessor lacks.
    // Only gaps below the predecessor's own highest seq: anything newer may still be in flight.
    const predHorizon = r.prevContig + r.prevBitCount;
    let pushed = 0;
    const now = performance.now();
    for (let s = r.prevContig + 1; s <= predHorizon && pushed < budget; s++) {
      if (bitmapHas(r.prevContig, r.prevBits, r.prevBitCount, s)) continue;
      const item = this.repairable(st, s);
      if (!item || !this.mayRepair(st, s, now)) continue;
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

  /** Up to where my gaps in `st` count as losses: up to what was known to exist a round
   * ago (Stream.seenBefore), so that a lost tail with nothing after it is found too; but
   * while received datagrams wait in my inbound lanes, only below the highest seq I
   * processed. That tail may be in the queue: a member a round behind on its input would
   * pull, and report lost, what it already holds. Traced at 10,000 groups with 159–977
   * datagrams queued: pulls of 256–4,096 messages each, answered almost only with
   * duplicates (4,996–54,776 per receiver in 9-second runs, against 0–14,212 useful
   * repairs). */
  private lossHorizon(st: Stream): number {
    if (this.backlogged()) return st.set.maxReceived;
    return Math.max(st.set.maxReceived, st.seenBefore);
  }

  /** Received datagrams wait in my inbound lanes: what I would ask for may be among them. */
  private backlogged(): boolean {
    return this.ctx.sched.inboundBacklog() > 0;
  }

  private nak(to: NodeInfo, origin: NodeId, inc: number, ranges: SeqRange[], flags = 0): void {
    if (ranges.length === 0) return;
    this.ctx.counters.naksSent++;
    this.ctx.sendTo(
      encodeNak({
        sender: this.ctx.self.id,
        region: this.view.region,
        viewId: this.view.viewId,
        origin,
        inc,
        ranges: ranges.slice(0, 256),
        flags,
      }),
      to,
    );
  }

  /** Folds my state into the record and makes it my "predecessor state" for the next member. */
  private fold(r: TokenRecord, st: Stream, pulled?: readonly SeqRange[]): void {
    const myMax = this.lossHorizon(st);
    const lost = r.lost.slice();
    if (myMax > r.maxSeen) appendRange(lost, r.maxSeen + 1, myMax);
    r.lost = intersect(lost, st.set.missing(myMax, MAX_LOST_RANGES, this.ctx.tun.repairsPerToken * 4));
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
    mark(st.set.contig + 1, this.gaps?.askedUpTo(st) ?? 0);
    r.prevBits = bm.bits;
    r.prevBitCount = bm.count;
  }

  /** Partition leader: the partition token is back; record the aggregate, NAK what all lost. */
  private endPartitionRound(records: TokenRecord[], round: number): void {
    this.recordPartitionRound(records);
    const held = this.heldRegion;
    if (held && held.round === round) this.forwardRegion(held);
  }

  private recordPartitionRound(records: TokenRecord[]): void {
    for (const r of records) {
      this.partAgg.set(r.sender, {
        inc: r.inc,
        allContig: r.allContig,
        lost: r.lost,
        maxSeen: r.maxSeen,
      });
      if (r.lost.length === 0 || !this.known(r.sender)) continue;
      const st = this.streams.get(r.sender);
      // Prefer a member of the caching partition if the message is stable there.
      const toSender: SeqRange[] = [];
      const fromCache = new Map<number, SeqRange[]>();
      let budget = this.ctx.tun.repairsPerToken;
      for (const l of r.lost) {
        for (let s = l.from; s <= l.to && budget > 0; s++, budget--) {
          const c = this.topo.cachingPartition(s);
          if (st && c !== this.topo.partition && s <= (st.partContig[c] ?? 0)) {
            let list = fromCache.get(c);
            if (!list) fromCache.set(c, (list = []));
            appendRange(list, s, s);
          } else appendRange(toSender, s, s);
        }
      }
      for (const [c, ranges] of fromCache) {
        const target = this.topo.randomMember(c, this.ctx.self.id);
        if (target) this.nak(target, r.sender, r.inc, ranges);
      }
      const origin = this.ctx.lookup(r.sender);
      if (origin) this.nak(origin, r.sender, r.inc, toSender, NAK_PARTITION_WIDE);
    }
  }

  /** Region leader: the region round is over; report MaxContiguous, update quiescence. */
  private endRound(t: { records: TokenRecord[] }): void {
    this.regionTokenOut = false;
    this.ctx.counters.rounds++;
    const now = performance.now();
    this.ctx.counters.tokenRtt(now - this.regionTokenOutAt);
    this.scheduleBusyRound(
      now,
      t.records.some((r) => r.allContig < r.maxSeen),
    );
    const present = new Set<NodeId>();
    this.dropStale(t.records);
    for (const r of t.records) {
      present.add(r.sender);
      let info = this.regionInfo.get(r.sender);
      if (info && info.inc > r.inc) continue;
      if (!info || info.inc < r.inc) {
        info = { inc: r.inc, stable: 0, partContig: [], lastMaxSeen: -1, quietRounds: 0 };
        this.regionInfo.set(r.sender, info);
      }
      const quiet =
        r.allContig === r.maxSeen && r.maxSeen === info.lastMaxSeen && info.stable === r.allContig;
      info.quietRounds = quiet ? info.quietRounds + 1 : 0;
      info.stable = r.allContig;
      info.partContig = r.partContig;
      info.lastMaxSeen = r.maxSeen;
      const origin = this.ctx.lookup(r.sender);
      if (!origin || info.quietRounds >= 2) continue;
      this.ctx.counters.maxContiguousSent++;
      this.ctx.sendTo(
        encodeMaxContiguous({
          sender: this.ctx.self.id,
          region: this.view.region,
          viewId: this.view.viewId,
          origin: r.sender,
          inc: r.inc,
          maxContiguous: r.allContig,
          round: this.round,
        }),
        origin,
      );
    }
    for (const id of this.regionInfo.keys())
      if (!present.has(id) && !this.streams.has(id)) this.regionInfo.delete(id);
  }
}
