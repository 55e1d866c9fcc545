// The sending side (group agent on the sender, D4419-4466): per-group and per-(region view)
// sequence numbers, the buffer of unacknowledged messages, flow control, MaxContiguous
// processing, retransmission of region- or partition-wide losses, and re-sending what was
// unstable when a region view changes.

import type { EngineContext } from './context';
import type { GroupView, MembershipState, NodeInfo, RegionView } from './membership';
import { Topology } from './region/topology';
import { packetLimit } from './options';
import type { RecoveryState } from './stats';
import { DataPacker } from './wire/packer';
import { PacketType, type MaxContiguousPacket, type NakPacket } from './wire/packets';

/** send() rejects with this when too many sends already wait for window space. */
export class SendQueueFullError extends Error {
  constructor(readonly limit: number) {
    super(`send queue full: ${limit} sends already wait for flow-control window space`);
    this.name = 'SendQueueFullError';
  }
}

interface OutMsg {
  readonly group: string;
  readonly groupSeq: number;
  readonly payload: Uint8Array;
  /** Region views this message was sent in, with its sequence number there. */
  readonly targets: Map<RegionOut, number>;
}

/** One region view this node multicasts into. */
class RegionOut {
  nextSeq = 1;
  /** Highest sequence number transmitted at least once. */
  sent = 0;
  /** MaxContiguous reported by the region leader. */
  acked = 0;
  readonly bySeq = new Map<number, OutMsg>();
  /** Sequence numbers awaiting first transmission, in order. */
  readonly tx: number[] = [];
  txHead = 0;
  lastProgress = performance.now();
  /** @param inc the stream's incarnation (wire/packets.ts): unique per RegionOut of a node. */
  constructor(
    readonly view: RegionView,
    readonly inc: number,
  ) {}
  get pending(): number {
    return this.tx.length - this.txHead;
  }
}

interface PendingSend {
  readonly group: string;
  readonly data: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

export class Sender {
  private readonly regions = new Map<string, RegionOut>();
  private groups = new Map<string, GroupView>();
  /** Messages still held, in send order. */
  private readonly held = new Set<OutMsg>();
  heldBytes = 0;
  private readonly groupSeqs = new Map<string, number>();
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
  /** Held messages per group, for flushing before a leave. */
  private readonly heldPerGroup = new Map<string, number>();
  private flushWaiters: { group: string | undefined; done: () => void }[] = [];
  private readonly packer: DataPacker;
  /** Bytes assigned to regions but not transmitted yet, and the bound on them. */
  private txBytes = 0;
  private readonly txAhead: number;
  /** Last stream incarnation handed out. */
  private incarnations = 0;

  constructor(private readonly ctx: EngineContext) {
    this.packer = new DataPacker(packetLimit(ctx.tun));
    this.txAhead = Math.min(ctx.tun.windowBytes, 64 * packetLimit(ctx.tun));
    const tick = (): void => {
      if (this.closed) return;
      this.checkStalls();
      ctx.sched.after(ctx.tun.tokenIntervalMs, tick);
    };
    ctx.sched.after(ctx.tun.tokenIntervalMs, tick);
  }

  get recovery(): RecoveryState['out'] {
    const now = performance.now();
    return [...this.regions.values()].map((ro) => ({
      region: ro.view.region,
      viewId: ro.view.viewId,
      assigned: ro.nextSeq - 1,
      sent: ro.sent,
      acked: ro.acked,
      held: ro.bySeq.size,
      pending: ro.pending,
      idleMs: Math.round(now - ro.lastProgress),
    }));
  }

  get heldMessages(): number {
    return this.held.size;
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
    // Fast path: nothing queued ahead, view installed, room in the window.
    const view = this.groups.get(group);
    if (this.queued === 0 && view && performance.now() >= this.pausedUntil && this.hasRoom(data.length)) {
      this.accept(group, view, copy(data));
      return Promise.resolve();
    }
    if (this.queued >= this.ctx.tun.maxQueuedSends) {
      return Promise.reject(new SendQueueFullError(this.ctx.tun.maxQueuedSends));
    }
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ group, data: copy(data), resolve, reject });
      this.admit();
    });
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
    return group === undefined ? this.held.size === 0 : (this.heldPerGroup.get(group) ?? 0) === 0;
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
      const view = this.groups.get(p.group);
      if (!view || now < this.pausedUntil || !this.hasRoom(p.data.length)) break;
      this.waiting[this.waitingHead++] = undefined as unknown as PendingSend;
      this.accept(p.group, view, p.data);
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
    if (this.held.size === 0) return true; // a single oversized message still goes through
    // Pull: accept only a little ahead of what the socket has taken, so a sender that loops
    // on send() yields to the event loop (tokens, acks) instead of filling the whole window
    // in one go.
    if (this.txBytes > 0 && this.txBytes + bytes > this.txAhead) return false;
    return this.held.size < t.windowMessages && this.heldBytes + bytes <= t.windowBytes;
  }

  private accept(group: string, view: GroupView, payload: Uint8Array): void {
    const groupSeq = (this.groupSeqs.get(group) ?? 0) + 1;
    this.groupSeqs.set(group, groupSeq);
    const m: OutMsg = { group, groupSeq, payload, targets: new Map() };
    for (const r of view.regions) {
      const ro = this.regions.get(r.region);
      if (ro && ro.view.viewId === r.viewId) this.assign(m, ro);
    }
    this.ctx.counters.messagesSent++;
    this.ctx.counters.bytesSent += payload.length;
    if (m.targets.size > 0) {
      this.held.add(m);
      this.heldBytes += payload.length;
      this.heldPerGroup.set(group, (this.heldPerGroup.get(group) ?? 0) + 1);
      this.ctx.sched.wake();
    }
  }

  private assign(m: OutMsg, ro: RegionOut): void {
    const seq = ro.nextSeq++;
    m.targets.set(ro, seq);
    ro.bySeq.set(seq, m);
    ro.tx.push(seq);
    this.txBytes += m.payload.length;
  }

  private release(m: OutMsg, ro: RegionOut): void {
    m.targets.delete(ro);
    if (m.targets.size === 0) this.free(m);
  }

  private free(m: OutMsg): void {
    if (!this.held.delete(m)) return;
    this.heldBytes -= m.payload.length;
    const n = (this.heldPerGroup.get(m.group) ?? 1) - 1;
    if (n > 0) this.heldPerGroup.set(m.group, n);
    else this.heldPerGroup.delete(m.group);
  }

  /** Installs new views: retires changed region views and re-sends what was unstable there. */
  onState(state: MembershipState): void {
    this.groups = new Map(state.groups.map((g) => [g.group, g]));
    const current = new Map(state.regions.map((r) => [r.region, r]));
    let changed = false;
    for (const [id, ro] of this.regions) {
      const v = current.get(id);
      if (v && v.viewId === ro.view.viewId) continue;
      this.regions.delete(id);
      changed = true;
      for (let i = ro.txHead; i < ro.tx.length; i++) {
        const m = ro.bySeq.get(ro.tx[i]!);
        if (m) this.txBytes -= m.payload.length;
      }
      // Keep the messages held: they are re-sent below in the new view (or freed if none).
      for (const m of ro.bySeq.values()) m.targets.delete(ro);
    }
    // Regions spanned by my groups get a RegionOut for their current view.
    for (const g of state.groups) {
      for (const r of g.regions) {
        const v = current.get(r.region);
        if (!v || v.viewId !== r.viewId || this.regions.has(r.region)) continue;
        this.regions.set(r.region, new RegionOut(v, ++this.incarnations));
        changed = true;
      }
    }
    if (!changed) return;
    // Still-held messages go to every current region view of their group they were not sent
    // in, in the original order, so per-group FIFO holds; receivers drop duplicates.
    for (const m of [...this.held]) {
      const g = this.groups.get(m.group);
      if (g) {
        for (const r of g.regions) {
          const ro = this.regions.get(r.region);
          if (ro && ro.view.viewId === r.viewId && !m.targets.has(ro)) this.assign(m, ro);
        }
      }
      // A group missing from the state that this node did not leave means the GMS excluded
      // us (false suspicion) and will re-admit us: keep the message to re-send then.
      const excluded = !g && !this.leavingAll && !this.leaving.has(m.group);
      if (m.targets.size === 0 && !excluded) this.free(m);
    }
    this.checkFlushWaiters();
    this.pausedUntil = performance.now() + this.ctx.tun.reconfigPauseMs;
    this.ctx.sched.after(this.ctx.tun.reconfigPauseMs + 1, () => this.admit());
    this.admit();
  }

  onMaxContiguous(p: MaxContiguousPacket): void {
    const ro = this.regions.get(p.region);
    if (!ro || ro.view.viewId !== p.viewId || ro.inc !== p.inc) return;
    const upTo = Math.min(p.maxContiguous, ro.sent);
    if (upTo <= ro.acked) return;
    for (let s = ro.acked + 1; s <= upTo; s++) {
      const m = ro.bySeq.get(s);
      if (!m) continue;
      ro.bySeq.delete(s);
      this.release(m, ro);
    }
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
        const m = ro.bySeq.get(s);
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
        const m = ro.bySeq.get(s);
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
      msg: { seq, group: m.group, groupSeq: m.groupSeq, payload: m.payload },
      to,
    });
  }

  /** No MaxContiguous progress for a while: the tail (or everything) may be lost region-wide. */
  private checkStalls(): void {
    const now = performance.now();
    const limit = this.ctx.tun.stallRounds * this.ctx.tun.tokenIntervalMs;
    for (const ro of this.regions.values()) {
      if (ro.bySeq.size === 0 || ro.sent <= ro.acked || now - ro.lastProgress < limit) continue;
      ro.lastProgress = now;
      let n = 0;
      let last = 0;
      for (let s = ro.acked + 1; s <= ro.sent && n < 64; s++) {
        const m = ro.bySeq.get(s);
        if (m) {
          this.repair(m, ro, s, ro.view);
          last = s;
          n++;
        }
      }
      // And the newest: receivers that lost the tail learn how far it goes, and recover the
      // rest through the token rings (pulls, partition-wide NAKs) instead of 64 per stall.
      const newest = ro.bySeq.get(ro.sent);
      if (newest && ro.sent > last) this.repair(newest, ro, ro.sent, ro.view);
    }
    this.admit();
  }

  /** Outbound feed: first transmissions, round-robin over regions, paced by sendRate (in
   * messages). Each datagram packs the region's pending messages up to the packet size; at
   * low rates that is one message per scheduler tick, so packing adds no latency. */
  feed(budget: number, transmit: (buf: Uint8Array, view: RegionView) => void): number {
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
      pk.begin(PacketType.Data, self, region, viewId, ro.inc);
      while (ro.pending > 0 && msgs < allowed) {
        const seq = ro.tx[ro.txHead]!;
        const m = ro.bySeq.get(seq);
        if (m && !pk.fits(m.group, m.payload.length)) break;
        ro.txHead++;
        if (seq > ro.sent) ro.sent = seq;
        if (!m) continue; // freed already (its region view was retired)
        this.txBytes -= m.payload.length;
        pk.add(seq, m.group, m.groupSeq, m.payload);
        this.ctx.loopback(region, viewId, ro.inc, {
          seq,
          group: m.group,
          groupSeq: m.groupSeq,
          payload: m.payload,
        });
        msgs++;
      }
      if (ro.txHead > 4096 && ro.txHead * 2 > ro.tx.length) {
        ro.tx.splice(0, ro.txHead);
        ro.txHead = 0;
      }
      if (pk.count === 0) continue;
      transmit(pk.finish(), ro.view);
      ro.lastProgress = Math.max(ro.lastProgress, performance.now() - this.ctx.tun.tokenIntervalMs);
      datagrams++;
    }
    if (rate > 0) this.tokens -= msgs;
    if (msgs > 0 && this.queued > 0) this.admit();
    return datagrams;
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

/** send() copies the payload: small ones into Node's shared buffer pool (cheaper than an
 * ArrayBuffer per message), large ones into their own buffer. */
function copy(data: Uint8Array): Uint8Array {
  const b = Buffer.allocUnsafe(data.length);
  b.set(data);
  return b;
}
