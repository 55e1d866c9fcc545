// One QSM node: glues membership, transport, scheduler, the sending side and the agent of the
// node's own region. Inbound datagrams are classified by type byte in the socket handler
// (stage 1) and decoded and acted on in the scheduler tick (stage 2). Which transport each
// region's traffic takes (multicast or unicast fan-out) is the chooser's (transport/chooser.ts).

import type dgram from 'node:dgram';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { EngineContext, RepairJob } from './context';
import { reportHandlerError, type HandlerErrorHook } from './handler-errors';
import type {
  MembershipSource,
  MembershipState,
  NodeId,
  NodeInfo,
  RegionView,
  StallReport,
} from './membership';
import { DEFAULTS, IP_UDP_HEADERS, packetLimit, type Tunables } from './options';
import { RegionAgent } from './region/agent';
import { Delivery, type GroupMessageHandler, type MessageHandler } from './region/delivery';
import { Lane, Scheduler } from './scheduler/scheduler';
import { Sender, type GroupSendHandle } from './sender';
import { Counters, type NodeStats } from './stats';
import { TransportChooser } from './transport/chooser';
import { FaultInjector } from './transport/faults';
import { UdpTransport } from './transport/udp';
import { strBytes } from './wire/buffer';
import { DataPacker } from './wire/packer';
import {
  decode,
  HEADER,
  NAK_PARTITION_WIDE,
  PacketType,
  type DataMsg,
  type DataPacket,
  type NakPacket,
  type Packet,
} from './wire/packets';

export interface NodeOptions extends Partial<Tunables> {
  readonly membership: MembershipSource;
  /** An already bound unicast socket at membership.self's port (else one is bound). */
  readonly socket?: dgram.Socket;
  /** Gets each exception a message or view handler throws (handler-errors.ts). Without it
   * they are only counted (stats().handlerErrors); either way delivery goes on. */
  readonly onError?: HandlerErrorHook;
  /** Authenticates every datagram (StartNodeOptions.packetKey). */
  readonly packetKey?: Uint8Array;
}

export type ViewHandler = (state: MembershipState) => void;
/** Gets each member this node found holding back stability (options.ts stabilityTimeoutMs). */
export type StallHandler = (report: StallReport) => void;

/** A group of my region, by its index in the region's group list (DataMsg.gi). */
interface RegionGroup {
  readonly members: ReadonlySet<NodeId>;
  /** The last sender found in `members`: most messages skip the set lookup. */
  member: NodeId;
}

interface Held {
  readonly packet: DataPacket;
  readonly at: number;
}

const MAX_REPAIR_QUEUE = 65_536;
/** Datagrams the outbound feeds may send per tick. */
const OUTBOUND_PER_TICK = 256;

export class QsmNode implements EngineContext {
  readonly self: NodeInfo;
  readonly tun: Tunables;
  readonly counters = new Counters();
  readonly sched: Scheduler;
  readonly faults: FaultInjector;
  private transport!: UdpTransport;
  private readonly chooser: TransportChooser;
  private readonly sender: Sender;
  private readonly delivery: Delivery;
  private agent: RegionAgent | undefined;
  private state: MembershipState | undefined;
  /** Members of my region's groups: the senders my region agent tracks. */
  private liveSenders = new Set<NodeId>();
  /** My region's groups with their members, by index in the region's group list (DataMsg.gi):
   * a data message's group costs an array access. */
  private regionGroups: RegionGroup[] = [];
  private directory = new Map<NodeId, NodeInfo>();
  private held: Held[] = [];
  private readonly repairs: RepairJob[] = [];
  private readonly repairPacker: DataPacker;
  /** This node's id as a wire string (length byte + UTF-8), to spot our own datagrams. */
  private readonly selfWire: Buffer;
  private repairHead = 0;
  private viewHandlers: readonly ViewHandler[] = [];
  private stallHandlers: readonly StallHandler[] = [];
  private unsubscribe: (() => void) | undefined;
  private readonly loopDelay: IntervalHistogram;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** When a datagram carrying each sender id last arrived (performance.now() ms): what the
   * host's network status calls a peer "heard". Overwritten in place, so no allocation per
   * datagram; entries of nodes gone from the directory are pruned on membership changes. */
  private readonly heardAt = new Map<NodeId, number>();

  private constructor(
    private readonly membership: MembershipSource,
    tun: Tunables,
    private readonly onError: HandlerErrorHook | undefined,
  ) {
    this.self = membership.self;
    this.tun = tun;
    const id = strBytes(this.self.id);
    this.selfWire = Buffer.concat([Buffer.of(id.length), id]);
    this.faults = new FaultInjector(tun.faults);
    this.delivery = new Delivery(this.counters, onError);
    this.repairPacker = new DataPacker(packetLimit(tun));
    this.sched = new Scheduler(
      (lane, buf) => this.process(lane, buf),
      () => Math.max(0, OUTBOUND_PER_TICK - this.transport.sendQueueCount),
    );
    this.chooser = new TransportChooser({
      self: this.self,
      tun,
      sched: this.sched,
      counters: this.counters,
      sendTo: (buf, to) => this.sendTo(buf, to),
      multicast: (buf, view) => this.transmitRegion(buf, view, false),
      lookup: (id) => this.directory.get(id),
    });
    this.sender = new Sender(this, this.chooser.routes);
    this.sched.addFeed((budget) => this.feedRepairs(budget));
    this.sched.addFeed((budget) => this.sender.feed(budget, this.transmitRegion));
    this.loopDelay = monitorEventLoopDelay({ resolution: 10 });
    this.loopDelay.enable();
    const purge = (): void => {
      if (this.closed) return;
      this.purgeHeld();
      this.sched.after(Math.max(100, tun.unknownHoldMs / 4), purge);
    };
    this.sched.after(tun.unknownHoldMs / 4, purge);
    // Diagnostics: QSM_TRACE_MS=N prints the recovery state to stderr every N ms (a stall in a
    // multi-process test shows up in the processes' output even if they are killed).
    const traceMs = Number(process.env['QSM_TRACE_MS'] ?? 0);
    if (traceMs > 0) {
      const trace = (): void => {
        if (this.closed) return;
        const st = this.stats();
        const line = { at: Math.round(performance.now()), id: this.self.id, recovery: st.recovery };
        process.stderr.write(`qsm-trace ${JSON.stringify(line)}\n`);
        this.sched.after(traceMs, trace);
      };
      this.sched.after(traceMs, trace);
    }
  }

  static async create(options: NodeOptions): Promise<QsmNode> {
    const { membership, socket, onError, ...rest } = options;
    const tun: Tunables = { ...DEFAULTS, ...stripUndefined(rest) };
    checkSizes(tun);
    const node = new QsmNode(membership, tun, onError);
    node.transport = await UdpTransport.open(
      membership.self,
      {
        iface: tun.iface,
        fanout: tun.fanout,
        socketBufferBytes: tun.socketBufferBytes,
        multicastTtl: tun.multicastTtl,
        faults: node.faults,
      },
      socket,
    );
    node.transport.onDatagram(node.classify);
    node.unsubscribe = membership.onState((s) => node.onState(s));
    if (membership.current) node.onState(membership.current);
    return node;
  }

  // ---- public API ----

  get id(): NodeId {
    return this.self.id;
  }
  get view(): MembershipState | undefined {
    return this.state;
  }
  /** True when send() would be accepted at once (window has room, nothing queued). */
  get writable(): boolean {
    return this.sender.writable;
  }

  join(group: string): void {
    this.sender.rejoined(group);
    this.membership.join(group);
  }

  /** Graceful leave: new sends to `group` are refused, the node's messages to it are flushed
   * (stable at every member, so delivered before the view without this node; bounded by
   * `leaveFlushMs`), then the membership service is asked to remove the node. */
  async leave(group: string): Promise<void> {
    await this.sender.flush(group, this.tun.leaveFlushMs);
    if (!this.closed) this.membership.leave(group);
  }

  /** Resolves once the message is accepted into the sender's window (back-pressure). */
  send(group: string, data: Uint8Array): Promise<void> {
    return this.sender.send(group, data);
  }

  /** Sends only if the window has room now; returns false otherwise. */
  trySend(group: string, data: Uint8Array): boolean {
    return this.sender.trySend(group, data);
  }

  /** A send handle for `group`: the same as send()/trySend() with that group, without the
   * lookup by name per message (a node sending to thousands of groups in turn). */
  group(group: string): GroupSendHandle {
    return this.sender.handle(group);
  }

  onMessage(h: MessageHandler): () => void {
    return this.delivery.on(h);
  }

  /** Calls `h` with the messages of `group` only (after the onMessage handlers), without a
   * lookup by group name per message. Works before the group is joined. */
  onGroupMessage(group: string, h: GroupMessageHandler): () => void {
    return this.delivery.onGroup(group, h);
  }

  onView(h: ViewHandler): () => void {
    // Copied on change, not spliced: a handler may unsubscribe (or subscribe) while called.
    this.viewHandlers = [...this.viewHandlers, h];
    return () => {
      this.viewHandlers = this.viewHandlers.filter((x) => x !== h);
    };
  }

  /** Called with each member this node reports for holding back stability longer than
   * `stabilityTimeoutMs` (its exclusion is asked of the membership service at the same time);
   * returns an unsubscribe function. */
  onStall(h: StallHandler): () => void {
    this.stallHandlers = [...this.stallHandlers, h];
    return () => {
      this.stallHandlers = this.stallHandlers.filter((x) => x !== h);
    };
  }

  /** When a datagram from `id` (its sender field) last arrived here, in performance.now() ms;
   * undefined when none did while it was in this node's views. Repairs carry their original
   * sender's id, so a peer counts as heard when its messages arrive, whoever retransmitted. */
  lastHeard(id: NodeId): number | undefined {
    return this.heardAt.get(id);
  }

  stats(): NodeStats {
    const c = this.counters;
    const cached = this.agent?.cached ?? { messages: 0, bytes: 0 };
    const t = this.sched.timers;
    return {
      id: this.self.id,
      messagesSent: c.messagesSent,
      bytesSent: c.bytesSent,
      messagesDelivered: c.messagesDelivered,
      bytesDelivered: c.bytesDelivered,
      datagramsIn: c.datagramsIn,
      datagramsOut: c.datagramsOut,
      duplicates: c.duplicates,
      repairsSent: c.repairsSent,
      repairsReceived: c.repairsReceived,
      retransmissions: c.retransmissions,
      naksSent: c.naksSent,
      naksReceived: c.naksReceived,
      tokensSent: c.tokensSent,
      tokensReceived: c.tokensReceived,
      rounds: c.rounds,
      maxContiguousSent: c.maxContiguousSent,
      maxContiguousReceived: c.maxContiguousReceived,
      tokenRttMs: {
        last: round(c.tokenRttLastMs),
        avg: round(c.tokenRttCount ? c.tokenRttSumMs / c.tokenRttCount : 0),
        max: round(c.tokenRttMaxMs),
      },
      senderHeldMessages: this.sender.heldMessages,
      senderHeldBytes: this.sender.heldBytes,
      sendQueue: this.sender.queued,
      cachedMessages: cached.messages,
      cachedBytes: cached.bytes,
      heldUnknown: this.held.length,
      heldUnknownDropped: c.heldUnknownDropped,
      viewsInstalled: c.viewsInstalled,
      orphanGaps: c.orphanGaps,
      handlerErrors: c.handlerErrors,
      stallReports: c.stallReports,
      dropped: {
        ...c.dropped,
        ...(this.sched.overflowDrops ? { 'inbound-overflow': this.sched.overflowDrops } : {}),
      },
      faultDrops: this.faults.dropped,
      timers: {
        maxLatenessMs: round(t.maxLatenessMs),
        avgLatenessMs: round(t.fired ? t.totalLatenessMs / t.fired : 0),
      },
      eventLoopDelayMs: {
        mean: round(nanToZero(this.loopDelay.mean) / 1e6),
        max: round(nanToZero(this.loopDelay.max) / 1e6),
      },
      inboundQueued: this.sched.queued(),
      recovery: {
        out: this.sender.recovery,
        ...(this.agent ? { region: this.agent.recovery } : {}),
      },
      regions: this.chooser.stats(),
      multicastUnheardFrom: this.chooser.unheard(),
    };
  }

  /** Flushes the node's own messages (as leave() does, for every group), then closes. */
  close(): Promise<void> {
    this.closing ??= this.sender.flush(undefined, this.tun.leaveFlushMs).then(() => this.shutdown());
    return this.closing;
  }

  /** Closes at once, without flushing: to the other members this looks like a crash. */
  closeNow(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.agent?.close();
    this.sender.close();
    this.chooser.close();
    this.sched.close();
    this.loopDelay.disable();
    this.transport.close();
  }

  // ---- EngineContext ----

  sendTo(buf: Uint8Array, to: NodeInfo): void {
    this.counters.datagramsOut++;
    this.transport.sendTo(buf, to.host, to.port);
  }

  lookup(id: NodeId): NodeInfo | undefined {
    return this.directory.get(id);
  }

  queueRepair(job: RepairJob): void {
    if (this.repairs.length - this.repairHead >= MAX_REPAIR_QUEUE) {
      this.counters.drop('repair-queue-full');
      return;
    }
    this.repairs.push(job);
    this.sched.wake();
  }

  isOwnRegion(region: string, viewId: number): boolean {
    const a = this.agent;
    return a !== undefined && region === a.view.region && viewId === a.view.viewId;
  }

  loopback(inc: number, msg: DataMsg): void {
    this.agent!.data.onData(this.self.id, inc, msg, false);
  }

  ownMessage(region: string, viewId: number, inc: number, seq: number): DataMsg | undefined {
    return this.sender.heldMessage(region, viewId, inc, seq);
  }

  reportStall(member: NodeId, view: RegionView, reason: string): void {
    if (this.closed) return;
    this.counters.stallReports++;
    const report: StallReport = {
      member,
      region: view.region,
      viewId: view.viewId,
      groups: view.groups,
      reason,
    };
    // Not from inside the detector's loop: a source may install the new view synchronously.
    queueMicrotask(() => {
      if (!this.closed) this.membership.exclude?.(report);
    });
    for (const h of this.stallHandlers) {
      try {
        h(report);
      } catch (e) {
        reportHandlerError(this.counters, this.onError, e, { handler: 'stall' });
      }
    }
  }

  // ---- internals ----

  private readonly transmitRegion = (
    buf: Uint8Array,
    view: RegionView,
    unicast: boolean,
    release?: (buf: Uint8Array) => void,
  ): void => {
    this.counters.datagramsOut++;
    this.transport.sendRegion(buf, view, unicast, release);
  };

  /** Outbound feed for repairs: consecutive jobs for one destination, origin and region view
   * with ascending seqs share a datagram (a NAK's answer or a push usually is such a run). */
  private feedRepairs(budget: number): number {
    let n = 0;
    const pk = this.repairPacker;
    while (n < budget && this.repairHead < this.repairs.length) {
      const first = this.repairs[this.repairHead]!;
      pk.begin(PacketType.Repair, first.origin, first.region, first.viewId, first.inc);
      let last = 0;
      while (this.repairHead < this.repairs.length) {
        const job = this.repairs[this.repairHead]!;
        const m = job.msg;
        if (
          pk.count > 0 &&
          (job.to !== first.to ||
            job.origin !== first.origin ||
            job.region !== first.region ||
            job.viewId !== first.viewId ||
            job.inc !== first.inc ||
            m.seq <= last ||
            !pk.fits(m.payload.length))
        )
          break;
        pk.add(m.seq, m.gi, m.groupSeq, m.payload, m.frag);
        last = m.seq;
        this.repairs[this.repairHead++] = undefined as unknown as RepairJob;
        this.counters.repairsSent++;
      }
      const buf = pk.finish();
      const to = first.to;
      if ('multicast' in to) this.transmitRegion(buf, to, this.chooser.routes.route(to.region).unicast);
      else this.sendTo(buf, to);
      n++;
    }
    if (this.repairHead === this.repairs.length) {
      this.repairs.length = 0;
      this.repairHead = 0;
    }
    return n;
  }

  /** Stage 1: classify by type byte only. */
  private readonly classify = (buf: Buffer): void => {
    this.counters.datagramsIn++;
    const type = buf.length > 3 ? buf[3] : 0;
    if (type === PacketType.Data) {
      // The IP loopback copy of our own multicast: delivered through loopback() already, so
      // drop it before paying for a checksum and a decode.
      if (this.isOwnSender(buf)) return;
      this.sched.enqueue(Lane.Data, buf);
      return;
    }
    this.sched.enqueue(type === PacketType.Repair ? Lane.Repair : Lane.Control, buf);
  };

  /** Whether the datagram's sender field (right after the header) is this node's id. */
  private isOwnSender(buf: Buffer): boolean {
    const id = this.selfWire;
    const end = HEADER + id.length;
    return buf.length >= end && buf.compare(id, 0, id.length, HEADER, end) === 0;
  }

  /** Stage 2: decode and dispatch. Never throws: a bad datagram is counted and dropped. */
  private process(_lane: Lane, buf: Buffer): void {
    const r = decode(buf);
    if (!r.ok) {
      this.counters.drop(r.reason);
      return;
    }
    this.heardAt.set(r.packet.sender, performance.now());
    try {
      this.dispatch(r.packet);
    } catch {
      this.counters.drop('handler-error');
    }
  }

  private dispatch(p: Packet): void {
    switch (p.type) {
      case PacketType.Data:
      case PacketType.Repair:
        this.onData(p, performance.now());
        return;
      case PacketType.Token: {
        const a = this.agent;
        if (!a || p.region !== a.view.region || p.viewId !== a.view.viewId) {
          this.counters.drop('token-other-view');
          return;
        }
        a.onToken(p);
        return;
      }
      case PacketType.Nak:
        this.onNak(p);
        return;
      case PacketType.MaxContiguous:
        this.counters.maxContiguousReceived++;
        if (p.origin === this.self.id) this.sender.onMaxContiguous(p);
        else this.counters.drop('misrouted-maxcontiguous');
        return;
      case PacketType.Probe:
        this.chooser.onProbe(p);
        return;
      case PacketType.Unheard:
        this.chooser.onUnheard(p);
        return;
    }
  }

  private onNak(p: NakPacket): void {
    this.counters.naksReceived++;
    const from = this.directory.get(p.sender);
    if (!from) {
      this.counters.drop('nak-unknown-node');
      return;
    }
    if (p.origin === this.self.id && p.flags & NAK_PARTITION_WIDE) {
      this.sender.onPartitionNak(p);
      return;
    }
    const a = this.agent;
    let served = 0;
    if (a && p.region === a.view.region && p.viewId === a.view.viewId) served = a.serveNak(p, from);
    if (served === 0 && p.origin === this.self.id) this.sender.serveNak(p, from);
  }

  private onData(p: DataPacket, at: number): void {
    // (Our own multicasts never get here: classify drops their IP loopback copy.)
    const a = this.agent;
    if (!a || p.region !== a.view.region) {
      // Perhaps a view that makes this our region is on its way.
      if (a && this.state?.regions.some((r) => r.region === p.region))
        return this.counters.drop('foreign-region');
      return this.hold(p, at);
    }
    if (p.viewId < a.view.viewId) return this.counters.drop('stale-view');
    if (p.viewId > a.view.viewId) return this.hold(p, at);
    const repair = p.type === PacketType.Repair;
    let later: DataMsg[] | undefined;
    const sender = p.sender;
    const data = a.data;
    for (const m of p.msgs) {
      const g = this.regionGroups[m.gi];
      if (!g) this.counters.drop('unknown-group');
      else if (isMember(g, sender) || (repair && a.hasOrphan(sender, p.inc)))
        data.onData(sender, p.inc, m, repair);
      else (later ??= []).push(m);
    }
    // A sender not (yet) in the group: perhaps its join is being installed.
    if (later) this.hold({ ...p, msgs: later }, at);
  }

  /** Forgets nodes gone from the directory; a datagram that came just before the view naming
   * its sender (held meanwhile, see hold) keeps its record for as long as it could be held. */
  private pruneHeard(): void {
    const before = performance.now() - this.tun.unknownHoldMs;
    for (const [id, at] of this.heardAt) if (at < before && !this.directory.has(id)) this.heardAt.delete(id);
  }

  private hold(p: DataPacket, at: number): void {
    if (this.held.length >= this.tun.unknownHoldPackets) {
      this.counters.heldUnknownDropped++;
      this.counters.drop('unknown-hold-full');
      return;
    }
    this.held.push({ packet: p, at });
  }

  private purgeHeld(): void {
    const now = performance.now();
    const keep: Held[] = [];
    for (const h of this.held) {
      if (now - h.at < this.tun.unknownHoldMs) keep.push(h);
      else {
        this.counters.heldUnknownDropped++;
        this.counters.drop('unknown-source');
      }
    }
    this.held = keep;
  }

  private onState(state: MembershipState): void {
    if (this.closed) return;
    if (this.state && state.epoch < this.state.epoch) return;
    this.state = state;
    // Groups whose views share one member list (the GMS client's ViewInterner makes equal
    // lists one object) share one set and RegionGroup: with 10 000 groups of one region, a
    // set per group was about a quarter of a node's heap per group.
    const sets = new Map<readonly NodeId[], RegionGroup>();
    const groupMembers = new Map<string, RegionGroup>();
    for (const g of state.groups) {
      let rg = sets.get(g.members);
      if (!rg) sets.set(g.members, (rg = { members: new Set(g.members), member: '' }));
      groupMembers.set(g.group, rg);
    }
    this.directory = new Map();
    for (const r of state.regions) for (const m of r.members) this.directory.set(m.id, m);
    this.directory.set(this.self.id, this.self);
    this.pruneHeard();

    const mine = state.regions.find(
      (r) => r.members.some((m) => m.id === this.self.id) && r.groups.length > 0,
    );
    // The members of my region's groups are the senders my region agent tracks.
    this.liveSenders = new Set();
    this.regionGroups = [];
    const none: RegionGroup = { members: new Set(), member: '' };
    const counted = new Set<RegionGroup>();
    for (const g of mine?.groups ?? []) {
      const rg = groupMembers.get(g) ?? none;
      this.regionGroups.push(rg);
      if (counted.has(rg)) continue;
      counted.add(rg);
      for (const id of rg.members) this.liveSenders.add(id);
    }
    this.transport.regionsChanged(state.regions);
    this.chooser.onState(state, mine, this.liveSenders);
    const old = this.agent;
    if (!old || !mine || old.view.region !== mine.region || old.view.viewId !== mine.viewId) {
      old?.close();
      // Streams of senders gone without flushing carry over to the region's next view, where
      // the survivors complete them from each other's caches.
      const orphans =
        old && mine && old.view.region === mine.region
          ? old.takeOrphans((id) => this.liveSenders.has(id))
          : [];
      this.agent = mine
        ? new RegionAgent(this, mine, this.delivery, (id) => this.liveSenders.has(id), orphans)
        : undefined;
      if (
        old &&
        (!mine ||
          old.view.multicast.address !== mine.multicast.address ||
          old.view.multicast.port !== mine.multicast.port)
      ) {
        this.transport.unlisten(old.view.multicast);
      }
      if (mine) void this.transport.listen(mine.multicast).catch(() => this.counters.drop('listen-failed'));
      this.counters.viewsInstalled++;
    }
    // Senders that left all my groups: their streams are completed among the survivors if
    // needed (orphans), else forgotten (a failed member's state must not pin memory).
    const agent = this.agent;
    if (agent) for (const id of [...agent.streams.keys()]) if (!this.liveSenders.has(id)) agent.orphan(id);
    // Delivery positions are kept for absent senders: a transient view (e.g. members
    // re-registering with a restarted GMS) must not make re-sent messages deliverable again.
    // Ids are unique per incarnation, so the cost is one small entry per departed sender/group.
    this.sender.onState(state);
    // Packets held for a view that may now be installed.
    const held = this.held;
    this.held = [];
    for (const h of held) this.onData(h.packet, h.at);
    for (const h of this.viewHandlers) {
      try {
        h(state);
      } catch (e) {
        reportHandlerError(this.counters, this.onError, e, { handler: 'view' });
      }
    }
    this.sched.wake();
  }
}

function isMember(g: RegionGroup, sender: NodeId): boolean {
  if (g.member === sender) return true;
  if (!g.members.has(sender)) return false;
  g.member = sender;
  return true;
}

/** Sizes a node cannot work with are refused with what to change. */
function checkSizes(tun: Tunables): void {
  if (!Number.isInteger(tun.mtu) || tun.mtu < 576)
    throw new RangeError(
      `mtu ${tun.mtu} is too small: IPv4 links carry at least 576 bytes; give the interface's MTU`,
    );
  if (tun.packetBytes !== 0 && tun.packetBytes < 576 - IP_UDP_HEADERS)
    throw new RangeError(
      `packetBytes ${tun.packetBytes} is too small: at least ${576 - IP_UDP_HEADERS}, or 0 for automatic`,
    );
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function nanToZero(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
