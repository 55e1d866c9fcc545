// A GroupChannel whose payloads are sealed (object-key.ts) over any other GroupChannel: the
// members, views and delivery guarantees are those of the channel beneath; what it carries is
// ciphertext. Messages that do not open are dropped and counted, never delivered; the first
// one is reported (once per channel, so a flood of forgeries is not a flood of errors).
import type { MemberId, NamedGroupChannel } from '../channel/group-channel';
import type { RejectReason } from './object-key';
import { Opener, Sealer } from './object-key';

export interface SealedChannelOptions {
  /** Called for the first message dropped (then only counted); default: a console warning. */
  readonly onFirstRejection?: (reason: RejectReason, sender: MemberId) => void;
}

const REASONS: Record<RejectReason, string> = {
  malformed: 'is not a sealed message',
  forged:
    'does not authenticate under the object key (sent without the key, altered, or re-sent by another member)',
  replayed: 'was delivered before (a replay)',
};

/** The default report of a channel's first dropped message. */
export function warnRejected(group: string, reason: RejectReason, sender: MemberId): void {
  console.warn(
    `liveobjects.sealed: dropped a message from ${sender} on group ${group}: it ${REASONS[reason]}; later drops are only counted`,
  );
}

export type RejectionCounts = Record<RejectReason, number>;

export class SealedGroupChannel implements NamedGroupChannel {
  private readonly sealer: Sealer;
  private readonly opener: Opener;
  private readonly listeners = new Set<(sender: MemberId, data: Uint8Array) => void>();
  private unsubscribe: (() => void) | undefined;
  private closed = false;
  /** Messages dropped, by reason. */
  readonly rejected: RejectionCounts = { malformed: 0, forged: 0, replayed: 0 };

  constructor(
    private readonly inner: NamedGroupChannel,
    key: Uint8Array,
    private readonly options: SealedChannelOptions = {},
  ) {
    this.sealer = new Sealer(key, inner.group, inner.self);
    this.opener = new Opener(key, inner.group);
  }

  get self(): MemberId {
    return this.inner.self;
  }

  get group(): string {
    return this.inner.group;
  }

  get members(): readonly MemberId[] {
    return this.inner.members;
  }

  /** Messages dropped in all. */
  get rejectedTotal(): number {
    return this.rejected.malformed + this.rejected.forged + this.rejected.replayed;
  }

  send(data: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`sealed channel to group ${this.group} is closed`));
    return this.inner.send(this.sealer.seal(data));
  }

  onMessage(listener: (sender: MemberId, data: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    // Subscribing late leaves messages held by the channel beneath until someone listens.
    this.unsubscribe ??= this.inner.onMessage((sender, packet) => this.deliver(sender, packet));
    return () => this.listeners.delete(listener);
  }

  onView(listener: (members: readonly MemberId[]) => void): () => void {
    return this.inner.onView(listener);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.unsubscribe?.();
    this.listeners.clear();
    return this.inner.close();
  }

  private deliver(sender: MemberId, packet: Uint8Array): void {
    if (this.closed) return;
    // The sender is the one the channel beneath reports; it is bound into the tag, so a
    // message re-sent by another member does not open.
    const opened = this.opener.open(sender, packet);
    if (!opened.ok) {
      if (this.rejectedTotal === 0) {
        if (this.options.onFirstRejection) this.options.onFirstRejection(opened.reason, sender);
        else warnRejected(this.group, opened.reason, sender);
      }
      this.rejected[opened.reason]++;
      return;
    }
    for (const l of [...this.listeners]) l(sender, opened.data);
  }
}
