// Test helpers: free ports, payloads that carry (sender index, group, index) so receivers can
// check FIFO and exactly-once, and a checker.

import dgram from 'node:dgram';

export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** RAMP[j] = j & 0xff: filler is copied and compared in chunks, not byte by byte (benchmarks
 * generate and check tens of thousands of payloads a second). */
const RAMP = Buffer.from(Array.from({ length: 512 }, (_, j) => j & 0xff));

/** Payload: u32 index, then `size - 4` filler bytes (at least 4 bytes total); byte k of the
 * filler is (index + k) & 0xff. Its own ArrayBuffer (callers may use `.buffer`). */
export function payload(index: number, size: number): Uint8Array {
  const b = new Uint8Array(Math.max(4, size));
  new DataView(b.buffer).setUint32(0, index);
  for (let i = 4; i < b.length; i += 256) {
    const off = (index + i) & 0xff;
    b.set(RAMP.subarray(off, off + Math.min(256, b.length - i)), i);
  }
  return b;
}

/** Whether bytes from `from` on are the filler of message `index`. */
function fillerOk(data: Uint8Array, index: number, from: number): boolean {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (let i = from; i < buf.length; i += 256) {
    const off = (index + i) & 0xff;
    const n = Math.min(256, buf.length - i);
    if (buf.compare(RAMP, off, off + n, i, i + n) !== 0) return false;
  }
  return true;
}

export function indexOf(data: Uint8Array): number {
  if (data.length < 4) return -1;
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0);
}

/** Tracks per-(group, sender) delivery: counts, FIFO violations, duplicates, corrupted payloads. */
export class DeliveryCheck {
  readonly next = new Map<string, number>();
  readonly counts = new Map<string, number>();
  /** Index below the next expected one: a duplicate or a reordering (never allowed). */
  fifoViolations = 0;
  duplicates = 0;
  /** Index above the next expected one: skipped messages (allowed only across views that
   * excluded this node, e.g. while a restarted GMS re-registers members). */
  gaps = 0;
  corrupt = 0;
  /** First index expected per stream (late joiners start wherever the stream is). */
  constructor(private readonly strictStart = true) {}

  add(group: string, sender: string, data: Uint8Array): void {
    const key = `${group}|${sender}`;
    const i = indexOf(data);
    if (!fillerOk(data, i, 4)) {
      this.corrupt++;
      return;
    }
    const expected = this.next.get(key);
    if (expected === undefined) {
      if (this.strictStart && i !== 0) this.gaps++;
    } else if (i < expected) {
      this.duplicates++;
      this.fifoViolations++;
    } else if (i > expected) this.gaps++;
    this.next.set(key, Math.max(expected ?? 0, i + 1));
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  summary(): Record<string, unknown> {
    return {
      counts: Object.fromEntries(this.counts),
      /** Per stream: one past the highest index delivered. */
      next: Object.fromEntries(this.next),
      fifoViolations: this.fifoViolations,
      duplicates: this.duplicates,
      gaps: this.gaps,
      corrupt: this.corrupt,
    };
  }
}

export async function until(cond: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return cond();
}
