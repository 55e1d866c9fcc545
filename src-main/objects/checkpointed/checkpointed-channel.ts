// liveobjects.checkpointed: replicated state = checkpoint + updates over a GroupChannel
// (reliable, FIFO per sender, no cross-sender order). A joiner gets a checkpoint at a
// consistent cut — a version vector saying exactly which updates it covers — then applies
// exactly the updates it does not cover. Protocol and gap handling: docs/checkpointed.md.

import type { GroupChannel, MemberId } from '../channel/group-channel';
import { MalformedMessage } from './codec';
import type { Message } from './messages';
import { decodeCheckpoint, decodeMessage, encodeCheckpoint, encodeMessage } from './messages';
import { Reassembly, splitChunks } from './reassembly';
import type { Timers } from './timers';
import { realTimers, TimerSlot } from './timers';
import { streamKey, VersionVector } from './version-vector';

/** The replicated object on top of the channel (a desktop, a note…). */
export interface CheckpointedClient {
  /** An update to apply (own updates included, once, when delivered back). */
  receive(sender: MemberId, update: Uint8Array): void;
  /** Late-joiner state; called at most once, before any receive(). */
  initialize(checkpoint: Uint8Array): void;
  /** Current state, on request of a joiner; must reflect exactly the updates received so far. */
  checkpoint(): Uint8Array;
}

export type CheckpointedState = 'joining' | 'ready' | 'closed';

export interface CheckpointedChannelOptions {
  /** Checkpoint chunk size in bytes (default 32 KiB). */
  chunkSize?: number;
  /** A transfer without progress for this long moves on to the next provider (default 2000 ms). */
  transferTimeoutMs?: number;
  /**
   * How long a provider waits to cover the joiner's needed vector before answering anyway
   * (default 1000 ms); the joiner detects what is still missing. Departures the joiner cannot
   * check are waited for longer: see docs/checkpointed.md, *Departures*.
   */
  providerWaitMs?: number;
  /** Delay before re-requesting after a checkpoint with a gap (default 50 ms). */
  gapRetryDelayMs?: number;
  /** Re-requests after gaps before accepting the provider's state as is (default 10). */
  maxGapRetries?: number;
  /** Delay before retrying when every known provider failed (default 100 ms). */
  retryDelayMs?: number;
  /** This incarnation's stream epoch (default random); tests pin it. */
  epoch?: number;
  timers?: Timers;
  /** Errors thrown by the client or by sends; they are counted and never crash the channel. */
  onError?: (error: unknown) => void;
}

export interface CheckpointedChannelStats {
  updatesSent: number;
  updatesApplied: number;
  /** Updates already covered (by the checkpoint or an earlier delivery), dropped. */
  duplicatesDropped: number;
  /** Updates applied after a hole in their stream that could not be filled. */
  updatesAfterHole: number;
  maxBuffered: number;
  malformed: number;
  checkpointsServed: number;
  /** Requests a provider held until it covered the joiner's needed vector. */
  checkpointWaits: number;
  /** Checkpoints served without covering the joiner's needed vector (after providerWaitMs). */
  checkpointWaitTimeouts: number;
  /** Checkpoints served before the provider saw every departed member leave (a view that never came). */
  departureWaitTimeouts: number;
  checkpointsReceived: number;
  chunksSent: number;
  chunksReceived: number;
  staleChunks: number;
  transferTimeouts: number;
  providersLost: number;
  notReadyReceived: number;
  gapsDetected: number;
  gapsAccepted: number;
  probes: number;
  clientErrors: number;
  sendErrors: number;
}

interface Buffered {
  readonly sender: MemberId;
  readonly epoch: number;
  readonly seq: number;
  readonly payload: Uint8Array;
}

interface Outgoing {
  readonly payload: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Peer {
  readonly epoch: number;
  readonly ready: boolean;
}

interface PendingRequest {
  readonly requester: MemberId;
  readonly transferId: number;
  readonly needed: VersionVector;
  readonly departed: readonly MemberId[];
  readonly timer: TimerSlot;
  /** providerWaitMs has passed: `needed` no longer holds the request (the joiner checks it). */
  coverWaitOver: boolean;
}

const DEFAULTS = {
  chunkSize: 32 * 1024,
  transferTimeoutMs: 2000,
  providerWaitMs: 1000,
  gapRetryDelayMs: 50,
  maxGapRetries: 10,
  retryDelayMs: 100,
};

const MAX_PROBES = 3;

function newStats(): CheckpointedChannelStats {
  return {
    updatesSent: 0,
    updatesApplied: 0,
    duplicatesDropped: 0,
    updatesAfterHole: 0,
    maxBuffered: 0,
    malformed: 0,
    checkpointsServed: 0,
    checkpointWaits: 0,
    checkpointWaitTimeouts: 0,
    departureWaitTimeouts: 0,
    checkpointsReceived: 0,
    chunksSent: 0,
    chunksReceived: 0,
    staleChunks: 0,
    transferTimeouts: 0,
    providersLost: 0,
    notReadyReceived: 0,
    gapsDetected: 0,
    gapsAccepted: 0,
    probes: 0,
    clientErrors: 0,
    sendErrors: 0,
  };
}

export class CheckpointedChannel {
  readonly self: MemberId;
  /** Resolves once initialized (from a checkpoint, or at once as the first member); rejects on close. */
  readonly ready: Promise<void>;
  readonly stats = newStats();
  readonly epoch: number;

  private currentState: CheckpointedState = 'joining';
  private resolveReady!: () => void;
  private rejectReady!: (error: Error) => void;
  private readonly config: typeof DEFAULTS;
  private readonly timers: Timers;
  private readonly unsubscribe: (() => void)[] = [];

  /** Highest applied seq per stream; meaningful once ready. */
  private applied = new VersionVector();
  private lastSeq = 0;
  /** Updates sent before our first view: held, else they would reach nobody but us. */
  private outbox: Outgoing[] | undefined = [];
  private view: readonly MemberId[] = [];
  private readonly peers = new Map<MemberId, Peer>();

  // Joiner state.
  /** Others in the first view containing self: we must hear from each (or see it leave). */
  private joinView: Set<MemberId> | undefined;
  private readonly heard = new Set<MemberId>();
  /** Join-view members that left before we heard from them. */
  private readonly departedUnheard = new Set<MemberId>();
  /** Per stream, the seq the checkpoint must cover: set by the first message heard from it. */
  private readonly needed = new VersionVector();
  private buffer: Buffered[] = [];
  private transfer: Reassembly | undefined;
  private transferCounter = 0;
  private readonly skip = new Set<MemberId>();
  private gapRetries = 0;
  private probesSent = 0;
  private readonly transferTimer: TimerSlot;
  private readonly retryTimer: TimerSlot;
  private readonly gapTimer: TimerSlot;
  /** Armed while founding must wait: a member we knew ready left (see holdFounding). */
  private readonly foundingHold: TimerSlot;

  // Provider state.
  private readonly pending = new Map<string, PendingRequest>();
  /** Views installed so far: numbers the views for the two maps below. */
  private viewCount = 0;
  /** Per member of our view, the view that added it. */
  private readonly addedIn = new Map<MemberId, number>();
  /**
   * Per member that left our view (and may be back under the same id), the view that removed
   * it. One entry per id ever seen leaving: ids are node ids, a bounded set.
   */
  private readonly removedIn = new Map<MemberId, number>();

  constructor(
    private readonly channel: GroupChannel,
    private readonly client: CheckpointedClient,
    private readonly options: CheckpointedChannelOptions = {},
  ) {
    this.self = channel.self;
    this.config = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      const value = options[key];
      if (value !== undefined) this.config[key] = value;
    }
    if (!(this.config.chunkSize >= 1)) throw new RangeError('chunkSize must be >= 1');
    this.timers = options.timers ?? realTimers;
    this.epoch = options.epoch ?? Math.floor(Math.random() * 0x1_0000_0000);
    this.transferTimer = new TimerSlot(this.timers);
    this.retryTimer = new TimerSlot(this.timers);
    this.gapTimer = new TimerSlot(this.timers);
    this.foundingHold = new TimerSlot(this.timers);
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Callers that never await `ready` must not see an unhandled rejection on close.
    this.ready.catch(() => undefined);
    this.unsubscribe.push(
      channel.onMessage((sender, data) => this.onMessage(sender, data)),
      channel.onView((members) => this.onView(members)),
    );
    if (channel.members.includes(this.self)) this.onView(channel.members);
  }

  get state(): CheckpointedState {
    return this.currentState;
  }

  get members(): readonly MemberId[] {
    return this.view;
  }

  /** The updates the local state covers (a copy; meaningful once ready). */
  covered(): VersionVector {
    return this.applied.clone();
  }

  /**
   * Multicasts an update. It is applied everywhere, here included, when delivered — also
   * when sent while joining (it is then applied after initialization).
   */
  send(update: Uint8Array): Promise<void> {
    if (this.currentState === 'closed') return Promise.reject(new Error('checkpointed channel is closed'));
    const outbox = this.outbox;
    if (outbox) {
      return new Promise((resolve, reject) => outbox.push({ payload: update.slice(), resolve, reject }));
    }
    return this.sendUpdate(update);
  }

  private sendUpdate(update: Uint8Array): Promise<void> {
    this.stats.updatesSent++;
    const seq = ++this.lastSeq;
    // Seqs are assigned and handed to the channel synchronously, so FIFO order = seq order.
    return this.channel.send(encodeMessage({ kind: 'update', epoch: this.epoch, seq, payload: update }));
  }

  async close(): Promise<void> {
    if (this.currentState === 'closed') return;
    const wasJoining = this.currentState === 'joining';
    this.currentState = 'closed';
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    for (const slot of [this.transferTimer, this.retryTimer, this.gapTimer, this.foundingHold]) slot.cancel();
    for (const request of this.pending.values()) request.timer.cancel();
    this.pending.clear();
    this.buffer = [];
    const closedError = new Error('checkpointed channel is closed');
    for (const item of this.outbox ?? []) item.reject(closedError);
    this.outbox = undefined;
    if (wasJoining) this.rejectReady(new Error('checkpointed channel closed before it was ready'));
    await this.channel.close();
  }

  // ---- dispatch ----

  private onMessage(sender: MemberId, data: Uint8Array): void {
    if (this.currentState === 'closed') return;
    let message: Message;
    try {
      message = decodeMessage(data);
    } catch (error) {
      if (!(error instanceof MalformedMessage)) this.report(error);
      this.stats.malformed++;
      return;
    }
    switch (message.kind) {
      case 'update':
        return this.onUpdate(sender, message.epoch, message.seq, message.payload);
      case 'status':
        return this.onStatus(sender, message);
      case 'request':
        if (message.target === this.self) this.onRequest(sender, message);
        return;
      case 'not-ready':
        if (message.target === this.self) this.onNotReady(sender, message.transferId);
        return;
      case 'chunk':
        if (message.target === this.self) this.onChunk(sender, message);
        return;
    }
  }

  private onView(members: readonly MemberId[]): void {
    if (this.currentState === 'closed' || !members.includes(this.self)) return;
    const previous = new Set(this.view);
    const current = new Set(members);
    this.view = members;
    const added = members.filter((m) => !previous.has(m));
    const removed = [...previous].filter((m) => !current.has(m));
    this.viewCount++;
    for (const member of added) this.addedIn.set(member, this.viewCount);
    for (const member of removed) {
      this.addedIn.delete(member);
      this.removedIn.set(member, this.viewCount);
    }
    if (this.joinView === undefined) this.joinView = new Set(members.filter((m) => m !== this.self));
    for (const member of removed) this.onMemberLeft(member);
    // Everything we send after this status reaches the new members: it bounds, for them,
    // which of our updates a checkpoint must cover (see Message 'status').
    if (added.length > 0) this.sendStatus(false);
    if (this.pending.size > 0) this.servePendingReady();
    const outbox = this.outbox;
    this.outbox = undefined;
    for (const item of outbox ?? []) this.sendUpdate(item.payload).then(item.resolve, item.reject);
    this.proceed();
  }

  private onMemberLeft(member: MemberId): void {
    if (this.currentState === 'joining' && this.joinView?.has(member) && !this.heard.has(member)) {
      this.departedUnheard.add(member);
    }
    if (this.currentState === 'joining' && this.peers.get(member)?.ready === true) this.holdFounding();
    this.peers.delete(member);
    this.skip.delete(member);
    for (const [key, request] of this.pending) {
      if (request.requester !== member) continue;
      request.timer.cancel();
      this.pending.delete(key);
    }
    if (this.transfer?.provider === member) {
      // Provider died mid-transfer: restart from scratch with the next one.
      this.stats.providersLost++;
      this.abandonTransfer();
    }
  }

  private onStatus(sender: MemberId, message: Extract<Message, { kind: 'status' }>): void {
    // Our own stream needs no cut: every update of ours reaches us.
    if (sender === this.self) return;
    this.peers.set(sender, { epoch: message.epoch, ready: message.ready });
    if (message.probe) this.sendStatus(false);
    if (this.currentState !== 'joining') return;
    this.noteContact(sender, message.epoch, message.lastSeq);
    this.proceed();
  }

  private onUpdate(sender: MemberId, epoch: number, seq: number, payload: Uint8Array): void {
    if (this.currentState === 'ready') {
      this.deliver({ sender, epoch, seq, payload });
      return;
    }
    this.noteContact(sender, epoch, seq - 1);
    this.buffer.push({ sender, epoch, seq, payload: payload.slice() });
    this.stats.maxBuffered = Math.max(this.stats.maxBuffered, this.buffer.length);
    this.proceed();
  }

  /** Records the first message heard on a stream: every later one of it will reach us. */
  private noteContact(sender: MemberId, epoch: number, coveredBefore: number): void {
    this.heard.add(sender);
    if (!this.needed.has(sender, epoch)) this.needed.set(sender, epoch, coveredBefore);
  }

  private deliver(update: Buffered): void {
    const have = this.applied.get(update.sender, update.epoch);
    if (update.seq <= have) {
      this.stats.duplicatesDropped++;
      return;
    }
    // A FIFO channel never fills a hole later; only an accepted gap or a lossy crash gets here.
    if (update.seq > have + 1) this.stats.updatesAfterHole++;
    this.applied.set(update.sender, update.epoch, update.seq);
    this.stats.updatesApplied++;
    try {
      this.client.receive(update.sender, update.payload);
    } catch (error) {
      this.stats.clientErrors++;
      this.report(error);
    }
    if (this.pending.size > 0) this.servePendingReady();
  }

  // ---- joiner ----

  /** Moves the join forward if it can: found the group, or request a checkpoint. */
  private proceed(): void {
    if (this.currentState !== 'joining' || this.joinView === undefined) return;
    if (this.transfer || this.gapTimer.isArmed) return;
    const inView = new Set(this.view);
    const silent = [...this.joinView].filter((m) => inView.has(m) && !this.heard.has(m));
    // A protocol member answers a probe; one silent through several is not one of ours and
    // has sent us nothing, so it constrains nothing.
    if (silent.length > 0 && this.probesSent < MAX_PROBES) return this.waitThenProbe();
    const probed = this.probesSent >= MAX_PROBES;
    const others = this.view.filter((m) => m !== this.self && (!probed || this.peers.has(m)));
    if (others.length === 0) return this.becomeReady();
    const readyPeers = others.filter((m) => this.peers.get(m)?.ready === true);
    const candidate = readyPeers.find((m) => !this.skip.has(m));
    if (candidate !== undefined) return this.requestFrom(candidate);
    if (readyPeers.length > 0) {
      // Every ready peer failed us once: start over after a pause.
      this.skip.clear();
      this.retryTimer.arm(this.config.retryDelayMs, () => this.proceed());
      return;
    }
    // Nobody is known ready. If everyone else told us it is joining too, the lowest id
    // founds the state (empty); the others then get a checkpoint from it.
    const allJoining = others.every((m) => this.peers.get(m)?.ready === false);
    if (allJoining && others.every((m) => m > this.self)) {
      // The hold's end calls proceed() again.
      if (!this.foundingHold.isArmed) this.becomeReady();
      return;
    }
    this.waitThenProbe();
  }

  /**
   * A member we knew ready left while we are joining. A member it served just before is ready
   * now, but that member's ready status may still be on its way (no order across senders)
   * while everyone else we know of says joining: founding now would start a second, divergent
   * state. Ask everyone for their status and give the answers a transfer timeout to arrive.
   */
  private holdFounding(): void {
    this.stats.probes++;
    this.sendStatus(true);
    this.foundingHold.arm(this.config.transferTimeoutMs, () => this.proceed());
  }

  /** While waiting to hear from peers, periodically ask them all for their status. */
  private waitThenProbe(): void {
    if (this.retryTimer.isArmed) return;
    this.retryTimer.arm(this.config.transferTimeoutMs, () => {
      this.stats.probes++;
      this.probesSent++;
      this.sendStatus(true);
      this.proceed();
    });
  }

  private requestFrom(provider: MemberId): void {
    this.retryTimer.cancel();
    const transferId = (this.epoch + ++this.transferCounter) % 0x1_0000_0000;
    this.transfer = new Reassembly(transferId, provider);
    this.sendInternal({
      kind: 'request',
      target: provider,
      transferId,
      needed: this.needed.clone(),
      departed: [...this.departedUnheard],
    });
    this.armTransferTimer();
  }

  private armTransferTimer(): void {
    this.transferTimer.arm(this.config.transferTimeoutMs, () => {
      this.stats.transferTimeouts++;
      if (this.transfer) this.skip.add(this.transfer.provider);
      this.abandonTransfer();
    });
  }

  private abandonTransfer(): void {
    this.transfer = undefined;
    this.transferTimer.cancel();
    this.proceed();
  }

  private onNotReady(sender: MemberId, transferId: number): void {
    if (this.transfer?.transferId !== transferId || this.transfer.provider !== sender) return;
    this.stats.notReadyReceived++;
    const peer = this.peers.get(sender);
    this.peers.set(sender, { epoch: peer?.epoch ?? 0, ready: false });
    this.abandonTransfer();
  }

  private onChunk(sender: MemberId, chunk: Extract<Message, { kind: 'chunk' }>): void {
    const transfer = this.transfer;
    if (
      this.currentState !== 'joining' ||
      transfer?.transferId !== chunk.transferId ||
      transfer.provider !== sender
    ) {
      this.stats.staleChunks++;
      return;
    }
    const outcome = transfer.add(chunk.index, chunk.count, chunk.payload);
    if (outcome === 'stale') {
      this.stats.staleChunks++;
      return;
    }
    this.stats.chunksReceived++;
    if (outcome === 'stored') return this.armTransferTimer();
    this.transfer = undefined;
    this.transferTimer.cancel();
    let checkpoint: { covered: VersionVector; state: Uint8Array };
    try {
      checkpoint = decodeCheckpoint(transfer.assemble());
    } catch (error) {
      if (!(error instanceof MalformedMessage)) this.report(error);
      this.stats.malformed++;
      this.skip.add(sender);
      return this.proceed();
    }
    this.stats.checkpointsReceived++;
    this.install(checkpoint.covered, checkpoint.state);
  }

  /** Streams whose first update we hold (or must hold) lies beyond what `covered` covers. */
  private gaps(covered: VersionVector): string[] {
    const holes = new Set<string>();
    for (const { member, epoch, seq } of this.needed) {
      if (covered.get(member, epoch) < seq) holes.add(streamKey(member, epoch));
    }
    // Belt and braces: the first buffered update of every stream must follow the cut.
    const seen = new Set<string>();
    for (const { sender, epoch, seq } of this.buffer) {
      const key = streamKey(sender, epoch);
      if (seen.has(key)) continue;
      seen.add(key);
      if (seq > covered.get(sender, epoch) + 1) holes.add(key);
    }
    return [...holes];
  }

  private install(covered: VersionVector, state: Uint8Array): void {
    if (this.gaps(covered).length > 0) {
      this.stats.gapsDetected++;
      if (this.gapRetries < this.config.maxGapRetries) {
        // The missing updates are in flight to the provider: ask again a little later.
        this.gapRetries++;
        this.gapTimer.arm(this.config.gapRetryDelayMs, () => this.proceed());
        return;
      }
      // The provider lacks them too (lost with a crashed sender): converge on its state.
      this.stats.gapsAccepted++;
    }
    try {
      this.client.initialize(state);
    } catch (error) {
      this.stats.clientErrors++;
      this.report(error);
    }
    this.applied = covered.clone();
    this.becomeReady();
  }

  private becomeReady(): void {
    if (this.currentState !== 'joining') return;
    this.currentState = 'ready';
    for (const slot of [this.transferTimer, this.retryTimer, this.gapTimer, this.foundingHold]) slot.cancel();
    this.transfer = undefined;
    const buffered = this.buffer;
    this.buffer = [];
    for (const update of buffered) this.deliver(update);
    this.sendStatus(false);
    this.resolveReady();
  }

  // ---- provider ----

  private onRequest(requester: MemberId, request: Extract<Message, { kind: 'request' }>): void {
    const { transferId, needed, departed } = request;
    if (this.currentState !== 'ready') {
      this.sendInternal({ kind: 'not-ready', target: requester, transferId });
      return;
    }
    const key = `${transferId}/${requester}`;
    if (this.pending.has(key)) return;
    const pending: PendingRequest = {
      requester,
      transferId,
      needed,
      departed,
      timer: new TimerSlot(this.timers),
      coverWaitOver: false,
    };
    if (this.mayServe(pending)) return this.serve(requester, transferId);
    // Updates the joiner will never receive are still in flight to us (a sender's last ones
    // before it saw the joiner, or a departed member's): wait for them so the cut covers them.
    this.stats.checkpointWaits++;
    this.pending.set(key, pending);
    pending.timer.arm(this.config.providerWaitMs, () => {
      pending.coverWaitOver = true;
      if (this.departuresSeen(pending)) return this.servePending(key, pending);
      // The joiner cannot tell what a member it never heard from sent, so a cut taken before
      // we install its departure would silently miss its last updates: wait for that view
      // longer, yet answer before the joiner's transfer timeout gives up on us.
      const departureWaitMs = Math.max(this.config.providerWaitMs, this.config.transferTimeoutMs / 2);
      pending.timer.arm(departureWaitMs - this.config.providerWaitMs, () => {
        this.stats.departureWaitTimeouts++;
        this.servePending(key, pending);
      });
    });
  }

  /**
   * Whether we may take the cut now: every departed member's leave is installed (its messages
   * are all here) and our state covers `needed` — or we stopped waiting for the latter, which
   * the joiner checks itself (a gap makes it ask again).
   */
  private mayServe(request: PendingRequest): boolean {
    return this.departuresSeen(request) && (request.coverWaitOver || this.applied.covers(request.needed));
  }

  /**
   * Whether every member that left the joiner's view before it heard from it has left ours too,
   * after the joiner came in: a graceful leaver's messages are all delivered before the view
   * without it. "After the joiner came in" keeps a lagging view that never had the leaver, or
   * an earlier departure of a member that rejoined under the same id, from counting.
   */
  private departuresSeen(request: PendingRequest): boolean {
    if (request.departed.length === 0) return true;
    const requesterAdded = this.addedIn.get(request.requester);
    if (requesterAdded === undefined) return false;
    return request.departed.every(
      (m) => !this.view.includes(m) || (this.removedIn.get(m) ?? -1) >= requesterAdded,
    );
  }

  private servePendingReady(): void {
    for (const [key, request] of this.pending) if (this.mayServe(request)) this.servePending(key, request);
  }

  private servePending(key: string, request: PendingRequest): void {
    request.timer.cancel();
    this.pending.delete(key);
    if (!this.applied.covers(request.needed)) this.stats.checkpointWaitTimeouts++;
    this.serve(request.requester, request.transferId);
  }

  private serve(requester: MemberId, transferId: number): void {
    let state: Uint8Array;
    try {
      state = this.client.checkpoint();
    } catch (error) {
      this.stats.clientErrors++;
      this.report(error);
      this.sendInternal({ kind: 'not-ready', target: requester, transferId });
      return;
    }
    // Taken in the same tick as client.checkpoint(): the vector describes exactly that state.
    const body = encodeCheckpoint(this.applied, state);
    const chunks = splitChunks(body, this.config.chunkSize);
    this.stats.checkpointsServed++;
    chunks.forEach((payload, index) => {
      this.stats.chunksSent++;
      this.sendInternal({
        kind: 'chunk',
        target: requester,
        transferId,
        index,
        count: chunks.length,
        payload,
      });
    });
  }

  // ---- plumbing ----

  private sendStatus(probe: boolean): void {
    this.sendInternal({
      kind: 'status',
      epoch: this.epoch,
      lastSeq: this.lastSeq,
      ready: this.currentState === 'ready',
      probe,
    });
  }

  private sendInternal(message: Message): void {
    this.channel.send(encodeMessage(message)).catch((error: unknown) => {
      if (this.currentState === 'closed') return;
      this.stats.sendErrors++;
      this.report(error);
    });
  }

  private report(error: unknown): void {
    this.options.onError?.(error);
  }
}
