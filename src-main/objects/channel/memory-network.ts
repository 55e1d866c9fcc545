// An in-memory GroupChannel network for tests. It runs on a virtual clock so runs are
// deterministic (seeded) and fast, and it reproduces the orderings the real channel allows:
// FIFO per (sender, receiver) pair, no order across senders, views installed per member at
// different times, and a sender multicasting to the view *it* has installed — so a message
// sent just before a sender sees a new member never reaches that member.

import type { GroupChannel, MemberId } from './group-channel';
import { mulberry32 } from '../../../src-shared/util/seeded-random';

type Task = () => void;

interface Scheduled {
  readonly at: number;
  readonly order: number;
  readonly task: Task;
}

/** A virtual clock: timers fire only when the test advances it. */
export class VirtualClock {
  private nowMs = 0;
  private order = 0;
  private queue: Scheduled[] = [];
  private readonly cancelled = new Set<number>();

  get now(): number {
    return this.nowMs;
  }

  setTimeout(task: Task, ms: number): number {
    const entry: Scheduled = { at: this.nowMs + Math.max(0, ms), order: this.order++, task };
    // Sorted insert from the back: most timers land near the end.
    let i = this.queue.length;
    while (i > 0 && compare(this.queue[i - 1] as Scheduled, entry) > 0) i--;
    this.queue.splice(i, 0, entry);
    return entry.order;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.cancelled.add(handle);
  }

  /** Number of pending (not cancelled) timers. */
  get pending(): number {
    return this.queue.filter((e) => !this.cancelled.has(e.order)).length;
  }

  /**
   * Fires timers due within `ms`, one at a time, letting promise continuations run between
   * them (protocol code may await sends). Returns the number of timers fired.
   */
  async advance(ms: number): Promise<number> {
    const until = this.nowMs + ms;
    let fired = 0;
    for (;;) {
      const next = this.queue[0];
      if (next === undefined || next.at > until) break;
      this.queue.shift();
      if (this.cancelled.delete(next.order)) continue;
      this.nowMs = next.at;
      next.task();
      fired++;
      await flushMicrotasks();
    }
    this.nowMs = until;
    await flushMicrotasks();
    return fired;
  }

  /** Advances in steps until `done()` holds; throws after `maxMs` of virtual time. */
  async runUntil(done: () => boolean, maxMs = 60_000, stepMs = 5): Promise<void> {
    const start = this.nowMs;
    while (!done()) {
      if (this.nowMs - start >= maxMs) throw new Error(`runUntil: condition not met within ${maxMs} ms`);
      await this.advance(stepMs);
    }
  }
}

function pairKey(from: MemberId, to: MemberId): string {
  return `${from}\u0000${to}`;
}

function compare(a: Scheduled, b: Scheduled): number {
  return a.at - b.at || a.order - b.order;
}

function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface MemoryNetworkOptions {
  /** PRNG seed for delays. */
  seed?: number;
  /** Random per-message delay range (virtual ms). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Overrides the random delay of a message (self-delivery included). */
  delay?: (from: MemberId, to: MemberId, data: Uint8Array) => number | undefined;
  /** Overrides the random delay with which `member` installs a new view. */
  viewDelay?: (member: MemberId) => number | undefined;
}

interface Member {
  readonly id: MemberId;
  /** The view this member has installed (what its sends address). */
  view: readonly MemberId[];
  alive: boolean;
  readonly messageListeners: Set<(sender: MemberId, data: Uint8Array) => void>;
  readonly viewListeners: Set<(members: readonly MemberId[]) => void>;
  /** Handles of this member's undelivered outgoing messages, dropped if it crashes. */
  readonly inFlight: Set<number>;
  lastViewAt: number;
}

export interface MemoryNetworkStats {
  delivered: number;
  /** Messages lost because their sender crashed or their receiver left. */
  dropped: number;
}

/**
 * The in-memory network: members join, leave gracefully (close) or crash. A graceful leaver's
 * sent messages are all delivered, each before the view without it; a crash loses them.
 */
export class MemoryNetwork {
  readonly clock = new VirtualClock();
  readonly stats: MemoryNetworkStats = { delivered: 0, dropped: 0 };
  private readonly random: () => number;
  private readonly membersById = new Map<MemberId, Member>();
  /** Last delivery time per (sender, receiver): keeps each pair FIFO. */
  private readonly pairTail = new Map<string, number>();
  private nextId = 1;

  constructor(private readonly options: MemoryNetworkOptions = {}) {
    this.random = mulberry32(options.seed ?? 1);
  }

  /** The current (global) membership, sorted. */
  get members(): readonly MemberId[] {
    return [...this.membersById.keys()].sort();
  }

  /** Adds a member; it installs its first view after a delay, like everyone else. */
  join(id: MemberId = `m${String(this.nextId++).padStart(3, '0')}`): GroupChannel {
    if (this.membersById.has(id)) throw new Error(`member ${id} already joined`);
    const member: Member = {
      id,
      view: [],
      alive: true,
      messageListeners: new Set(),
      viewListeners: new Set(),
      inFlight: new Set(),
      lastViewAt: 0,
    };
    this.membersById.set(id, member);
    this.announceView();
    return this.channelFor(member);
  }

  /** Removes a member abruptly: its undelivered messages are lost. */
  crash(id: MemberId): void {
    const member = this.membersById.get(id);
    if (!member) return;
    for (const handle of member.inFlight) {
      this.clock.clearTimeout(handle);
      this.stats.dropped++;
    }
    member.inFlight.clear();
    this.remove(member);
  }

  /** Graceful leave: each member gets the leaver's pending messages before the view without it. */
  private leave(member: Member): void {
    if (this.membersById.get(member.id) === member) this.remove(member, member.id);
  }

  private remove(member: Member, flushedSender?: MemberId): void {
    member.alive = false;
    this.membersById.delete(member.id);
    this.announceView(flushedSender);
  }

  private announceView(flushedSender?: MemberId): void {
    const view = Object.freeze(this.members);
    for (const member of this.membersById.values()) {
      const delay = this.options.viewDelay?.(member.id) ?? this.randomDelay();
      const flushed =
        flushedSender === undefined ? 0 : (this.pairTail.get(pairKey(flushedSender, member.id)) ?? 0);
      // Views install in order at each member.
      const at = Math.max(this.clock.now + delay, member.lastViewAt, flushed);
      member.lastViewAt = at;
      this.clock.setTimeout(() => {
        if (!member.alive) return;
        member.view = view;
        for (const listener of [...member.viewListeners]) listener(view);
      }, at - this.clock.now);
    }
  }

  private randomDelay(): number {
    const min = this.options.minDelayMs ?? 0;
    const max = this.options.maxDelayMs ?? 5;
    return min + this.random() * (max - min);
  }

  private multicast(sender: Member, data: Uint8Array): void {
    // Receivers: the sender's installed view, plus itself (self-delivery even before its first view).
    const targets = new Set(sender.view);
    targets.add(sender.id);
    const copy = data.slice();
    for (const to of targets) {
      const receiver = this.membersById.get(to);
      if (!receiver) continue;
      const delay = this.options.delay?.(sender.id, to, copy) ?? this.randomDelay();
      const key = pairKey(sender.id, to);
      const at = Math.max(this.clock.now + delay, this.pairTail.get(key) ?? 0);
      this.pairTail.set(key, at);
      const handle = this.clock.setTimeout(() => {
        sender.inFlight.delete(handle);
        if (!receiver.alive) {
          this.stats.dropped++;
          return;
        }
        this.stats.delivered++;
        for (const listener of [...receiver.messageListeners]) listener(sender.id, copy);
      }, at - this.clock.now);
      sender.inFlight.add(handle);
    }
  }

  private channelFor(member: Member): GroupChannel {
    return {
      self: member.id,
      get members() {
        return member.view;
      },
      send: (data) => {
        if (!member.alive) return Promise.reject(new Error(`member ${member.id} has left`));
        this.multicast(member, data);
        return Promise.resolve();
      },
      onMessage: (listener) => {
        member.messageListeners.add(listener);
        return () => member.messageListeners.delete(listener);
      },
      onView: (listener) => {
        member.viewListeners.add(listener);
        return () => member.viewListeners.delete(listener);
      },
      close: () => {
        this.leave(member);
        return Promise.resolve();
      },
    };
  }
}
