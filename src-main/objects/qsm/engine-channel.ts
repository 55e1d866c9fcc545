// A GroupChannel (objects/channel/group-channel.ts) over a lease of an engine group.
// The engine already delivers a node's own multicasts back to it exactly once (through its
// loopback path, deduplicated by per-group sequence numbers), so self-delivery needs no local
// copy here. Deliveries that arrive before anyone listens are held (bounded) so that a
// protocol constructed just after the join does not miss the first statuses of its peers.
import type { GroupChannel, MemberId } from '../channel/group-channel';
import type { GroupLease } from './service';

/** Deliveries held while nobody listens; beyond this the oldest are dropped. */
const MAX_HELD = 4096;
/** Payload bytes per engine message (the engine's default maxPayload is 60 000). */
export const FRAGMENT_BYTES = 56 * 1024;
/** Largest message reassembled from fragments; a sender going beyond is cut off. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

// First byte of every engine payload: messages larger than one engine message travel as
// consecutive fragments. FIFO per sender makes reassembly a per-sender append.
const WHOLE = 0;
const MORE = 1;
const LAST = 2;

export class EngineGroupChannel implements GroupChannel {
  private readonly messageListeners = new Set<(sender: MemberId, data: Uint8Array) => void>();
  private readonly viewListeners = new Set<(members: readonly MemberId[]) => void>();
  private held: { sender: MemberId; data: Uint8Array }[] | undefined = [];
  private readonly partial = new Map<MemberId, { parts: Uint8Array[]; bytes: number }>();
  private readonly unsubscribe: (() => void)[] = [];
  private closed = false;

  constructor(private readonly lease: GroupLease) {
    this.unsubscribe.push(
      lease.onMessage((sender, data) => this.deliver(sender, data)),
      lease.onView((members) => {
        for (const sender of this.partial.keys()) if (!members.includes(sender)) this.partial.delete(sender);
        for (const l of [...this.viewListeners]) l(members);
      }),
    );
  }

  get self(): MemberId {
    return this.lease.self;
  }

  get group(): string {
    return this.lease.group;
  }

  get members(): readonly MemberId[] {
    return this.lease.members;
  }

  send(data: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`channel to group ${this.group} is closed`));
    if (data.length <= FRAGMENT_BYTES) return this.lease.send(withHeader(WHOLE, data));
    // All fragments are queued synchronously, so nothing of ours interleaves with them.
    const sends: Promise<void>[] = [];
    for (let at = 0; at < data.length; at += FRAGMENT_BYTES) {
      const end = Math.min(data.length, at + FRAGMENT_BYTES);
      sends.push(this.lease.send(withHeader(end === data.length ? LAST : MORE, data.subarray(at, end))));
    }
    return Promise.all(sends).then(() => undefined);
  }

  onMessage(listener: (sender: MemberId, data: Uint8Array) => void): () => void {
    this.messageListeners.add(listener);
    const held = this.held;
    if (held) {
      this.held = undefined;
      // After the subscriber's constructor has finished, in arrival order.
      queueMicrotask(() => {
        for (const m of held) if (!this.closed) listener(m.sender, m.data);
      });
    }
    return () => this.messageListeners.delete(listener);
  }

  onView(listener: (members: readonly MemberId[]) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.held = undefined;
      for (const u of this.unsubscribe) u();
      this.messageListeners.clear();
      this.viewListeners.clear();
      this.lease.release();
    }
    return Promise.resolve();
  }

  private deliver(sender: MemberId, packet: Uint8Array): void {
    if (this.closed || packet.length === 0) return;
    const assembled = this.reassemble(sender, packet[0]!, packet.subarray(1));
    if (!assembled) return;
    let data = assembled.bytes;
    // The engine reuses its packet buffers: listeners get memory of their own, copied once.
    if (!assembled.owned) data = data.slice();
    if (this.held) {
      if (this.held.length >= MAX_HELD) this.held.shift();
      this.held.push({ sender, data });
      return;
    }
    for (const l of [...this.messageListeners]) l(sender, data);
  }

  /** A whole message: a view into the engine's buffer, or (fragments) a fresh array we own. */
  private reassemble(
    sender: MemberId,
    kind: number,
    body: Uint8Array,
  ): { bytes: Uint8Array; owned: boolean } | undefined {
    const open = this.partial.get(sender);
    if (kind === WHOLE) {
      this.partial.delete(sender);
      return { bytes: body, owned: false };
    }
    if (kind !== MORE && kind !== LAST) return undefined;
    const entry = open ?? { parts: [], bytes: 0 };
    entry.parts.push(body.slice());
    entry.bytes += body.length;
    if (entry.bytes > MAX_MESSAGE_BYTES) {
      this.partial.delete(sender);
      return undefined;
    }
    if (kind === MORE) {
      this.partial.set(sender, entry);
      return undefined;
    }
    this.partial.delete(sender);
    const out = new Uint8Array(entry.bytes);
    let at = 0;
    for (const p of entry.parts) {
      out.set(p, at);
      at += p.length;
    }
    return { bytes: out, owned: true };
  }
}

function withHeader(kind: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 1);
  out[0] = kind;
  out.set(body, 1);
  return out;
}
