// The token rings of a region view (D4467-4525), and the leaders' parts in them. The region
// leader releases a region token every ΔT (sooner under load) that goes round the partition
// leaders; each partition leader sends a partition token round its partition (every member
// compares and folds: token-visit.ts), records its partition's aggregate, NAKs the sender for
// what the whole partition lost, and folds the aggregate into the region token. At the end of
// a round the region leader reports MaxContiguous to each sender and lets quiet senders drop
// off the token. Per token and per round, never per message: the data path (data-path.ts)
// only supplies the streams and the ways to ask for repairs. A leader whose ring stops
// coming back while stability is held back finds and reports the member that does not
// pass tokens on (ring-probe.ts).

import type { EngineContext } from '../context';
import type { NodeId, NodeInfo, RegionView } from '../membership';
import type { Alarm } from '../scheduler/timers';
import { datagramLimit } from '../options';
import {
  encodeMaxContiguous,
  encodeTokenParts,
  MAX_BITMAP_BITS,
  NAK_PARTITION_WIDE,
  RECORD_ORPHAN,
  RECORD_QUIET,
  TokenLevel,
  type SeqRange,
  type TokenPacket,
  type TokenRecord,
} from '../wire/packets';
import type { DataPath } from './data-path';
import { RingProbe } from './ring-probe';
import { appendRange, intersect } from './seqset';
import { TokenParts } from './token-parts';
import type { Topology } from './topology';
import { activeLocally, dropStale, notMine, type TokenVisitor } from './token-visit';

/** New messages per ΔT from which the region leader starts rounds early (see scheduleBusyRound). */
const BUSY_ROUND_MESSAGES = 1024;
/** Early rounds in a row that only recovery (not new data) asks for: about a second at the
 * default 25 ms, so a receiver that stays behind (paused, dying) does not keep the region
 * at 40 rounds/s until the GMS decides about it. */
const RECOVERY_ROUNDS = 40;
/** Probes that must fail in a row before a member is reported (a lost datagram is not). */
const PROBE_ATTEMPTS = 3;

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

export class TokenRing {
  /** Partition leader: my partition's aggregate per sender, from the last partition round. */
  private readonly partAgg = new Map<NodeId, PartitionAggregate>();
  /** Region leader: what the last rounds found per sender (MaxContiguous, quiescence). */
  private readonly regionInfo = new Map<NodeId, RegionSenderInfo>();
  private currentRound = 0;
  private regionTokenOutAt = 0;
  private regionTokenOut = false;
  private heldRegion: HeldRegionToken | undefined;
  /** Longest a partition leader holds the region token waiting for its partition token. */
  private readonly holdMs: number;
  private closed = false;
  private arrivalsAtLastEnd = 0;
  private lastEndAt = performance.now();
  private busyRoundPending = false;
  private recoveryRounds = 0;
  private readonly parts: TokenParts;
  /** Partition leader: finds a member of my partition's ring that does not forward tokens. */
  private readonly partitionProbe: RingProbe | undefined;
  /** Region leader: the same on the ring of partition leaders. */
  private readonly regionProbe: RingProbe | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly view: RegionView,
    private readonly topo: Topology,
    private readonly data: DataPath,
    private readonly visitor: TokenVisitor,
  ) {
    this.holdMs = Math.max(1, ctx.tun.tokenIntervalMs / 4);
    this.parts = new TokenParts(ctx.counters);
    const bound = ctx.tun.stabilityTimeoutMs;
    if (bound > 0 && topo.isPartitionLeader) {
      const options = {
        boundMs: bound,
        // Long enough for a busy member's hop, short enough that a search ends well within
        // the sender's own bound (twice this one, sender.ts).
        waitMs: Math.max(100, Math.min(ctx.tun.tokenTimeoutRounds * ctx.tun.tokenIntervalMs, bound / 8)),
        attempts: PROBE_ATTEMPTS,
      };
      const now = performance.now();
      const partition = topo.members(topo.partition).slice(1);
      if (partition.length > 0) {
        this.partitionProbe = new RingProbe(
          partition,
          options,
          (to, round) => this.sendToken(to, TokenLevel.Partition, topo.partition, round, []),
          now,
        );
      }
      const leaders = Array.from({ length: topo.partitions - 1 }, (_, i) => topo.partitionLeader(i + 1));
      if (topo.isRegionLeader && leaders.length > 0) {
        this.regionProbe = new RingProbe(
          leaders,
          options,
          (to, round) => this.sendToken(to, TokenLevel.Region, 0, round, []),
          now,
        );
      }
    }
  }

  /** Region leader: a round every ΔT from now on. Leaders with a ring to watch: a check
   * every ΔT. */
  start(): void {
    const interval = this.ctx.tun.tokenIntervalMs;
    if (this.partitionProbe || this.regionProbe) {
      let last = performance.now();
      const watch = (): void => {
        if (this.closed) return;
        const now = performance.now();
        this.watchRings(now, now - last - interval);
        last = now;
        this.ctx.sched.after(interval, watch);
      };
      this.ctx.sched.after(interval, watch);
    }
    if (!this.topo.isRegionLeader) return;
    const tick = (): void => {
      if (this.closed) return;
      this.startRound();
      this.ctx.sched.after(interval, tick);
    };
    this.ctx.sched.after(interval, tick);
  }

  /** Every ΔT at a leader: are my rings closing, and if not, who keeps them open? */
  private watchRings(now: number, lateMs: number): void {
    // After a stall of my own (event loop, SIGSTOP) no token could come back meanwhile.
    const late = lateMs > this.ctx.tun.tokenTimeoutRounds * this.ctx.tun.tokenIntervalMs;
    const held = !late && this.stabilityHeld();
    for (const [probe, ring] of [
      [this.partitionProbe, 'partition'],
      [this.regionProbe, 'region'],
    ] as const) {
      const found = probe?.tick(now, held);
      if (!found) continue;
      const bound = this.ctx.tun.stabilityTimeoutMs;
      this.ctx.reportStall(
        found.id,
        this.view,
        `the ${ring} token ring did not come back for ${bound} ms while messages waited to become stable, and ${PROBE_ATTEMPTS} probes sent through ${found.id} did not come back`,
      );
    }
  }

  /** Whether I hold messages not yet stable region-wide: then a ring that does not close
   * holds back the senders' windows. */
  private stabilityHeld(): boolean {
    for (const st of this.data.streams.values()) if (st.set.contig > st.stable) return true;
    return false;
  }

  close(): void {
    this.closed = true;
  }

  get round(): number {
    return this.currentRound;
  }

  get tokenOut(): boolean {
    return this.regionTokenOut;
  }

  /** Region leader's view of `sender`: quiet rounds and the last MaxContiguous reported. */
  reported(sender: NodeId): { quietRounds: number; reported: number } | undefined {
    const info = this.regionInfo.get(sender);
    return info ? { quietRounds: info.quietRounds, reported: info.stable } : undefined;
  }

  /** Forgets what the rings gathered about `sender` (its stream was dropped or orphaned). */
  forget(sender: NodeId): void {
    this.partAgg.delete(sender);
    this.regionInfo.delete(sender);
  }

  /** A sender re-multicast what this region leader had: its last MaxContiguous reports were
   * lost, so its record comes back on the token and the next rounds report again. */
  unquiet(sender: NodeId): void {
    const info = this.regionInfo.get(sender);
    if (info && info.quietRounds > 0) info.quietRounds = 0;
  }

  onToken(part: TokenPacket): void {
    this.ctx.counters.tokensReceived++;
    const t = this.parts.add(part);
    if (!t) return;
    if (t.level === TokenLevel.Region) {
      if (!this.topo.isPartitionLeader) return this.ctx.counters.drop('misrouted-token');
      if (this.topo.isRegionLeader) {
        if (this.regionProbe?.returned(t.round, performance.now())) return;
        if (t.round === this.currentRound && this.regionTokenOut) this.endRound(t);
        return;
      }
      this.onRegionToken(t.records, t.round, false);
      return;
    }
    if (t.partition !== this.topo.partition) return this.ctx.counters.drop('misrouted-token');
    const pred = this.topo.partitionOf(t.sender) === this.topo.partition ? t.sender : undefined;
    if (!pred) return this.ctx.counters.drop('misrouted-token');
    if (this.partitionProbe?.returned(t.round, performance.now())) return;
    this.visitor.visit(t.records, pred);
    if (this.topo.isPartitionLeader) {
      this.endPartitionRound(t.records, t.round);
      return;
    }
    const next = this.topo.nextInPartition() ?? this.topo.partitionLeader();
    this.sendToken(next, TokenLevel.Partition, this.topo.partition, t.round, t.records);
  }

  private sendToken(
    to: NodeInfo,
    level: TokenLevel,
    partition: number,
    round: number,
    records: TokenRecord[],
  ): void {
    const token = {
      sender: this.ctx.self.id,
      region: this.view.region,
      viewId: this.view.viewId,
      round,
      level,
      partition,
      records,
    };
    for (const buf of encodeTokenParts(token, datagramLimit(this.ctx.tun))) {
      this.ctx.counters.tokensSent++;
      this.ctx.sendTo(buf, to);
    }
  }

  /** The highest incarnation of `sender` that this member has heard of. */
  private incOf(sender: NodeId): number {
    return Math.max(
      this.data.streams.get(sender)?.inc ?? 0,
      this.partAgg.get(sender)?.inc ?? 0,
      this.regionInfo.get(sender)?.inc ?? 0,
    );
  }

  // ---- region leader ----

  /** Region leader, every ΔT: a new round unless the previous token is still circulating. */
  private startRound(): void {
    const now = performance.now();
    const timeout = this.ctx.tun.tokenTimeoutRounds * this.ctx.tun.tokenIntervalMs;
    if (this.regionTokenOut && now - this.regionTokenOutAt < timeout) return;
    this.currentRound++;
    this.regionTokenOut = true;
    this.regionTokenOutAt = now;
    const streams = this.data.streams;
    const senders = new Set<NodeId>();
    for (const [id, info] of this.regionInfo) if (info.quietRounds < 2) senders.add(id);
    for (const [id, st] of streams) if (activeLocally(st)) senders.add(id);
    for (const id of this.partAgg.keys()) if (this.activeInPartition(id)) senders.add(id);
    const records: TokenRecord[] = [];
    for (const id of senders) {
      if (!this.data.known(id)) continue;
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
          (info && info.quietRounds >= 1 ? RECORD_QUIET : 0) | (streams.get(id)?.orphan ? RECORD_ORPHAN : 0),
      });
    }
    this.onRegionToken(records, this.currentRound, true);
  }

  /** Under load the next round comes after `tokenBusyIntervalMs` rather than ΔT: senders'
   * windows are freed by MaxContiguous, so at high rates acknowledgements every ΔT would
   * bound throughput by window / ΔT. The region is busy when the leader received new
   * messages at BUSY_ROUND_MESSAGES per ΔT or more since the previous round ended, or when
   * the round found messages not yet stable (`unstable`: losses being repaired, a window to
   * free), for up to RECOVERY_ROUNDS rounds; quiet regions keep the papers' 1–5 rounds/s. */
  private scheduleBusyRound(now: number, unstable: boolean): void {
    const arrived = this.data.arrivals - this.arrivalsAtLastEnd;
    const elapsed = now - this.lastEndAt;
    this.arrivalsAtLastEnd = this.data.arrivals;
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

  /** Region leader: the region round is over; report MaxContiguous, update quiescence. */
  private endRound(t: { records: TokenRecord[] }): void {
    this.regionTokenOut = false;
    this.ctx.counters.rounds++;
    const now = performance.now();
    this.regionProbe?.closed(now);
    this.ctx.counters.tokenRtt(now - this.regionTokenOutAt);
    this.scheduleBusyRound(
      now,
      t.records.some((r) => r.allContig < r.maxSeen),
    );
    const present = new Set<NodeId>();
    dropStale(t.records, this.data.streams, this.ctx.counters);
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
          round: this.currentRound,
        }),
        origin,
      );
    }
    for (const id of this.regionInfo.keys())
      if (!present.has(id) && !this.data.streams.has(id)) this.regionInfo.delete(id);
  }

  // ---- partition leaders (the region leader included) ----

  /** Partition leader: members of my partition put a quiet sender back on the partition
   * token (they know of data beyond the quiet point, or lack some), so it must go back on
   * the region token too, or that data is never reported stable. */
  private activeInPartition(id: NodeId): boolean {
    const agg = this.partAgg.get(id);
    if (!agg) return false;
    return agg.allContig < agg.maxSeen || agg.maxSeen > (this.data.streams.get(id)?.quietAt ?? -1);
  }

  /** Partition leader (the region leader included) handles the region token. */
  private onRegionToken(records: TokenRecord[], round: number, first: boolean): void {
    const data = this.data;
    dropStale(records, data.streams, this.ctx.counters);
    // Launch this round's partition token, starting with my own state.
    const precs: TokenRecord[] = records.map((r) => {
      if (notMine(r, data.streams)) return { ...r, lost: r.lost.slice(), partContig: r.partContig.slice() };
      const st = data.streamFor(r.sender, r.inc)!;
      st.set.noteExists(r.maxSeen);
      st.stable = Math.max(st.stable, r.stable);
      st.partContig = r.partContig;
      if (r.flags & RECORD_QUIET) st.quietAt = Math.max(st.quietAt, r.stable);
      const maxSeen = st.set.maxSeen;
      const bm = st.set.bitmap(MAX_BITMAP_BITS);
      const lostHorizon = data.lossHorizon(st);
      st.seenBefore = maxSeen;
      return {
        sender: r.sender,
        inc: r.inc,
        maxSeen,
        prevContig: st.set.contig,
        prevBits: bm.bits,
        prevBitCount: bm.count,
        allContig: st.set.contig,
        lost: data.lostUpTo(st, lostHorizon),
        stable: r.stable,
        partContig: r.partContig,
        flags: r.flags,
      };
    });
    for (const r of records) {
      const st = data.streams.get(r.sender);
      if (st && st.inc === r.inc) data.cleanup(st);
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
        if (present.has(id) || !this.data.known(id) || !this.activeInPartition(id)) continue;
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
          stable: this.data.streams.get(id)?.stable ?? 0,
          partContig: pc,
          flags: this.data.streams.get(id)?.orphan ? RECORD_ORPHAN : 0,
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

  /** Partition leader: the partition token is back; record the aggregate, NAK what all lost. */
  private endPartitionRound(records: TokenRecord[], round: number): void {
    this.partitionProbe?.closed(performance.now());
    this.recordPartitionRound(records);
    const held = this.heldRegion;
    if (held && held.round === round) this.forwardRegion(held);
  }

  private recordPartitionRound(records: TokenRecord[]): void {
    const data = this.data;
    for (const r of records) {
      this.partAgg.set(r.sender, {
        inc: r.inc,
        allContig: r.allContig,
        lost: r.lost,
        maxSeen: r.maxSeen,
      });
      if (r.lost.length === 0 || !data.known(r.sender)) continue;
      const st = data.streams.get(r.sender);
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
        if (target) data.nak(target, r.sender, r.inc, ranges);
      }
      const origin = this.ctx.lookup(r.sender);
      if (origin) data.nak(origin, r.sender, r.inc, toSender, NAK_PARTITION_WIDE);
    }
  }
}
