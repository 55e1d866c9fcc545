// Exactly-once, per-(sender, group) FIFO delivery. Messages reach this point in per-(sender,
// region view) sequence order; after a view change a sender re-sends what was unstable, so
// the per-group sequence number filters out anything already delivered.

import type { NodeId } from '../membership';
import type { Counters } from '../stats';

export type MessageHandler = (group: string, sender: NodeId, data: Uint8Array) => void;

/** The last per-group sequence number delivered from one sender in one group. */
interface Position {
  last: number;
}

export class Delivery {
  private readonly bySender = new Map<NodeId, Map<string, Position>>();
  /** The previous message's position: consecutive messages usually share it. */
  private cachedSender = '';
  private cachedGroup = '';
  private cached: Position | undefined;
  private readonly handlers: MessageHandler[] = [];
  handlerErrors = 0;

  constructor(private readonly counters: Counters) {}

  on(h: MessageHandler): () => void {
    this.handlers.push(h);
    return () => {
      const i = this.handlers.indexOf(h);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  private position(sender: NodeId, group: string): Position {
    if (this.cached && sender === this.cachedSender && group === this.cachedGroup) return this.cached;
    let groups = this.bySender.get(sender);
    if (!groups) this.bySender.set(sender, (groups = new Map()));
    let pos = groups.get(group);
    if (!pos) groups.set(group, (pos = { last: 0 }));
    this.cachedSender = sender;
    this.cachedGroup = group;
    this.cached = pos;
    return pos;
  }

  deliver(sender: NodeId, group: string, groupSeq: number, payload: Uint8Array): void {
    const pos = this.position(sender, group);
    if (groupSeq <= pos.last) {
      this.counters.duplicates++;
      return;
    }
    pos.last = groupSeq;
    this.counters.messagesDelivered++;
    this.counters.bytesDelivered += payload.length;
    for (const h of this.handlers) {
      try {
        h(group, sender, payload);
      } catch {
        this.handlerErrors++;
      }
    }
  }
}
