// Builds data and repair datagrams that pack several messages of one (sender, region view):
//   header (magic, version, type, CRC, sender) | region | view id (u53) | incarnation (u32) |
//   count (u16) |
//   count × [seq u32 | group index u32 | group seq u32 | length u32 | payload]
// The group index points into the region's sorted group list (DataMsg.gi in packets.ts).
// Messages are referenced, not copied, until finish() writes the datagram into one exactly
// sized buffer: one allocation and one checksum per datagram instead of per message.

import { strBytes } from './buffer';
import { crc32 } from './crc32';
import { HEADER, MAGIC, MAX_DATAGRAM, VERSION, type PacketType } from './packets';
import { allocBuffer } from './slab';
import type { DatagramPool } from './datagram-pool';

/** Per-message bytes besides the payload: seq, group index, group seq, length (u32 each). */
const MSG_OVERHEAD = 16;
const MAX_MSGS = 0xffff;

export class DataPacker {
  private type = 0;
  private sender: Uint8Array = new Uint8Array(0);
  private region: Uint8Array = new Uint8Array(0);
  private viewId = 0;
  private inc = 0;
  private readonly seqs: number[] = [];
  private readonly gis: number[] = [];
  private readonly groupSeqs: number[] = [];
  private readonly payloads: Uint8Array[] = [];
  /** Where in its `payloads` entry each payload starts, and its length (addFrom). */
  private readonly offs: number[] = [];
  private readonly lens: number[] = [];
  private size = 0;

  /** `limit`: datagram size to pack up to; a single larger message still gets its own.
   * `pool`: where finish() takes datagram buffers from (the caller gives them back). */
  constructor(
    private readonly limit: number,
    private readonly pool?: DatagramPool,
  ) {}

  get count(): number {
    return this.seqs.length;
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
    this.clear();
    // header + sender + region + view id + incarnation + count
    this.size = HEADER + 1 + this.sender.length + 1 + this.region.length + 8 + 4 + 2;
  }

  /** Whether one more message fits (the first one always does, up to MAX_DATAGRAM). */
  fits(payloadLength: number): boolean {
    if (this.seqs.length >= MAX_MSGS) return false;
    const limit = this.seqs.length === 0 ? MAX_DATAGRAM : this.limit;
    return this.size + MSG_OVERHEAD + payloadLength <= limit;
  }

  /** Adds a message; sequence numbers must ascend. Check fits() first. */
  add(seq: number, gi: number, groupSeq: number, payload: Uint8Array): void {
    this.addFrom(seq, gi, groupSeq, payload, 0, payload.length);
  }

  /** As add(), with the payload `len` bytes at `off` in `bytes` (no view made of it). */
  addFrom(seq: number, gi: number, groupSeq: number, bytes: Uint8Array, off: number, len: number): void {
    this.seqs.push(seq);
    this.gis.push(gi);
    this.groupSeqs.push(groupSeq);
    this.payloads.push(bytes);
    this.offs.push(off);
    this.lens.push(len);
    this.size += MSG_OVERHEAD + len;
  }

  private clear(): void {
    this.seqs.length = this.gis.length = this.groupSeqs.length = 0;
    this.payloads.length = this.offs.length = this.lens.length = 0;
  }

  /** Writes the datagram into a fresh buffer (handed to the socket) and resets. */
  finish(): Buffer {
    const n = this.seqs.length;
    if (n === 0) throw new Error('empty data packet');
    if (this.size > MAX_DATAGRAM) throw new Error(`datagram of ${this.size} bytes exceeds ${MAX_DATAGRAM}`);
    const b = this.pool?.take(this.size) ?? allocBuffer(this.size);
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
    for (let i = 0; i < n; i++) {
      const src = this.payloads[i]!;
      const off = this.offs[i]!;
      const len = this.lens[i]!;
      b.writeUInt32BE(this.seqs[i]!, p);
      b.writeUInt32BE(this.gis[i]!, p + 4);
      b.writeUInt32BE(this.groupSeqs[i]!, p + 8);
      b.writeUInt32BE(len, p + 12);
      if (off === 0 && len === src.length) b.set(src, p + MSG_OVERHEAD);
      else if (src instanceof Buffer) src.copy(b, p + MSG_OVERHEAD, off, off + len);
      else b.set(src.subarray(off, off + len), p + MSG_OVERHEAD);
      p += MSG_OVERHEAD + len;
    }
    b.writeUInt32BE(crc32(b, HEADER, p), 4);
    this.clear();
    return b;
  }
}

function putStr(b: Buffer, p: number, s: Uint8Array): number {
  b[p] = s.length;
  b.set(s, p + 1);
  return p + 1 + s.length;
}
