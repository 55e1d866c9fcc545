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

/** RAMP[j] = j & 0xff, long enough for any payload's filler at any offset: filler is written
 * and checked with one copy / one compare (benchmarks generate and check tens of thousands of
 * payloads a second). */
const RAMP_BYTES = 65_536 + 256;
const RAMP = Buffer.from(Array.from({ length: RAMP_BYTES }, (_, j) => j & 0xff));

/** Payload: u32 index, then `size - 4` filler bytes (at least 4 bytes total); byte k of the
 * filler is (index + k) & 0xff. Its own ArrayBuffer (callers may use `.buffer`). */
export function payload(index: number, size: number): Uint8Array {
  return writePayload(new Uint8Array(Math.max(4, size)), index);
}

/** Overwrites `b` (at least 4 bytes) with message `index`'s payload, in place: a sender whose
 * send() copies can reuse one buffer. */
export function writePayload(b: Uint8Array, index: number): Uint8Array {
  // Big-endian u32, written bytewise (no DataView per message).
  b[0] = index >>> 24;
  b[1] = index >>> 16;
  b[2] = index >>> 8;
  b[3] = index;
  b.set(fillerView((index + 4) & 0xff, b.length - 4), 4);
  return b;
}

/** Views of RAMP for one filler length, made once per offset: a sender writing one payload
 * size makes no view per message (a per-message view was a measurable share of the
 * benchmark sender's allocation, and so of its GC). */
let viewsLength = -1;
let views: Buffer[] = [];
function fillerView(off: number, length: number): Buffer {
  if (length !== viewsLength) {
    viewsLength = length;
    views = [];
  }
  return (views[off] ??= RAMP.subarray(off, off + length));
}

/** Whether bytes from `from` on are the filler of message `index`. */
function fillerOk(data: Uint8Array, index: number, from: number): boolean {
  const n = data.length - from;
  if (n <= 0) return true;
  if (n > RAMP_BYTES - 256) return false;
  const off = (index + from) & 0xff;
  // RAMP.compare takes `data` as it is: no view of it per message.
  return RAMP.compare(data, from, data.length, off, off + n) === 0;
}

export function indexOf(data: Uint8Array): number {
  if (data.length < 4) return -1;
  return ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
}

interface StreamCheck {
  /** One past the highest index delivered. */
  next: number;
  count: number;
}

/** A group's streams: the first sender's inline (most groups have one), others in a map, so
 * a message costs one lookup by group name (benchmarks deliver to 10 000 groups round-robin). */
interface GroupChecks extends StreamCheck {
  readonly sender: string;
  others: Map<string, StreamCheck> | undefined;
}

/** Tracks per-(group, sender) delivery: counts, FIFO violations, duplicates, corrupted payloads. */
export class DeliveryCheck {
  private readonly streams = new Map<string, GroupChecks>();
  /** The stream of the previous add(): consecutive messages usually share it, and a hit
   * skips building the key. */
  private lastGroup = '';
  private lastSender = '';
  private lastStream: StreamCheck | undefined;
  /** Index below the next expected one: a duplicate or a reordering (never allowed). */
  fifoViolations = 0;
  duplicates = 0;
  /** Index above the next expected one: skipped messages (allowed only across views that
   * excluded this node, e.g. while a restarted GMS re-registers members). */
  gaps = 0;
  corrupt = 0;
  /** First index expected per stream (late joiners start wherever the stream is). */
  constructor(private readonly strictStart = true) {}

  /** Messages delivered per stream (`group|sender`). */
  get counts(): Map<string, number> {
    return this.perStream((s) => s.count);
  }
  /** Per stream: one past the highest index delivered. */
  get next(): Map<string, number> {
    return this.perStream((s) => s.next);
  }

  private perStream(f: (s: StreamCheck) => number): Map<string, number> {
    const out = new Map<string, number>();
    for (const [group, g] of this.streams) {
      out.set(`${group}|${g.sender}`, f(g));
      for (const [sender, s] of g.others ?? []) out.set(`${group}|${sender}`, f(s));
    }
    return out;
  }

  /** `fillerFrom`: where the filler to check starts (after a prefix the sender overwrote). */
  add(group: string, sender: string, data: Uint8Array, fillerFrom = 4): void {
    const i = this.intact(data, fillerFrom);
    if (i === undefined) return;
    let st = this.lastStream;
    if (!st || group !== this.lastGroup || sender !== this.lastSender) {
      st = this.streamOf(group, sender);
      this.lastGroup = group;
      this.lastSender = sender;
      this.lastStream = st;
    }
    this.record(st, i);
  }

  /** A checker for one group's messages, for a per-group handler (QsmNode.onGroupMessage):
   * no lookup by group name per message. Counts go to this DeliveryCheck. */
  forGroup(group: string): (sender: string, data: Uint8Array, fillerFrom?: number) => void {
    let g: GroupChecks | undefined;
    return (sender, data, fillerFrom = 4) => {
      const i = this.intact(data, fillerFrom);
      if (i === undefined) return;
      g ??= this.groupChecks(group, sender);
      this.record(this.streamIn(g, sender), i);
    };
  }

  /** The payload's index, or undefined (and counted corrupt) if its filler is wrong. */
  private intact(data: Uint8Array, fillerFrom: number): number | undefined {
    const i = indexOf(data);
    if (fillerOk(data, i, fillerFrom)) return i;
    this.corrupt++;
    return undefined;
  }

  private record(st: StreamCheck, i: number): void {
    if (st.next < 0) {
      if (this.strictStart && i !== 0) this.gaps++;
    } else if (i < st.next) {
      this.duplicates++;
      this.fifoViolations++;
    } else if (i > st.next) this.gaps++;
    st.next = Math.max(st.next, i + 1);
    st.count++;
  }

  private streamOf(group: string, sender: string): StreamCheck {
    return this.streamIn(this.groupChecks(group, sender), sender);
  }

  /** The group's checks; a new group's first stream is `sender`'s. */
  private groupChecks(group: string, sender: string): GroupChecks {
    let g = this.streams.get(group);
    if (!g) this.streams.set(group, (g = { sender, next: -1, count: 0, others: undefined }));
    return g;
  }

  private streamIn(g: GroupChecks, sender: string): StreamCheck {
    if (g.sender === sender) return g;
    let st = (g.others ??= new Map()).get(sender);
    if (!st) g.others.set(sender, (st = { next: -1, count: 0 }));
    return st;
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
