// Builds data and repair datagrams that pack several messages of one (sender, region view):
//   header (magic, version, type, CRC, sender) | region | view id (u53) | incarnation (u32) |
//   count (u16) |
//   count × [seq u32 | group index u32 | group seq u32 | fragment bits + length u32 | payload]
// The group index points into the region's sorted group list (DataMsg.gi in packets.ts); the
// top two bits of the length say whether the message is a fragment (DataMsg.frag).
// Messages are referenced, not copied, until finish() writes the datagram into one exactly
// sized buffer: one allocation and one checksum per datagram instead of per message. With a
// sealer the buffer has room for the authentication trailer, written in place (auth.ts).

import { strBytes } from './buffer';
import { crc32 } from './crc32';
import {
  HEADER,
  lengthField,
  MAGIC,
  MAX_DATAGRAM,
  MSG_OVERHEAD,
  VERSION,
  WireMsg,
  type PacketType,
} from './packets';
import { allocBuffer } from './slab';
import type { DatagramSealer } from './auth';
import type { DatagramPool } from './datagram-pool';

const MAX_MSGS = 0xffff;

/** Per-message columns of a datagram being packed: typed arrays reused from datagram to
 * datagram (emptying plain arrays with `length = 0` dropped their storage, so every datagram
 * regrew six of them: an eighth of a sender's garbage, in allocation sampling). */
class Columns {
  seq: Uint32Array;
  gi: Uint32Array;
  groupSeq: Uint32Array;
  /** Where in its `payloads` entry each payload starts, and its length (addFrom). */
  off: Uint32Array;
  len: Uint32Array;
  /** Where finish() wrote each payload in the datagram (messagesIn). */
  at: Uint32Array;
  /** Fragment bits (DataMsg.frag). */
  frag: Uint8Array;
  constructor(readonly capacity: number) {
    this.seq = new Uint32Array(capacity);
    this.gi = new Uint32Array(capacity);
    this.groupSeq = new Uint32Array(capacity);
    this.off = new Uint32Array(capacity);
    this.len = new Uint32Array(capacity);
    this.at = new Uint32Array(capacity);
    this.frag = new Uint8Array(capacity);
  }

  grown(): Columns {
    const c = new Columns(Math.min(MAX_MSGS, this.capacity * 2));
    for (const k of ['seq', 'gi', 'groupSeq', 'off', 'len', 'at', 'frag'] as const) c[k].set(this[k]);
    return c;
  }
}

export class DataPacker {
  private type = 0;
  private sender: Uint8Array = new Uint8Array(0);
  private region: Uint8Array = new Uint8Array(0);
  private viewId = 0;
  private inc = 0;
  private n = 0;
  private cols = new Columns(64);
  private readonly payloads: (Uint8Array | undefined)[] = [];
  private size = 0;
  /** finish() ran since begin(): the payloads were let go of. */
  private finished = false;
  /** Bytes the sealer adds to each datagram. */
  private readonly reserve: number;
  private readonly limit: number;

  /** `limit`: datagram size to pack up to, authentication included; a single larger message
   * still gets its own. `pool`: where finish() takes datagram buffers from (the caller gives
   * them back). `sealer`: authenticates each datagram (else a CRC-32 checks it). */
  constructor(
    limit: number,
    private readonly pool?: DatagramPool,
    private readonly sealer?: DatagramSealer,
  ) {
    this.reserve = sealer?.trailerBytes ?? 0;
    this.limit = limit - this.reserve;
  }

  /** Messages added since begin(). */
  get count(): number {
    return this.n;
  }
  get bytes(): number {
    return this.size;
  }

  begin(
    type: PacketType.Data | PacketType.Repair,
    sender: string,
    region: string,
    viewId: number,
    inc: number,
  ): void {
    this.type = type;
    this.inc = inc;
    this.sender = strBytes(sender);
    this.region = strBytes(region);
    this.viewId = viewId;
    this.n = 0;
    this.finished = false;
    // header + sender + region + view id + incarnation + count
    this.size = HEADER + 1 + this.sender.length + 1 + this.region.length + 8 + 4 + 2;
  }

  /** Whether one more message fits (the first one always does, up to MAX_DATAGRAM). */
  fits(payloadLength: number): boolean {
    if (this.n >= MAX_MSGS) return false;
    const limit = this.n === 0 ? MAX_DATAGRAM - this.reserve : this.limit;
    return this.size + MSG_OVERHEAD + payloadLength <= limit;
  }

  /** Adds a message (or fragment: `frag`, DataMsg.frag); sequence numbers must ascend. Check
   * fits() first. */
  add(seq: number, gi: number, groupSeq: number, payload: Uint8Array, frag = 0): void {
    this.addFrom(seq, gi, groupSeq, payload, 0, payload.length, frag);
  }

  /** As add(), with the payload `len` bytes at `off` in `bytes` (no view made of it). */
  addFrom(
    seq: number,
    gi: number,
    groupSeq: number,
    bytes: Uint8Array,
    off: number,
    len: number,
    frag = 0,
  ): void {
    const i = this.n++;
    if (i === this.cols.capacity) this.cols = this.cols.grown();
    const c = this.cols;
    c.seq[i] = seq;
    c.gi[i] = gi;
    c.groupSeq[i] = groupSeq;
    c.off[i] = off;
    c.len[i] = len;
    c.frag[i] = frag;
    this.payloads[i] = bytes;
    this.size += MSG_OVERHEAD + len;
  }

  /** The messages of the datagram finish() wrote last (until the next begin()), decoded from
   * `copy`, a byte-for-byte copy of it: a sender delivers its own messages from one copy per
   * datagram instead of one per message. */
  messagesIn(copy: Uint8Array): WireMsg[] {
    const { n, cols: c } = this;
    const msgs = new Array<WireMsg>(n);
    for (let i = 0; i < n; i++) {
      msgs[i] = new WireMsg(c.seq[i]!, c.gi[i]!, c.groupSeq[i]!, copy, c.at[i]!, c.len[i]!, c.frag[i]!);
    }
    return msgs;
  }

  /** Writes the datagram into a buffer (handed to the socket). The messages stay readable
   * through messagesIn() until the next begin(). */
  finish(): Buffer {
    const n = this.n;
    if (n === 0) throw new Error('empty data packet');
    if (this.finished) throw new Error('datagram already finished: begin() the next one');
    this.finished = true;
    const total = this.size + this.reserve;
    if (total > MAX_DATAGRAM) throw new Error(`datagram of ${total} bytes exceeds ${MAX_DATAGRAM}`);
    const b = this.pool?.take(total) ?? allocBuffer(total);
    b.writeUInt16BE(MAGIC, 0);
    b[2] = VERSION;
    b[3] = this.type;
    let p = HEADER;
    p = putStr(b, p, this.sender);
    p = putStr(b, p, this.region);
    b.writeUInt32BE(Math.floor(this.viewId / 0x100000000), p);
    b.writeUInt32BE(this.viewId >>> 0, p + 4);
    b.writeUInt32BE(this.inc, p + 8);
    b.writeUInt16BE(n, p + 12);
    p += 14;
    const c = this.cols;
    for (let i = 0; i < n; i++) {
      const src = this.payloads[i]!;
      const off = c.off[i]!;
      const len = c.len[i]!;
      b.writeUInt32BE(c.seq[i]!, p);
      b.writeUInt32BE(c.gi[i]!, p + 4);
      b.writeUInt32BE(c.groupSeq[i]!, p + 8);
      b.writeUInt32BE(lengthField(len, c.frag[i]!), p + 12);
      c.at[i] = p + MSG_OVERHEAD;
      b.set(off === 0 && len === src.length ? src : src.subarray(off, off + len), p + MSG_OVERHEAD);
      // In the datagram now: let go of the source.
      this.payloads[i] = undefined;
      p += MSG_OVERHEAD + len;
    }
    if (this.sealer) this.sealer.seal(b, p);
    else b.writeUInt32BE(crc32(b, HEADER, p), 4);
    return b;
  }
}

function putStr(b: Buffer, p: number, s: Uint8Array): number {
  b[p] = s.length;
  b.set(s, p + 1);
  return p + 1 + s.length;
}
