// The sending side (group agent on the sender, D4419-4466): per-group and per-(region view)
// sequence numbers, the buffer of unacknowledged messages, flow control, MaxContiguous
// processing, retransmission of region- or partition-wide losses, and re-sending what was
// unstable when a region view changes. A message larger than a datagram takes several
// consecutive seqs in each region view, one fragment each (DataMsg.frag). A region whose
// leader sends no MaxContiguous at all while messages wait is reported (reportSilentLeaders).

import type { EngineContext } from './context';
import type { GroupView, MembershipState, NodeInfo, RegionView } from './membership';
import { Topology } from './region/topology';
import { datagramLimit, packetLimit } from './options';
import type { RegionRoute, RegionRoutes } from './transport/routes';
import type { RecoveryState } from './stats';
import { Ring } from './util/ring';
import { DataPacker } from './wire/packer';
import { ArenaSlab, PayloadArena, copyOut } from './wire/payload-arena';
import { DatagramPool } from './wire/datagram-pool';
import {
  FRAG_CONT,
  FRAG_MORE,
  fragmentBytes,
  PacketType,
  type DataMsg,
  type MaxContiguousPacket,
  type NakPacket,
} from './wire/packets';

/** Bytes accepted ahead of the socket, in datagrams (see hasRoom): few, so that a sender
 * looping on send() hands the socket small bursts (64 held p99 latency near 35 ms at 60k msgs/s,
 * 8 brought it to 7–34 ms, at no measurable cost in throughput). */
const TX_AHEAD_PACKETS = 8;

/** send() rejects with this when too many sends already wait for window space. */
export class SendQueueFullError extends Error {
  constructor(readonly limit: number) {
    super(`send queue full: ${limit} sends already wait for flow-control window space`);
    this.name = 'SendQueueFullError';
  }
}

/** A group this node sends to: its installed view and per-group sequence numbers. */
class GroupOut {
  view: GroupView | undefined;
  /** The current region views of the group's regions (where a new message goes); shared by
   * groups with the same ones, never mutated. */
  targets: readonly RegionOut[] = [];
  /** Last per-group sequence number assigned (kept across views: delivery orders on it). */
  seq = 0;
  /** The group's index in the last region asked about (almost always its only one). */
  private lastRegion: RegionOut | undefined;
  private lastIndex = 0;
  constructor(readonly name: string) {}

  /** The group's index in `ro`'s group list (DataMsg.gi): what the wire carries. */
  indexIn(ro: RegionOut): number {
    if (ro !== this.lastRegion) {
      this.lastRegion = ro;
      this.lastIndex = ro.groupIndex(this.name);
    }
    return this.lastIndex;
  }
}

interface OutMsg {
  readonly group: GroupOut;
  readonly groupSeq: number;
  /** The payload: `len` bytes at `off` in an arena slab (no view object per message). */
  readonly slab: ArenaSlab;
  readonly off: number;
  readonly len: number;
  /** Region views this message was assigned to: almost always one, so no array for it. */
  region: RegionOut | undefined;
  moreRegions: RegionOut[] | undefined;
  /** Seq of the message's first fragment in `region` and in each of `moreRegions`: read only
   * for a message larger than a datagram (RegionOut.fragBytes). */
  first: number;
  moreFirst: number[] | undefined;
  /** Seqs (one per fragment) in those region views not acknowledged yet: freed at 0. */
  unacked: number;
  held: boolean;
}

/** One region view this node multicasts into. Sequence numbers are dense, so the messages
 * not yet acknowledged (acked+1 .. nextSeq-1) sit in a ring indexed by seq - acked - 1, and
 * those not yet transmitted are the tail sent+1 .. nextSeq-1. */
class RegionOut {
  nextSeq = 1;
  /** Highest sequence number transmitted at least once. */
  sent = 0;
  /** MaxContiguous reported by the region leader. */
  acked = 0;
  readonly unacked = new Ring<OutMsg>(1024);
  lastProgress = performance.now();
  /** Last MaxContiguous for this stream (progress or not), or last time nothing was
   * outstanding: how long the region leader has been silent while messages waited. */
  heardAt = performance.now();
  /** @param inc the stream's incarnation (wire/packets.ts): unique per RegionOut of a node.
   * @param route the region's transport (transport/routes.ts), read per datagram.
   * @param fragBytes the largest payload a datagram of this stream carries: a longer message
   * goes as fragments of this size. */
  constructor(
    readonly view: RegionView,
    readonly inc: number,
    readonly route: RegionRoute,
    readonly fragBytes: number,
  ) {}
  /** Seqs a message of `len` bytes takes: one, or one per fragment. */
  seqsFor(len: number): number {
    return len <= this.fragBytes ? 1 : Math.ceil(len / this.fragBytes);
  }
  /** Where message `m`'s part with seq `seq` starts in its payload (0 unless fragmented). */
  fragOffset(m: OutMsg, seq: number): number {
    if (m.len <= this.fragBytes) return 0;
    return (seq - firstSeq(m, this)) * this.fragBytes;
  }
  /** Bytes of message `m`'s part with seq `seq`. */
  fragLength(m: OutMsg, seq: number): number {
    return Math.min(this.fragBytes, m.len - this.fragOffset(m, seq));
  }
  get pending(): number {
    return this.nextSeq - 1 - this.sent;
  }
  private index: Map<string, number> | undefined;
  /** Position of `group` in the region's (sorted, fixed) group list. */
  groupIndex(group: string): number {
    this.index ??= new Map(this.view.groups.map((g, i) => [g, i]));
    const i = this.index.get(group);
    // Only groups whose view lists this region are assigned to it, and a region's group set
    // is what its id hashes: a miss is a bug, not a race.
    if (i === undefined) throw new Error(`group ${group} is not in region ${this.view.region}`);
    return i;
  }
  /** The message with sequence number `seq`, if not acknowledged yet. */
  at(seq: number): OutMsg | undefined {
    return this.unacked.at(seq - this.acked - 1);
  }
}

interface PendingSend {
  readonly group: string;
  readonly data: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

/** Sends to one group without a lookup by name per message (QsmNode.group()). */
export interface GroupSendHandle {
  readonly group: string;
  /** As QsmNode.trySend(group, data). */
  trySend(data: Uint8Array): boolean;
  /** As QsmNode.send(group, data). */
  send(data: Uint8Array): Promise<void>;
}

export class Sender {
  private readonly regions = new Map<string, RegionOut>();
  private readonly groups = new Map<string, GroupOut>();
  /** Raised whenever `groups` gains or loses an entry: handles re-resolve their group then. */
  private groupsVersion = 0;
  /** Messages still held, in send order; freed ones leave lazily (from the front, or in a
   * compaction once they are the majority). */
  private readonly held = new Ring<OutMsg>(1024);
  private heldCount = 0;
  heldBytes = 0;
  private readonly waiting: PendingSend[] = [];
  private waitingHead = 0;
  private pausedUntil = 0;
  private rr = 0;
  private tokens = 0;
  private lastRefill = performance.now();
  private closed = false;
  /** Groups being left (and, with `all`, the whole node closing): no new sends. */
  private readonly leaving = new Set<string>();
  private leavingAll = false;
  private flushWaiters: { group: string | undefined; done: () => void }[] = [];
  private readonly packer: DataPacker;
  /** Where held payloads live: reused, so steady sending allocates no payload memory. */
  private readonly arena = new PayloadArena();
  private readonly datagrams: DatagramPool;
  private readonly releaseDatagram = (buf: Uint8Array): void => this.datagrams.give(buf);
  /** Bytes assigned to regions but not transmitted yet, and the bound on them. */
  private txBytes = 0;
  private readonly txAhead: number;
  /** Last stream incarnation handed out. */
  private incarnations = 0;

  constructor(
    private readonly ctx: EngineContext,
    private readonly routes: RegionRoutes,
  ) {
    this.datagrams = new DatagramPool(packetLimit(ctx.tun));
    this.packer = new DataPacker(packetLimit(ctx.tun), this.datagrams);
    this.txAhead = Math.min(ctx.tun.windowBytes, TX_AHEAD_PACKETS * packetLimit(ctx.tun));
    let last = performance.now();
    const tick = (): void => {
      if (this.closed) return;
      const now = performance.now();
      this.reportSilentLeaders(now, now - last - ctx.tun.tokenIntervalMs);
      last = now;
      this.checkStalls();
      ctx.sched.after(ctx.tun.tokenIntervalMs, tick);
    };
    ctx.sched.after(ctx.tun.tokenIntervalMs, tick);
  }

  /**
   * A region leader that sends no MaxContiguous at all (it runs no rounds: a member that
   * takes no part in the rings, at rank 0) holds this sender's window for good. After twice
   * `stabilityTimeoutMs` without one while messages are outstanding in that region view, the
   * leader is reported. Twice: a leader that does run rounds but whose ring of partition
   * leaders is broken reports the culprit itself within about one bound (token-ring.ts).
   */
  private reportSilentLeaders(now: number, lateMs: number): void {
    const bound = 2 * this.ctx.tun.stabilityTimeoutMs;
    if (bound <= 0) return;
    // After a stall of my own, MaxContiguous may be waiting unread in the socket.
    const late = lateMs > this.ctx.tun.tokenTimeoutRounds * this.ctx.tun.tokenIntervalMs;
    for (const ro of this.regions.values()) {
      if (late || ro.sent <= ro.acked) ro.heardAt = now;
      if (now - ro.heardAt < bound) continue;
      ro.heardAt = now;
      const leader = ro.view.members[0];
      if (!leader || leader.id === this.ctx.self.id) continue;
      this.ctx.reportStall(
        leader.id,
        ro.view,
        `no MaxContiguous from the region leader for ${bound} ms while ${ro.sent - ro.acked} message(s) waited`,
      );
    }
  }

  get recovery(): RecoveryState['out'] {
    const now = performance.now();
    return [...this.regions.values()].map((ro) => ({
      region: ro.view.region,
      viewId: ro.view.viewId,
      assigned: ro.nextSeq - 1,
      sent: ro.sent,
      acked: ro.acked,
      held: ro.unacked.length,
      pending: ro.pending,
      idleMs: Math.round(now - ro.lastProgress),
    }));
  }

  get heldMessages(): number {
    return this.heldCount;
  }
  get queued(): number {
    return this.waiting.length - this.waitingHead;
  }
  /** True when a send() now would be accepted without waiting. */
  get writable(): boolean {
    return this.queued === 0 && performance.now() >= this.pausedUntil && this.hasRoom(0);
  }

  send(group: string, data: Uint8Array): Promise<void> {
    if (this.closed || this.leavingAll) return Promise.reject(new Error('node closed'));
    if (this.leaving.has(group)) return Promise.reject(new Error(`group ${group} is being left`));
    if (data.length > this.ctx.tun.maxPayload) {
      return Promise.reject(
        new RangeError(`payload of ${data.length} bytes exceeds ${this.ctx.tun.maxPayload}`),
      );
    }
    if (this.tryAccept(this.groups.get(group), data)) return Promise.resolve();
    if (this.queued >= this.ctx.tun.maxQueuedSends) {
      return Promise.reject(new SendQueueFullError(this.ctx.tun.maxQueuedSends));
    }
    return new Promise<void>((resolve, reject) => {
      // A copy of its own: the caller may reuse `data` once send() returns.
      this.waiting.push({ group, data: Buffer.from(data), resolve, reject });
      this.admit();
    });
  }

  /** Accepts `data` at once if nothing is queued ahead, the group's view is installed and
   * the window has room; false (and nothing done) otherwise. No promise: the hot path of a
   * sender that checks `writable` itself. */
  trySend(group: string, data: Uint8Array): boolean {
    return this.open(group, data) && this.tryAccept(this.groups.get(group), data);
  }

  handle(group: string): GroupSendHandle {
    return new GroupHandle(this, group);
  }

  /** GroupHandle.trySend: the handle caches the group's GroupOut until the groups change. */
  trySendVia(h: GroupHandle, data: Uint8Array): boolean {
    if (!this.open(h.group, data)) return false;
    if (h.version !== this.groupsVersion) {
      h.out = this.groups.get(h.group);
      h.version = this.groupsVersion;
    }
    return this.tryAccept(h.out, data);
  }

  /** Whether a send to `group` may be accepted at all: node open, group not being left,
   * payload not too large (send() says which, with an error). */
  private open(group: string, data: Uint8Array): boolean {
    if (this.closed || this.leavingAll || data.length > this.ctx.tun.maxPayload) return false;
    return this.leaving.size === 0 || !this.leaving.has(group);
  }

  private tryAccept(g: GroupOut | undefined, data: Uint8Array): boolean {
    if (this.queued !== 0) return false;
    if (!g?.view || !this.hasRoom(data.length) || performance.now() < this.pausedUntil) return false;
    this.accept(g, data);
    return true;
  }

  /** Stops new sends to `group` (or all groups) and resolves once every message held for it
   * is stable at all current members, or after `timeoutMs`; true if flushed. */
  flush(group: string | undefined, timeoutMs: number): Promise<boolean> {
    if (group === undefined) this.leavingAll = true;
    else this.leaving.add(group);
    const err = new Error(group === undefined ? 'node closed' : `group ${group} is being left`);
    this.rejectWaiting((p) => group === undefined || p.group === group, err);
    if (this.flushed(group)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const w = {
        group,
        done: () => {
          alarm.cancelled = true;
          resolve(true);
        },
      };
      const alarm = this.ctx.sched.after(timeoutMs, () => {
        this.flushWaiters = this.flushWaiters.filter((x) => x !== w);
        resolve(this.flushed(group));
      });
      this.flushWaiters.push(w);
    });
  }

  /** A group left and joined again accepts sends again. */
  rejoined(group: string): void {
    this.leaving.delete(group);
  }

  private flushed(group: string | undefined): boolean {
    if (group === undefined) return this.heldCount === 0;
    // No per-group count of held messages (one more visit per message to its GroupOut): a
    // scan, only while a leave waits.
    const g = this.groups.get(group);
    if (!g) return true;
    for (const m of this.held) if (m.held && m.group === g) return false;
    return true;
  }

  private rejectWaiting(match: (p: PendingSend) => boolean, err: Error): void {
    const keep: PendingSend[] = [];
    for (let i = this.waitingHead; i < this.waiting.length; i++) {
      const p = this.waiting[i]!;
      if (match(p)) p.reject(err);
      else keep.push(p);
    }
    this.waiting.length = 0;
    this.waiting.push(...keep);
    this.waitingHead = 0;
  }

  private checkFlushWaiters(): void {
    if (this.flushWaiters.length === 0) return;
    const still: typeof this.flushWaiters = [];
    for (const w of this.flushWaiters) {
      if (this.flushed(w.group)) w.done();
      else still.push(w);
    }
    this.flushWaiters = still;
  }

  /** Accepts waiting sends while the window has room and their group's view is installed. */
  admit(): void {
    const now = performance.now();
    while (this.waitingHead < this.waiting.length) {
      const p = this.waiting[this.waitingHead]!;
      const g = this.groups.get(p.group);
      if (!g?.view || now < this.pausedUntil || !this.hasRoom(p.data.length)) break;
      this.waiting[this.waitingHead++] = undefined as unknown as PendingSend;
      this.accept(g, p.data);
      p.resolve();
    }
    if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
      this.waiting.splice(0, this.waitingHead);
      this.waitingHead = 0;
    }
    if (now < this.pausedUntil && this.queued > 0)
      this.ctx.sched.after(this.pausedUntil - now + 1, () => this.admit());
  }

  private hasRoom(bytes: number): boolean {
    const t = this.ctx.tun;
    if (this.heldCount === 0) return true; // a single oversized message still goes through
    // Pull: accept only a little ahead of what the socket has taken, so a sender that loops
    // on send() yields to the event loop (tokens, acks) instead of filling the whole window
    // in one go.
    if (this.txBytes > 0 && this.txBytes + bytes > this.txAhead) return false;
    return this.heldCount < t.windowMessages && this.heldBytes + bytes <= t.windowBytes;
  }

  /** Takes a message: `payload` is copied into the arena (the caller keeps its buffer). */
  private accept(g: GroupOut, payload: Uint8Array): void {
    const slab = this.arena.slabFor(payload.length);
    const m: OutMsg = {
      group: g,
      groupSeq: ++g.seq,
      slab,
      off: slab.put(payload),
      len: payload.length,
      region: undefined,
      moreRegions: undefined,
      first: 0,
      moreFirst: undefined,
      unacked: 0,
      held: false,
    };
    for (const ro of g.targets) this.assign(m, ro);
    this.ctx.counters.messagesSent++;
    this.ctx.counters.bytesSent += payload.length;
    if (m.unacked > 0) this.hold(m);
    else this.arena.release(slab);
  }

  private hold(m: OutMsg): void {
    m.held = true;
    this.held.push(m);
    this.heldCount++;
    this.heldBytes += m.len;
    this.ctx.sched.wake();
  }

  private assign(m: OutMsg, ro: RegionOut): void {
    const first = ro.nextSeq;
    const n = ro.seqsFor(m.len);
    ro.nextSeq += n;
    for (let i = 0; i < n; i++) ro.unacked.push(m);
    if (!m.region) {
      m.region = ro;
      m.first = first;
    } else {
      (m.moreRegions ??= []).push(ro);
      (m.moreFirst ??= []).push(first);
    }
    m.unacked += n;
    this.txBytes += m.len;
  }

  /** `ro` acknowledged `m` (or was retired). */
  private release(m: OutMsg): void {
    if (--m.unacked === 0) this.free(m);
  }

  private free(m: OutMsg): void {
    if (!m.held) return;
    m.held = false;
    this.heldCount--;
    this.heldBytes -= m.len;
    this.arena.release(m.slab);
    const q = this.held;
    while (q.length > 0 && !q.first()!.held) q.shift();
    if (q.length > 1024 && q.length > 2 * this.heldCount) q.retain((x) => x.held);
  }

  /** Installs new views: retires changed region views and re-sends what was unstable there. */
  onState(state: MembershipState): void {
    const views = new Map(state.groups.map((g) => [g.group, g]));
    for (const [name, g] of this.groups) {
      g.view = views.get(name);
      // Nothing to remember for a group without a view, sequence numbers or held messages.
      if (!g.view && g.seq === 0) {
        this.groups.delete(name);
        this.groupsVersion++;
      }
    }
    for (const [name, v] of views) {
      let g = this.groups.get(name);
      if (!g) {
        this.groups.set(name, (g = new GroupOut(name)));
        this.groupsVersion++;
      }
      g.view = v;
    }
    const current = new Map(state.regions.map((r) => [r.region, r]));
    let changed = false;
    for (const [id, ro] of this.regions) {
      const v = current.get(id);
      if (v && v.viewId === ro.view.viewId) continue;
      this.regions.delete(id);
      changed = true;
      // Keep the messages held: they are re-sent below in the new view (or freed if none).
      for (let s = ro.acked + 1; s < ro.nextSeq; s++) {
        const m = ro.at(s)!;
        if (s > ro.sent) this.txBytes -= ro.fragLength(m, s);
        m.unacked--;
      }
      for (let s = ro.acked + 1; s < ro.nextSeq; s++) unassign(ro.at(s)!, ro);
    }
    // Regions spanned by my groups get a RegionOut for their current view.
    for (const g of state.groups) {
      for (const r of g.regions) {
        const v = current.get(r.region);
        if (!v || v.viewId !== r.viewId || this.regions.has(r.region)) continue;
        const fragBytes = fragmentBytes(datagramLimit(this.ctx.tun), this.ctx.self.id, v.region);
        this.regions.set(
          r.region,
          new RegionOut(v, ++this.incarnations, this.routes.route(v.region), fragBytes),
        );
        changed = true;
      }
    }
    // Groups whose views share one region list (the GMS client's ViewInterner makes equal
    // lists one object) share one targets array, never mutated.
    const targetsOf = new Map<GroupView['regions'], RegionOut[]>();
    for (const g of this.groups.values()) {
      const refs = g.view?.regions ?? NO_REGIONS;
      let targets = targetsOf.get(refs);
      if (!targets) {
        targets = [];
        for (const r of refs) {
          const ro = this.regions.get(r.region);
          if (ro && ro.view.viewId === r.viewId) targets.push(ro);
        }
        targetsOf.set(refs, targets);
      }
      g.targets = targets;
    }
    if (!changed) return;
    // Still-held messages go to every current region view of their group they were not sent
    // in, in the original order, so per-group FIFO holds; receivers drop duplicates.
    for (const m of [...this.held]) {
      if (!m.held) continue;
      for (const ro of m.group.targets) if (!assignedTo(m, ro)) this.assign(m, ro);
      // A group without a view that this node did not leave means the GMS excluded us (false
      // suspicion) and will re-admit us: keep the message to re-send then.
      const excluded = !m.group.view && !this.leavingAll && !this.leaving.has(m.group.name);
      if (m.unacked === 0 && !excluded) this.free(m);
    }
    this.checkFlushWaiters();
    this.pausedUntil = performance.now() + this.ctx.tun.reconfigPauseMs;
    this.ctx.sched.after(this.ctx.tun.reconfigPauseMs + 1, () => this.admit());
    this.admit();
  }

  onMaxContiguous(p: MaxContiguousPacket): void {
    const ro = this.regions.get(p.region);
    if (!ro || ro.view.viewId !== p.viewId || ro.inc !== p.inc) return;
    ro.heardAt = performance.now();
    const upTo = Math.min(p.maxContiguous, ro.sent);
    if (upTo <= ro.acked) return;
    const n = upTo - ro.acked;
    for (let i = 0; i < n; i++) this.release(ro.unacked.shift()!);
    ro.acked = upTo;
    ro.lastProgress = performance.now();
    this.checkFlushWaiters();
    this.admit();
  }

  /** A partition leader NAKed what its whole partition lost: unicast it to each member. */
  onPartitionNak(p: NakPacket): boolean {
    const ro = this.regions.get(p.region);
    if (!ro || ro.view.viewId !== p.viewId || ro.inc !== p.inc) return false;
    const topo = new Topology(ro.view, p.sender, this.ctx.tun.partitionSize);
    if (topo.partition < 0) return false;
    const members = topo.members(topo.partition);
    let budget = this.ctx.tun.repairsPerToken;
    for (const r of p.ranges) {
      for (let s = r.from; s <= Math.min(r.to, ro.sent) && budget > 0; s++, budget--) {
        const m = ro.at(s);
        if (m) for (const to of members) this.repair(m, ro, s, to);
      }
    }
    return true;
  }

  /** Answers a point-to-point NAK from the held buffer (used when no receiver copy exists). */
  serveNak(p: NakPacket, to: NodeInfo): void {
    const ro = this.regions.get(p.region);
    if (!ro || ro.view.viewId !== p.viewId || ro.inc !== p.inc) return;
    let budget = this.ctx.tun.repairsPerToken;
    for (const r of p.ranges) {
      for (let s = r.from; s <= Math.min(r.to, ro.sent) && budget > 0; s++, budget--) {
        const m = ro.at(s);
        if (m) this.repair(m, ro, s, to);
      }
    }
  }

  private repair(m: OutMsg, ro: RegionOut, seq: number, to: NodeInfo | RegionView): void {
    this.ctx.counters.retransmissions++;
    this.ctx.queueRepair({
      origin: this.ctx.self.id,
      region: ro.view.region,
      viewId: ro.view.viewId,
      inc: ro.inc,
      msg: this.detached(m, ro, seq),
      to,
    });
  }

  /** Message `seq` of region view `ro` (a fragment, for a long message) with a payload of its
   * own (safe to keep after the message is released and its arena memory reused). */
  private detached(m: OutMsg, ro: RegionOut, seq: number): DataMsg {
    const off = ro.fragOffset(m, seq);
    const len = Math.min(ro.fragBytes, m.len - off);
    return {
      seq,
      gi: m.group.indexIn(ro),
      groupSeq: m.groupSeq,
      payload: copyOut(m.slab, m.off + off, len),
      frag: fragBits(off, len, m.len),
    };
  }

  /** My message `seq` of my stream `inc` in region view (region, viewId), while held: what
   * my region agent repairs my own stream from (it keeps no copy of it). */
  heldMessage(region: string, viewId: number, inc: number, seq: number): DataMsg | undefined {
    const ro = this.regions.get(region);
    if (!ro || ro.view.viewId !== viewId || ro.inc !== inc || seq > ro.sent) return undefined;
    const m = ro.at(seq);
    return m && this.detached(m, ro, seq);
  }

  /** No MaxContiguous progress for a while: the tail (or everything) may be lost region-wide. */
  private checkStalls(): void {
    const now = performance.now();
    const limit = this.ctx.tun.stallRounds * this.ctx.tun.tokenIntervalMs;
    for (const ro of this.regions.values()) {
      if (ro.unacked.length === 0 || ro.sent <= ro.acked || now - ro.lastProgress < limit) continue;
      ro.lastProgress = now;
      let n = 0;
      let last = 0;
      for (let s = ro.acked + 1; s <= ro.sent && n < 64; s++) {
        const m = ro.at(s);
        if (m) {
          this.repair(m, ro, s, ro.view);
          last = s;
          n++;
        }
      }
      // And the newest: receivers that lost the tail learn how far it goes, and recover the
      // rest through the token rings (pulls, partition-wide NAKs) instead of 64 per stall.
      const newest = ro.at(ro.sent);
      if (newest && ro.sent > last) this.repair(newest, ro, ro.sent, ro.view);
    }
    this.admit();
  }

  /** Outbound feed: first transmissions, round-robin over regions, paced by sendRate (in
   * messages). Each datagram packs the region's pending messages up to the packet size; at
   * low rates that is one message per scheduler tick, so packing adds no latency. */
  feed(
    budget: number,
    transmit: (
      buf: Uint8Array,
      view: RegionView,
      unicast: boolean,
      release: (buf: Uint8Array) => void,
    ) => void,
  ): number {
    if (this.closed) return 0;
    const rate = this.ctx.tun.sendRate;
    let allowed = Infinity;
    if (rate > 0) {
      const now = performance.now();
      this.tokens = Math.min(rate / 10 + 1, this.tokens + ((now - this.lastRefill) * rate) / 1000);
      this.lastRefill = now;
      allowed = Math.floor(this.tokens);
      if (allowed <= 0) {
        if (this.pendingTx()) this.ctx.sched.after(Math.max(1, 1000 / rate), noop);
        return 0;
      }
    }
    const ros = [...this.regions.values()];
    const self = this.ctx.self.id;
    const pk = this.packer;
    let datagrams = 0;
    let msgs = 0;
    let idle = 0;
    while (datagrams < budget && msgs < allowed && ros.length > 0 && idle < ros.length) {
      const ro = ros[this.rr++ % ros.length]!;
      if (ro.pending === 0) {
        idle++;
        continue;
      }
      idle = 0;
      const { region, viewId } = ro.view;
      const own = this.ctx.isOwnRegion(region, viewId);
      pk.begin(PacketType.Data, self, region, viewId, ro.inc);
      while (ro.pending > 0 && msgs < allowed) {
        const seq = ro.sent + 1;
        const m = ro.at(seq)!;
        if (m.len <= ro.fragBytes) {
          if (!pk.fits(m.len)) break;
          ro.sent = seq;
          this.txBytes -= m.len;
          pk.addFrom(seq, m.group.indexIn(ro), m.groupSeq, m.slab.bytes, m.off, m.len);
          msgs++;
        } else {
          const off = ro.fragOffset(m, seq);
          const len = Math.min(ro.fragBytes, m.len - off);
          if (!pk.fits(len)) break;
          ro.sent = seq;
          this.txBytes -= len;
          const bits = fragBits(off, len, m.len);
          pk.addFrom(seq, m.group.indexIn(ro), m.groupSeq, m.slab.bytes, m.off + off, len, bits);
          // A message's fragments count once against sendRate, which paces messages.
          if ((bits & FRAG_MORE) === 0) msgs++;
        }
      }
      if (pk.count === 0) continue;
      const datagram = pk.finish();
      if (own) this.deliverOwn(ro, datagram);
      transmit(datagram, ro.view, ro.route.unicast, this.releaseDatagram);
      ro.lastProgress = Math.max(ro.lastProgress, performance.now() - this.ctx.tun.tokenIntervalMs);
      datagrams++;
    }
    if (rate > 0) this.tokens -= msgs;
    if (msgs > 0 && this.queued > 0) this.admit();
    return datagrams;
  }

  /** My own delivery of the messages just packed into `datagram`, from one copy of it (the
   * application may keep what it is given; the datagram's buffer is reused once sent). A
   * copy per message (its buffer, the temporary view Buffer.copy makes, a message object)
   * was a third of a sender's garbage in allocation sampling at 120,000 msgs/s of 1 KiB. */
  private deliverOwn(ro: RegionOut, datagram: Uint8Array): void {
    for (const m of this.packer.messagesIn(Buffer.from(datagram))) this.ctx.loopback(ro.inc, m);
  }

  private pendingTx(): boolean {
    for (const ro of this.regions.values()) if (ro.pending > 0) return true;
    return false;
  }

  close(): void {
    this.closed = true;
    this.rejectWaiting(() => true, new Error('node closed'));
    for (const w of this.flushWaiters) w.done();
    this.flushWaiters = [];
  }
}

function noop(): void {}

/** DataMsg.frag of the part of a `total`-byte message at `off`, `len` bytes long. */
function fragBits(off: number, len: number, total: number): number {
  return (off > 0 ? FRAG_CONT : 0) | (off + len < total ? FRAG_MORE : 0);
}

/** The seq of `m`'s first fragment in `ro`, a region view it is assigned to. */
function firstSeq(m: OutMsg, ro: RegionOut): number {
  return m.region === ro ? m.first : m.moreFirst![m.moreRegions!.indexOf(ro)]!;
}

const NO_REGIONS: GroupView['regions'] = [];

/** A GroupSendHandle: one object per group (no closures), what a sender that round-robins
 * over thousands of groups reaches per message. */
class GroupHandle implements GroupSendHandle {
  out: GroupOut | undefined;
  version = -1;
  constructor(
    private readonly sender: Sender,
    readonly group: string,
  ) {}
  trySend(data: Uint8Array): boolean {
    return this.sender.trySendVia(this, data);
  }
  send(data: Uint8Array): Promise<void> {
    return this.sender.send(this.group, data);
  }
}

function assignedTo(m: OutMsg, ro: RegionOut): boolean {
  return m.region === ro || (m.moreRegions?.includes(ro) ?? false);
}

function unassign(m: OutMsg, ro: RegionOut): void {
  if (m.region === ro) {
    m.region = m.moreRegions?.shift();
    m.first = m.moreFirst?.shift() ?? 0;
    return;
  }
  const i = m.moreRegions?.indexOf(ro) ?? -1;
  if (i < 0) return;
  m.moreRegions!.splice(i, 1);
  m.moreFirst!.splice(i, 1);
}
