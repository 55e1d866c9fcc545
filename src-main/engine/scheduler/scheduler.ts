// Single-threaded two-stage event loop (D4567-4648). Stage 1: socket handlers only append
// datagrams to a priority lane. Stage 2: a tick processes lanes highest first within quanta
// (control/tokens, then repairs, then new data: inbound before outbound), then due alarms,
// then pulls outbound feeds, which build packets from current state only when there is room.

import { Ring } from '../util/ring';
import { TimerHeap, type Alarm } from './timers';

export const enum Lane {
  Control = 0,
  Repair = 1,
  Data = 2,
}

/** Datagrams processed per lane per tick; lower lanes still progress when higher ones are busy.
 * Data and repair datagrams carry up to 32 KiB (~30 messages of 1 KB) on loopback. Few per
 * tick, so that the event loop gets back to the sockets often: libuv reads at most 32
 * datagrams per socket per loop turn, and with 64 processed per tick a receiver short of CPU
 * read more slowly than the sender sent, until the kernel's socket buffer (8 MiB) overflowed.
 * With 8, a backlog waits here instead, where it is bounded by MAX_QUEUED_DATA_BYTES (latency
 * A/B, 9 rounds each at 131 000 msgs/s: 2 764 messages repaired against 45 223 with 64). */
export const QUANTA = [2048, 8, 8] as const;
const ALARM_BUDGET_MS = 5;
/** Inbound data backlog beyond which new data is dropped (recovery repairs it), bounding
 * memory: about half a second of traffic at 130 MB/s. */
export const MAX_QUEUED_DATA_BYTES = 64 * 1024 * 1024;

/** An outbound feed: sends at most `budget` packets, returns how many it sent. */
export type Feed = (budget: number) => number;

export type Processor = (lane: Lane, buf: Buffer) => void;

function noop(): void {}

export class Scheduler {
  private readonly lanes = [new Ring<Buffer>(), new Ring<Buffer>(), new Ring<Buffer>()];
  readonly timers = new TimerHeap();
  private readonly feeds: Feed[] = [];
  private deferred: (() => void)[] = [];
  private tickScheduled = false;
  private nodeTimer: NodeJS.Timeout | undefined;
  private nodeTimerAt = Infinity;
  private closed = false;
  /** Bytes in the data lane. */
  private dataBytes = 0;
  overflowDrops = 0;
  ticks = 0;

  constructor(
    private readonly process: Processor,
    /** Packets the outbound feeds may send per tick, given the socket's send queue. */
    private readonly outboundBudget: () => number,
    private readonly maxQueuedDataBytes = MAX_QUEUED_DATA_BYTES,
  ) {}

  /** Stage 1: called from socket handlers. */
  enqueue(lane: Lane, buf: Buffer): void {
    if (this.closed) return;
    const q = this.lanes[lane]!;
    if (lane === Lane.Data) {
      if (this.dataBytes + buf.length > this.maxQueuedDataBytes) {
        this.overflowDrops++;
        return;
      }
      this.dataBytes += buf.length;
    }
    q.push(buf);
    this.wake();
  }

  /** Runs `fn` at the start of the next tick, before new input (work split across ticks). */
  defer(fn: () => void): void {
    if (this.closed) return;
    this.deferred.push(fn);
    this.wake();
  }

  addFeed(feed: Feed): void {
    this.feeds.push(feed);
  }

  /** Asks for a tick soon (new outbound work, etc.). */
  wake(): void {
    if (this.tickScheduled || this.closed) return;
    this.tickScheduled = true;
    setImmediate(this.tick);
  }

  after(delayMs: number, fn: () => void): Alarm {
    const a = this.timers.add(performance.now() + delayMs, fn);
    this.armNodeTimer();
    return a;
  }

  queued(): number[] {
    return this.lanes.map((q) => q.length);
  }

  /** Data and repair datagrams read from the sockets and not processed yet. */
  inboundBacklog(): number {
    return this.lanes[Lane.Repair]!.length + this.lanes[Lane.Data]!.length;
  }

  close(): void {
    this.closed = true;
    if (this.nodeTimer) clearTimeout(this.nodeTimer);
  }

  private armNodeTimer(): void {
    const next = this.timers.next();
    if (next === undefined || this.closed) return;
    if (next >= this.nodeTimerAt && this.nodeTimer) return;
    if (this.nodeTimer) clearTimeout(this.nodeTimer);
    this.nodeTimerAt = next;
    this.nodeTimer = setTimeout(this.onNodeTimer, Math.max(0, next - performance.now()));
  }

  private readonly onNodeTimer = (): void => {
    this.nodeTimer = undefined;
    this.nodeTimerAt = Infinity;
    this.wake();
  };

  private readonly tick = (): void => {
    this.tickScheduled = false;
    if (this.closed) return;
    this.ticks++;
    let more = false;
    if (this.deferred.length > 0) {
      const work = this.deferred;
      this.deferred = [];
      for (const fn of work) fn();
    }
    for (let lane = 0; lane < 3; lane++) {
      const q = this.lanes[lane]!;
      let n = QUANTA[lane as 0 | 1 | 2];
      for (; n > 0; n--) {
        const b = q.shift();
        if (!b) break;
        if (lane === Lane.Data) this.dataBytes -= b.length;
        this.process(lane as Lane, b);
      }
      if (q.length > 0) more = true;
    }
    if (this.timers.runDue(performance.now(), ALARM_BUDGET_MS)) more = true;
    const initial = this.outboundBudget();
    let budget = initial;
    for (const feed of this.feeds) {
      if (budget <= 0) break;
      budget -= feed(budget);
    }
    // Budget used up: feeds may have more. Socket queue full: retry shortly, without spinning.
    if (initial > 0 && budget <= 0) more = true;
    else if (initial <= 0) this.after(1, noop);
    if (more) this.wake();
    this.armNodeTimer();
  };
}
