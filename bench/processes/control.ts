// Line protocol between the bench runner and its helper processes: JSON commands on stdin,
// JSON reports on stdout. A helper exits when its stdin closes, so it never outlives the runner.
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

export type Command = Readonly<Record<string, unknown>>;

export function emit(msg: Readonly<Record<string, unknown>>): void {
  process.stdout.write(JSON.stringify(msg) + '\n');
}

export function onCommands(handler: (cmd: Command) => void): void {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    let cmd: unknown;
    try {
      cmd = JSON.parse(line);
    } catch {
      emit({ type: 'error', message: `bad command line: ${line}` });
      return;
    }
    if (typeof cmd === 'object' && cmd !== null) handler(cmd as Command);
  });
  rl.on('close', () => process.exit(0));
}

/** Datagram header: magic + sequence number, so receivers ignore strays and can compute loss. */
const DATAGRAM_MAGIC = 0x51534d42;
export const HEADER_BYTES = 8;

/** Payload layout shared by the raw UDP and NATS helpers: magic, seq, send time (float64). */
const STAMP_OFFSET = 8;
const STAMPED_BYTES = 16;

/** performance.timeOrigin + performance.now(): a wall clock with sub-ms resolution that
 * processes and browser pages on one machine share. */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

/** A message buffer of `size` (≥ HEADER_BYTES) bytes with the magic in place. */
export function newDatagram(size: number): Buffer {
  const buf = Buffer.alloc(size);
  buf.writeUInt32LE(DATAGRAM_MAGIC, 0);
  return buf;
}

/** Writes the sequence number and, where the message has room, the send time. */
export function stampDatagram(buf: Buffer, seq: number): void {
  buf.writeUInt32LE(seq >>> 0, 4);
  if (buf.length >= STAMPED_BYTES) buf.writeDoubleLE(wallClockMs(), STAMP_OFFSET);
}

/**
 * Calls `sendOne` `perSecond` times a second (checked every millisecond) while `current()`
 * holds. After a stall (GC, descheduling) it does not burst to catch up more than 20 ms worth.
 * A burst also stops once `canSend()` is false (a full send queue); the rest is due later.
 */
export function pacedPump(
  current: () => boolean,
  perSecond: number,
  sendOne: () => void,
  canSend: () => boolean = () => true,
): void {
  let t0 = performance.now();
  let sentSinceT0 = 0;
  const tick = (): void => {
    if (!current()) return;
    const now = performance.now();
    let due = Math.floor(((now - t0) / 1000) * perSecond) - sentSinceT0;
    const maxBurst = Math.max(1, Math.ceil(perSecond / 50));
    if (due > maxBurst) {
      t0 = now - (maxBurst / perSecond) * 1000;
      sentSinceT0 = 0;
      due = maxBurst;
    }
    for (let i = 0; i < due && canSend(); i++) {
      sendOne();
      sentSinceT0++;
    }
    setTimeout(tick, 1);
  };
  tick();
}

/** What a baseline receiver (raw UDP, NATS) counts for the runner's `mark`s: messages with the
 * datagram header (seq gives loss, the send stamp latency); anything else is a stray. */
export class ReceiveCounts {
  private msgs = 0;
  private bytes = 0;
  private maxSeq = -1;
  private stray = 0;
  private readonly latency = new LatencyWindow();

  /** Called per message: reads the Buffer in place (no view object per message). */
  add(data: Buffer): void {
    if (data.length < HEADER_BYTES || data.readUInt32LE(0) !== DATAGRAM_MAGIC) {
      this.stray++;
      return;
    }
    this.msgs++;
    this.bytes += data.length;
    const seq = data.readUInt32LE(4);
    if (seq > this.maxSeq) this.maxSeq = seq;
    if (data.length >= STAMPED_BYTES) this.latency.add(data.readDoubleLE(STAMP_OFFSET));
  }

  /** The counters so far and the latency since the previous mark. */
  mark(): Record<string, unknown> {
    const { msgs, bytes, maxSeq, stray } = this;
    return { msgs, bytes, maxSeq, stray, latency: this.latency.take() };
  }
}

/** Latency samples between two marks; `take()` returns their summary and starts afresh. */
class LatencyWindow {
  private samples: number[] = [];

  add(sentAt: number): void {
    if (this.samples.length < 2_000_000) this.samples.push(wallClockMs() - sentAt);
  }

  take(): Record<string, number> {
    const s = Float64Array.from(this.samples).sort();
    this.samples = [];
    const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
    return { n: s.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: s[s.length - 1] ?? 0 };
  }
}
