// An in-memory checkpointed channel for model tests: reliable and FIFO per (sender, receiver),
// with no order across senders; the test decides which queue delivers next, so fast-check can
// explore interleavings. A late join takes a checkpoint at a consistent cut: the joiner gets
// exactly the messages its donor had not yet received.
import type { CheckpointedClient, Send } from '../model';

export class FakeChannel {
  readonly #members = new Map<string, CheckpointedClient>();
  /** sender → receiver → messages in flight. */
  readonly #queues = new Map<string, Map<string, Uint8Array[]>>();
  delivered = 0;

  /** The send function for member `id`; messages go to every member present at send time. */
  sender(id: string): Send {
    return (update) => {
      const copy = update.slice();
      for (const receiver of this.#members.keys()) this.#queue(id, receiver).push(copy);
    };
  }

  /** A founding member: no checkpoint. */
  add(id: string, client: CheckpointedClient): void {
    this.#members.set(id, client);
  }

  /** A late joiner, initialized from `donor`'s checkpoint at a consistent cut. */
  join(id: string, client: CheckpointedClient, donor: string): void {
    const from = this.#members.get(donor);
    if (!from) throw new Error(`no member ${donor}`);
    const checkpoint = from.checkpoint();
    for (const [sender, byReceiver] of this.#queues) {
      const inFlight = byReceiver.get(donor) ?? [];
      this.#queue(sender, id).push(...inFlight);
    }
    this.#members.set(id, client);
    client.initialize(checkpoint);
  }

  /** Removes a member; messages to it are discarded, its own in-flight messages still arrive. */
  leave(id: string): void {
    this.#members.delete(id);
    for (const byReceiver of this.#queues.values()) byReceiver.delete(id);
  }

  get pendingCount(): number {
    return this.#pending().length;
  }

  /** Delivers the head of one non-empty queue, chosen by `pick`; false when all are empty. */
  deliver(pick: number): boolean {
    const pending = this.#pending();
    if (pending.length === 0) return false;
    const [sender, receiver] = pending[Math.abs(pick) % pending.length] as [string, string];
    const message = this.#queues.get(sender)?.get(receiver)?.shift();
    const client = this.#members.get(receiver);
    if (message && client) {
      this.delivered += 1;
      client.receive(sender, message);
    }
    return true;
  }

  /** Delivers everything, using `picks` first and then round-robin. */
  flush(picks: readonly number[] = []): void {
    let i = 0;
    while (this.deliver(picks[i] ?? i)) i += 1;
  }

  #pending(): [string, string][] {
    const out: [string, string][] = [];
    for (const [sender, byReceiver] of this.#queues) {
      for (const [receiver, queue] of byReceiver) if (queue.length > 0) out.push([sender, receiver]);
    }
    return out;
  }

  #queue(sender: string, receiver: string): Uint8Array[] {
    let byReceiver = this.#queues.get(sender);
    if (!byReceiver) this.#queues.set(sender, (byReceiver = new Map()));
    let queue = byReceiver.get(receiver);
    if (!queue) byReceiver.set(receiver, (queue = []));
    return queue;
  }
}
