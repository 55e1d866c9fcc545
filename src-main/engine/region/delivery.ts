// Exactly-once, per-(sender, group) FIFO delivery. Messages reach this point in per-(sender,
// region view) sequence order; after a view change a sender re-sends what was unstable, so
// the per-group sequence number filters out anything already delivered.

import type { NodeId } from '../membership';
import type { Counters } from '../stats';

export type MessageHandler = (group: string, sender: NodeId, data: Uint8Array) => void;

export class Delivery {
  private readonly last = new Map<string, number>();
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

  deliver(sender: NodeId, group: string, groupSeq: number, payload: Uint8Array): void {
    const key = sender + '\u0000' + group;
    const last = this.last.get(key) ?? 0;
    if (groupSeq <= last) {
      this.counters.duplicates++;
      return;
    }
    this.last.set(key, groupSeq);
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
