// Exactly-once, per-(sender, group) FIFO delivery. Messages reach this point in per-(sender,
// region view) sequence order; after a view change a sender re-sends what was unstable, so
// the per-group sequence number filters out anything already delivered.

import { reportHandlerError, type HandlerErrorHook } from '../handler-errors';
import type { NodeId } from '../membership';
import type { Counters } from '../stats';

export type MessageHandler = (group: string, sender: NodeId, data: Uint8Array) => void;
/** A handler of one group's messages (QsmNode.onGroupMessage). */
export type GroupMessageHandler = (sender: NodeId, data: Uint8Array) => void;

const NO_HANDLERS: readonly GroupMessageHandler[] = [];

/** Delivery state of one group: the last per-group sequence number delivered per sender.
 * A region agent holds its groups' states by group index, so delivery needs no lookup by
 * group name. */
export class GroupDelivery {
  /** Most groups have one sender: its position inline (no object to reach per message, which
   * is a cache miss per message when thousands of groups take turns); others in a map. */
  private sender = '';
  private seq = 0;
  private others: Map<NodeId, { seq: number }> | undefined;
  /** This group's own handlers: an application that dispatches per group (one live object
   * per group) gets its messages without a lookup by group name per message. The first is
   * held inline: with thousands of groups taking turns, an array per group was two more
   * cache misses per message (and two objects per group). Both are replaced, not mutated, so
   * a handler may unsubscribe while being called. */
  handler: GroupMessageHandler | undefined = undefined;
  moreHandlers: readonly GroupMessageHandler[] = NO_HANDLERS;

  constructor(readonly name: string) {}

  /** Records `groupSeq` as delivered from `sender`; false if it (or a later one) already was. */
  advance(sender: NodeId, groupSeq: number): boolean {
    if (sender === this.sender) {
      if (groupSeq <= this.seq) return false;
      this.seq = groupSeq;
      return true;
    }
    if (this.sender === '') {
      this.sender = sender;
      this.seq = groupSeq;
      return true;
    }
    let pos = (this.others ??= new Map()).get(sender);
    if (!pos) this.others.set(sender, (pos = { seq: 0 }));
    if (groupSeq <= pos.seq) return false;
    pos.seq = groupSeq;
    return true;
  }
}

export class Delivery {
  /** Kept for groups and senders no longer present: a transient view must not make re-sent
   * messages deliverable again. */
  private readonly groups = new Map<string, GroupDelivery>();
  private readonly handlers: MessageHandler[] = [];

  constructor(
    private readonly counters: Counters,
    /** Gets what a handler throws (counted in any case); the other handlers still get the message. */
    private readonly onError?: HandlerErrorHook,
  ) {}

  /** Calls `h` with the messages of `group` only. */
  onGroup(group: string, h: GroupMessageHandler): () => void {
    const g = this.group(group);
    if (g.handler === undefined) g.handler = h;
    else g.moreHandlers = [...g.moreHandlers, h];
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      if (g.handler === h) {
        g.handler = g.moreHandlers[0];
        g.moreHandlers = g.moreHandlers.slice(1);
      } else {
        const i = g.moreHandlers.indexOf(h);
        if (i >= 0) g.moreHandlers = g.moreHandlers.filter((_, j) => j !== i);
      }
    };
  }

  on(h: MessageHandler): () => void {
    this.handlers.push(h);
    return () => {
      const i = this.handlers.indexOf(h);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  /** The group's delivery state (region agents resolve it once per view, by group index). */
  group(name: string): GroupDelivery {
    let g = this.groups.get(name);
    if (!g) this.groups.set(name, (g = new GroupDelivery(name)));
    return g;
  }

  deliver(sender: NodeId, group: GroupDelivery, groupSeq: number, payload: Uint8Array): void {
    if (!group.advance(sender, groupSeq)) {
      this.counters.duplicates++;
      return;
    }
    this.counters.messagesDelivered++;
    this.counters.bytesDelivered += payload.length;
    for (const h of this.handlers) {
      try {
        h(group.name, sender, payload);
      } catch (e) {
        this.failed(e, group, sender);
      }
    }
    const first = group.handler;
    if (first === undefined) return;
    const more = group.moreHandlers;
    try {
      first(sender, payload);
    } catch (e) {
      this.failed(e, group, sender);
    }
    for (const h of more) {
      try {
        h(sender, payload);
      } catch (e) {
        this.failed(e, group, sender);
      }
    }
  }

  /** Out of line: the delivery loop stays small; this runs only when a handler threw. */
  private failed(error: unknown, group: GroupDelivery, sender: NodeId): void {
    reportHandlerError(this.counters, this.onError, error, { handler: 'message', group: group.name, sender });
  }
}
