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
export const DATAGRAM_MAGIC = 0x51534d42;
export const HEADER_BYTES = 8;

/** Payload layout shared by the raw UDP and NATS helpers: magic, seq, send time (float64). */
export const STAMP_OFFSET = 8;
export const STAMPED_BYTES = 16;

/** performance.timeOrigin + performance.now(): a wall clock with sub-ms resolution that
 * processes on one machine share. */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

/** Latency samples between two marks; `take()` returns their summary and starts afresh. */
export class LatencyWindow {
  private samples: number[] = [];

  add(buf: Uint8Array): void {
    if (buf.length < STAMPED_BYTES || this.samples.length >= 2_000_000) return;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.samples.push(wallClockMs() - view.getFloat64(STAMP_OFFSET, true));
  }

  take(): Record<string, number> {
    const s = Float64Array.from(this.samples).sort();
    this.samples = [];
    const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
    return { n: s.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: s[s.length - 1] ?? 0 };
  }
}
