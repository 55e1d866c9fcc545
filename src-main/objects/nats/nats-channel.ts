// A GroupChannel (objects/channel/group-channel.ts) over NATS JetStream: the group's messages
// are stored in a stream of its own (its history), so every member, a late one included, reads
// the same sequence of messages from the start of what the stream retains.
//
// - Reliable, FIFO per sender: a member publishes one message at a time and retries it until
//   the stream acknowledges it (PubAck), across disconnections and server restarts; messages
//   sent meanwhile wait in order in memory.
// - Exactly once: every message carries its sender's id and sequence number; the stream drops
//   a retried publish it already holds (`Nats-Msg-Id`, within its duplicate window) and
//   receivers drop any (sender, seq) they delivered already (beyond that window). Reading is an
//   ordered consumer, which resumes after the last stream sequence it delivered when the
//   connection or the server comes back, so nothing is skipped or read twice.
// - A member's own messages come back to it through the stream, once, as every other's.
// - Views: each member publishes a heartbeat on the group's presence subject; its view is itself
//   plus the members heard within the presence timeout. The first view is installed only once
//   the member has read the stream's history and listened to the others' answers to its hello,
//   so the checkpointed channel above sees the history before deciding it is alone.
import { randomBytes } from 'node:crypto';
import { headers } from '@nats-io/nats-core';
import type { Subscription } from '@nats-io/nats-core';
import {
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  StorageType,
} from '@nats-io/jetstream';
import type { ConsumerMessages, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { MemberId, NamedGroupChannel } from '../channel/group-channel';
import type { GroupNames } from './subjects';
import { groupNames } from './subjects';
import type { NatsConnectionLease } from './service';
import { errorText } from '../../../src-shared/util/error-text';

/** How long and how much a group's stream keeps (its history). */
export interface NatsHistoryLimits {
  /** Messages older than this are dropped (default 30 days). */
  readonly maxAgeMs: number;
  /** The stream keeps at most this many bytes, dropping the oldest (default 256 MiB). */
  readonly maxBytes: number;
  /** Copies of the stream in a JetStream cluster (default 1; 3 on a 3-server cluster). */
  readonly replicas: number;
}

export const DEFAULT_HISTORY: NatsHistoryLimits = {
  maxAgeMs: 30 * 24 * 3600 * 1000,
  maxBytes: 256 * 1024 * 1024,
  replicas: 1,
};

export interface NatsChannelOptions {
  /** Limits of the group's stream when this member creates it (an existing stream keeps its own). */
  readonly history?: Partial<NatsHistoryLimits>;
  /** Interval of presence heartbeats (default 1000 ms). */
  readonly heartbeatMs?: number;
  /** A member not heard for this long leaves the view (default 4000 ms: three missed heartbeats). */
  readonly presenceTimeoutMs?: number;
  /** How long a joiner listens for answers to its hello before its first view (default 300 ms). */
  readonly settleMs?: number;
  /** How long one publish waits for the stream's acknowledgement before retrying (default 5000 ms). */
  readonly publishTimeoutMs?: number;
  /** Told about publish failures that will be retried (default: ignored). */
  readonly onError?: (error: unknown) => void;
}

/** How long the stream recognizes a retried publish by its message id. */
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
/** Pause before retrying a publish that failed at once (no responders, closed). */
const RETRY_DELAY_MS = 250;
/** How long one pull of the reader lasts (its idle heartbeats come at half that). */
const PULL_EXPIRES_MS = 4000;
/** Messages after the history held while nobody listens; beyond this the oldest are dropped. */
const MAX_HELD_LIVE = 4096;
/** While reading the history, how often to check whether its end expired meanwhile. */
const HISTORY_CHECK_MS = 1000;
/** Pause before trying again to start reading. */
const RETRY_READ_MS = 1000;
/** How long close() waits for queued messages to reach the stream. */
const CLOSE_FLUSH_MS = 3000;
const SENDER = 'Lo-Sender';
const SEQ = 'Lo-Seq';
const FRAGMENT = 'Lo-Fragment';
/** The servers' default max_payload, when the server did not say. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** Room in a frame for the subject and headers. */
const FRAME_HEADROOM = 8 * 1024;
/** Largest message a channel carries (in fragments); a sender going beyond is refused. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

interface Presence {
  readonly id: MemberId;
  /** Asks every member to answer at once (a joiner's hello). */
  readonly hello?: boolean;
  /** The member is leaving. */
  readonly bye?: boolean;
}

interface Queued {
  readonly seq: number;
  readonly data: Uint8Array;
  /** `index/count` when the message travels in fragments. */
  readonly fragment?: string;
}

type MessageListener = (sender: MemberId, data: Uint8Array) => void;
type ViewListener = (members: readonly MemberId[]) => void;

function streamMissing(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
}

/** Creates the group's stream with `limits` unless it exists. */
export async function ensureStream(
  jsm: JetStreamManager,
  names: GroupNames,
  limits: NatsHistoryLimits,
): Promise<void> {
  try {
    await jsm.streams.info(names.stream);
    return;
  } catch (error) {
    if (!streamMissing(error)) throw error;
  }
  try {
    await jsm.streams.add({
      name: names.stream,
      subjects: [names.subject],
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: limits.maxAgeMs * 1_000_000,
      max_bytes: limits.maxBytes,
      num_replicas: limits.replicas,
      // The server refuses a window longer than the history.
      duplicate_window: Math.min(DUPLICATE_WINDOW_MS, limits.maxAgeMs) * 1_000_000,
    });
  } catch (error) {
    // Another member created it at the same moment: use theirs.
    await jsm.streams.info(names.stream).catch(() => {
      throw error;
    });
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class NatsGroupChannel implements NamedGroupChannel {
  readonly self: MemberId;
  readonly names: GroupNames;
  private view: readonly MemberId[] = [];
  private readonly heard = new Map<MemberId, number>();
  private readonly delivered = new Map<MemberId, number>();
  private readonly partial = new Map<
    MemberId,
    { next: number; count: number; parts: Uint8Array[]; bytes: number }
  >();
  private readonly messageListeners = new Set<MessageListener>();
  private readonly viewListeners = new Set<ViewListener>();
  private held: { sender: MemberId; data: Uint8Array }[] | undefined = [];
  /** How many of the held messages are the history read before the first view. */
  private heldHistory = 0;
  private readonly queue: Queued[] = [];
  private lastSeq = 0;
  private pumping: Promise<void> | undefined;
  private closed = false;
  private joined = false;
  private caughtUp = false;
  private caughtUpResolve!: () => void;
  private readonly caughtUpPromise = new Promise<void>((resolve) => (this.caughtUpResolve = resolve));
  private presenceSub: Subscription | undefined;
  private messages: ConsumerMessages | undefined;
  /** Readers started so far; only the latest one delivers. */
  private readers = 0;
  /** The stream sequence of the last message read. */
  private streamSeq = 0;
  /** The stream's last sequence when this member joined: the end of the history it reads first. */
  private historyEnd = 0;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly unsubscribeState: () => void;
  private readonly heartbeatMs: number;
  private readonly presenceTimeoutMs: number;

  /** Joins `group` over `lease`: creates its stream if needed, reads its history, installs a view. */
  static async open(
    lease: NatsConnectionLease,
    group: string,
    options: NatsChannelOptions = {},
  ): Promise<NatsGroupChannel> {
    const channel = new NatsGroupChannel(lease, group, options);
    try {
      await channel.start({ ...DEFAULT_HISTORY, ...options.history }, options.settleMs ?? 300);
    } catch (error) {
      await channel.close();
      throw new Error(`cannot open the NATS channel of group ${group}: ${errorText(error)}`, {
        cause: error,
      });
    }
    return channel;
  }

  private constructor(
    private readonly lease: NatsConnectionLease,
    readonly group: string,
    private readonly options: NatsChannelOptions,
  ) {
    // A fresh id per channel: requests in the history addressed to an earlier member must never
    // look addressed to this one.
    this.self = `nats-${randomBytes(8).toString('hex')}`;
    this.names = groupNames(group);
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.presenceTimeoutMs = options.presenceTimeoutMs ?? 4000;
    this.unsubscribeState = lease.onState((state) => {
      if (state.kind !== 'connected' || this.closed) return;
      // Heard-times stood still while we could hear nobody: start them afresh, say hello, and
      // send what waited.
      const now = Date.now();
      for (const id of this.heard.keys()) this.heard.set(id, now);
      this.announce({ id: this.self, hello: true });
      this.pump();
      if (this.messages) {
        this.restartReading();
      }
    });
  }

  get members(): readonly MemberId[] {
    return this.view;
  }

  /** Messages accepted by send() and not yet acknowledged by the stream. */
  get unsent(): number {
    return this.queue.length;
  }

  private async start(history: NatsHistoryLimits, settleMs: number): Promise<void> {
    const { connection, jsm } = this.lease;
    await ensureStream(jsm, this.names, history);
    this.presenceSub = connection.subscribe(this.names.presence, {
      callback: (error, msg) => {
        if (error || this.closed) return;
        let presence: Presence;
        try {
          presence = msg.json<Presence>();
        } catch {
          return;
        }
        if (typeof presence.id !== 'string' || presence.id === this.self) return;
        this.onPresence(presence);
      },
    });
    this.announce({ id: this.self, hello: true });
    this.heartbeat = setInterval(() => this.tick(), this.heartbeatMs);
    const info = await jsm.streams.info(this.names.stream);
    this.historyEnd = info.state.last_seq;
    if (info.state.messages === 0) this.markCaughtUp();
    await this.startReading();
    await Promise.all([this.historyRead(), delay(settleMs)]);
    if (this.closed) throw new Error('closed while joining');
    this.joined = true;
    this.updateView();
  }

  /** Resolves once the history is read, also when its end expired before it could be read. */
  private async historyRead(): Promise<void> {
    while (!this.caughtUp && !this.closed) {
      await Promise.race([this.caughtUpPromise, delay(HISTORY_CHECK_MS)]);
      if (this.caughtUp || this.closed) return;
      const { state } = await this.lease.jsm.streams.info(this.names.stream);
      if (state.messages === 0 || state.first_seq > this.historyEnd) this.markCaughtUp();
    }
  }

  /**
   * Reads the stream from just after the last message read (from its start at first) with an
   * ordered consumer. Called again when the connection is back: a consumer whose connection
   * dropped may stall, and the receivers' (sender, seq) check makes any overlap harmless.
   */
  private async startReading(): Promise<void> {
    const generation = ++this.readers;
    // Not awaited: a consumer whose server is gone may never finish closing.
    void this.messages?.close().catch(() => undefined);
    const consumer = await this.lease.js.consumers.get(this.names.stream, {
      filter_subjects: this.names.subject,
      ...(this.streamSeq > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.streamSeq + 1 }
        : {}),
    });
    if (this.closed || generation !== this.readers) return;
    // Short pulls: the server's idle heartbeats then tell within seconds that a consumer is gone
    // (its server died in a cluster), and reading starts over on another server.
    const messages = await consumer.consume({ expires: PULL_EXPIRES_MS });
    this.messages = messages;
    void this.read(messages, generation);
    void this.watchReader(messages, generation);
  }

  /** Starts reading again, retrying while the stream cannot be reached (a cluster electing its leader). */
  private restartReading(): void {
    const attempt = (): void => {
      if (this.closed) return;
      this.startReading().catch((error: unknown) => {
        this.options.onError?.(error);
        setTimeout(attempt, RETRY_READ_MS);
      });
    };
    attempt();
  }

  private async watchReader(messages: ConsumerMessages, generation: number): Promise<void> {
    for await (const status of messages.status()) {
      if (this.closed || generation !== this.readers) return;
      if (status.type === 'heartbeats_missed' && status.count >= 2) {
        this.restartReading();
        return;
      }
    }
  }

  private async read(messages: ConsumerMessages, generation: number): Promise<void> {
    try {
      for await (const m of messages) {
        if (this.closed || generation !== this.readers) break;
        if (m.seq <= this.streamSeq) continue;
        this.streamSeq = m.seq;
        this.onStreamMessage(m);
        if (!this.caughtUp && (m.info.pending === 0 || m.seq >= this.historyEnd)) this.markCaughtUp();
      }
    } catch (error) {
      if (!this.closed) this.options.onError?.(error);
    }
  }

  private markCaughtUp(): void {
    this.caughtUp = true;
    this.heldHistory = this.held?.length ?? 0;
    this.caughtUpResolve();
  }

  private onStreamMessage(m: JsMsg): void {
    const sender = m.headers?.get(SENDER);
    const seq = Number(m.headers?.get(SEQ));
    if (!sender || !Number.isSafeInteger(seq)) return;
    if (seq <= (this.delivered.get(sender) ?? 0)) return;
    this.delivered.set(sender, seq);
    const fragment = m.headers?.get(FRAGMENT);
    const data = fragment ? this.reassemble(sender, fragment, m.data) : m.data.slice();
    if (!data) return;
    if (this.held) {
      this.held.push({ sender, data });
      // The history is kept whole for the first listener; later messages only up to a bound.
      if (this.caughtUp && this.held.length - this.heldHistory > MAX_HELD_LIVE) {
        this.held.splice(this.heldHistory, 1);
      }
      return;
    }
    for (const l of [...this.messageListeners]) l(sender, data);
  }

  /**
   * Adds fragment `index/count` of `sender`'s current message; answers the whole message with
   * its last fragment. A message whose start the history no longer holds is dropped whole.
   */
  private reassemble(sender: MemberId, fragment: string, body: Uint8Array): Uint8Array | undefined {
    const match = /^(\d+)\/(\d+)$/.exec(fragment);
    const index = Number(match?.[1]);
    const count = Number(match?.[2]);
    const open = this.partial.get(sender);
    if (!match || index >= count || (index > 0 && (open?.next !== index || open.count !== count))) {
      this.partial.delete(sender);
      return undefined;
    }
    const entry = index === 0 ? { next: 0, count, parts: [] as Uint8Array[], bytes: 0 } : open!;
    entry.parts.push(body.slice());
    entry.bytes += body.length;
    entry.next = index + 1;
    if (entry.bytes > MAX_MESSAGE_BYTES) {
      this.partial.delete(sender);
      return undefined;
    }
    if (entry.next < count) {
      this.partial.set(sender, entry);
      return undefined;
    }
    this.partial.delete(sender);
    // A plain Uint8Array over the joined memory: a Buffer's slice() would not copy.
    const joined = Buffer.concat(entry.parts, entry.bytes);
    return new Uint8Array(joined.buffer, joined.byteOffset, joined.length);
  }

  send(data: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`channel to group ${this.group} is closed`));
    if (data.length > MAX_MESSAGE_BYTES) {
      return Promise.reject(
        new Error(
          `a message of ${data.length} bytes exceeds the largest one a channel carries (${MAX_MESSAGE_BYTES})`,
        ),
      );
    }
    // Headers and the subject travel in the same frame as the payload: leave them room.
    const size = Math.max(
      1024,
      (this.lease.connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD) - FRAME_HEADROOM,
    );
    if (data.length <= size) {
      this.queue.push({ seq: ++this.lastSeq, data: data.slice() });
    } else {
      // Fragments are queued together, so nothing of ours comes between them.
      const count = Math.ceil(data.length / size);
      for (let i = 0; i < count; i++) {
        const part = data.slice(i * size, Math.min(data.length, (i + 1) * size));
        this.queue.push({ seq: ++this.lastSeq, data: part, fragment: `${i}/${count}` });
      }
    }
    this.pump();
    return Promise.resolve();
  }

  /** Publishes the queue in order, one message at a time, each until the stream holds it. */
  private pump(): void {
    this.pumping ??= this.publishQueued().finally(() => {
      this.pumping = undefined;
    });
  }

  private async publishQueued(): Promise<void> {
    const { js } = this.lease;
    while (this.queue.length > 0 && !this.closedForSending()) {
      const next = this.queue[0]!;
      const h = headers();
      h.set(SENDER, this.self);
      h.set(SEQ, String(next.seq));
      if (next.fragment) h.set(FRAGMENT, next.fragment);
      try {
        await js.publish(this.names.subject, next.data, {
          msgID: `${this.self}:${next.seq}`,
          headers: h,
          timeout: this.options.publishTimeoutMs ?? 5000,
        });
        this.queue.shift();
      } catch (error) {
        if (this.closedForSending()) return;
        this.options.onError?.(error);
        // Disconnected: the state listener pumps again once the connection is back.
        if (this.lease.state.kind !== 'connected') return;
        await delay(RETRY_DELAY_MS);
      }
    }
  }

  private closedForSending(): boolean {
    return this.lease.connection.isClosed();
  }

  onMessage(listener: MessageListener): () => void {
    this.messageListeners.add(listener);
    const held = this.held;
    if (held) {
      this.held = undefined;
      // After the subscriber's constructor has finished, in stream order.
      queueMicrotask(() => {
        for (const m of held)
          if (!this.closed) for (const l of [...this.messageListeners]) l(m.sender, m.data);
      });
    }
    return () => this.messageListeners.delete(listener);
  }

  onView(listener: ViewListener): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  private announce(presence: Presence): void {
    if (this.lease.connection.isClosed()) return;
    try {
      this.lease.connection.publish(this.names.presence, JSON.stringify(presence));
    } catch {
      // Disconnected: the next heartbeat or the reconnection says it again.
    }
  }

  private onPresence(presence: Presence): void {
    if (presence.bye) {
      this.heard.delete(presence.id);
    } else {
      const isNew = !this.heard.has(presence.id);
      this.heard.set(presence.id, Date.now());
      if (presence.hello && this.joined) this.announce({ id: this.self });
      if (!isNew) return;
    }
    this.updateView();
  }

  private tick(): void {
    this.announce({ id: this.self });
    // While disconnected nobody can be heard: the view stands until the connection is back.
    if (this.lease.state.kind !== 'connected') return;
    const cutoff = Date.now() - this.presenceTimeoutMs;
    let changed = false;
    for (const [id, at] of this.heard) {
      if (at < cutoff) {
        this.heard.delete(id);
        changed = true;
      }
    }
    if (changed) this.updateView();
  }

  private updateView(): void {
    if (!this.joined || this.closed) return;
    const members = [this.self, ...this.heard.keys()].sort();
    if (members.length === this.view.length && members.every((m, i) => m === this.view[i])) return;
    this.view = members;
    for (const l of [...this.viewListeners]) l(members);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.held = undefined;
    this.unsubscribeState();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.messageListeners.clear();
    this.viewListeners.clear();
    // What was sent before close() still reaches the group if the server is there to take it.
    if (this.queue.length > 0 && this.lease.state.kind === 'connected') {
      this.pump();
      await Promise.race([this.pumping, delay(CLOSE_FLUSH_MS)]);
    }
    this.queue.length = 0;
    this.announce({ id: this.self, bye: true });
    this.presenceSub?.unsubscribe();
    void this.messages?.close().catch(() => undefined);
    this.lease.release();
  }
}
