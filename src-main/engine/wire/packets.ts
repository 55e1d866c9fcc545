// Datagram formats. Every datagram: magic "QS" (u16), version (u8), type (u8), CRC-32 (u32)
// of everything after the CRC, sender node id (short string), then a type-specific body.
// Data and repair datagrams pack several messages of one (sender, region view) (packer.ts).
// Big-endian throughout. decode() validates structure and plausibility and never throws.

import { crc32 } from './crc32';
import { Reader, WireError, Writer } from './buffer';
import { DataPacker } from './packer';

export const MAGIC = 0x5153;
export const VERSION = 4;
/** Largest datagram we send or accept (below the 65 507-byte UDP limit). */
export const MAX_DATAGRAM = 65_000;
/** Sequence numbers are u32 but anything above 2^31 is treated as forged. */
export const MAX_SEQ = 0x7fffffff;
/** Largest span of a NAK range or token bitmap: keeps one packet from describing absurd gaps. */
export const MAX_SPAN = 1 << 16;
/** Bits of a predecessor's receive bitmap carried in a token record. */
export const MAX_BITMAP_BITS = 8192;
const MAX_RANGES = 256;
const MAX_RECORDS = 1024;
const MAX_PARTITIONS = 255;
/** Group indices beyond any region's group count are forged (the GMS caps groups per node). */
export const MAX_GROUP_INDEX = 0xfffff;

export const enum PacketType {
  Data = 1,
  Token = 2,
  Nak = 3,
  Repair = 4,
  MaxContiguous = 5,
}

/** One application message as carried in a data or repair datagram. */
export interface DataMsg {
  /** Per-(sender, region, region view) sequence number: what recovery works on. */
  readonly seq: number;
  /** The group's index in its region's group list. A region's id is a hash of its sorted
   * group set (gms/regions.ts), so the list is the same in every view of the region at every
   * member: one number per message instead of a name to decode and look up. */
  readonly gi: number;
  /** Per-(sender, group) sequence number: what delivery orders on. */
  readonly groupSeq: number;
  readonly payload: Uint8Array;
}

/** A message decoded from a datagram. The payload view is made on access: a stored message
 * is then one small object instead of an object plus a typed array, which receivers keep for
 * a round or two (until stable) and which the old-generation GC then has to trace. */
export class WireMsg implements DataMsg {
  constructor(
    readonly seq: number,
    readonly gi: number,
    readonly groupSeq: number,
    private readonly datagram: Uint8Array,
    private readonly at: number,
    readonly payloadLength: number,
  ) {}

  get payload(): Uint8Array {
    return new Uint8Array(this.datagram.buffer, this.datagram.byteOffset + this.at, this.payloadLength);
  }
}

/** A message's payload size, without making a view of a decoded message's payload. */
export function payloadSize(m: DataMsg): number {
  return m instanceof WireMsg ? m.payloadLength : m.payload.length;
}

/** A single message with its region view (tests, and the one-message encoder). */
export interface DataBody extends DataMsg {
  readonly region: string;
  readonly viewId: number;
  readonly inc: number;
}

/** A data or repair datagram: messages of one original sender in one region view. */
export interface DataPacket {
  readonly type: PacketType.Data | PacketType.Repair;
  /** The original sender (also for repairs, which any member may send). */
  readonly sender: string;
  readonly region: string;
  readonly viewId: number;
  /** The sender's stream incarnation in this region view (see StreamIncarnation below). */
  readonly inc: number;
  readonly msgs: readonly DataMsg[];
}

/** Inclusive range of sequence numbers. */
export interface SeqRange {
  readonly from: number;
  readonly to: number;
}

/** Record flags: the region leader holds the sender quiet; the sender is gone and the
 * record is about the orphan stream its survivors complete (region/orphans.ts). */
export const RECORD_QUIET = 1;
export const RECORD_ORPHAN = 2;

// Stream incarnation: a sender numbers its messages per region view, and a sender that the
// GMS excluded (say, after a long event-loop stall) and re-admitted may find the very same
// region view again and start numbering from 1. Every datagram that talks about a sender's
// stream (data, repairs, token records, NAKs, MaxContiguous) therefore carries the stream's
// incarnation, a number the sender raises each time it starts a stream. Receivers replace a
// stream when a higher incarnation shows up and ignore anything about a lower one.

/** One active sender's recovery record as carried by a token. */
export interface TokenRecord {
  readonly sender: string;
  /** Incarnation of the sender's stream the record is about. */
  readonly inc: number;
  /** Highest sequence number any visited member has seen. */
  maxSeen: number;
  /** The forwarding member's contiguous prefix (all <= prevContig received). */
  prevContig: number;
  /** Bit i set: the forwarding member holds prevContig + 1 + i. */
  prevBits: Uint8Array;
  prevBitCount: number;
  /** Aggregate "received by all visited": min over visited members' prefixes. */
  allContig: number;
  /** Aggregate "lost by all visited" (only below maxSeen). */
  lost: SeqRange[];
  /** Highest n stable in the whole region as of the previous region round. */
  stable: number;
  /** Per partition: prefix received by every member, as of the previous region round. */
  partContig: number[];
  flags: number;
}

export const enum TokenLevel {
  Partition = 0,
  Region = 1,
}

export interface TokenPacket {
  readonly type: PacketType.Token;
  readonly sender: string;
  readonly region: string;
  readonly viewId: number;
  readonly round: number;
  readonly level: TokenLevel;
  readonly partition: number;
  readonly records: TokenRecord[];
}

export const NAK_PARTITION_WIDE = 1;

export interface NakPacket {
  readonly type: PacketType.Nak;
  readonly sender: string;
  readonly region: string;
  readonly viewId: number;
  /** Whose messages are missing. */
  readonly origin: string;
  /** Incarnation of the origin's stream. */
  readonly inc: number;
  readonly ranges: SeqRange[];
  readonly flags: number;
}

export interface MaxContiguousPacket {
  readonly type: PacketType.MaxContiguous;
  readonly sender: string;
  readonly region: string;
  readonly viewId: number;
  /** Sender the report is about (the destination). */
  readonly origin: string;
  /** Incarnation of the origin's stream. */
  readonly inc: number;
  readonly maxContiguous: number;
  readonly round: number;
}

export type Packet = DataPacket | TokenPacket | NakPacket | MaxContiguousPacket;

export type DecodeResult = { ok: true; packet: Packet } | { ok: false; reason: string };

/** Bytes before the checksummed part: magic, version, type, CRC. */
export const HEADER = 8;

function begin(type: PacketType, sender: string, size: number): Writer {
  const w = new Writer(size);
  w.u16(MAGIC).u8(VERSION).u8(type).u32(0).str(sender);
  return w;
}

function finish(w: Writer): Uint8Array {
  const out = w.view();
  w.patchU32(4, crc32(out, HEADER));
  if (out.length > MAX_DATAGRAM) throw new Error(`datagram of ${out.length} bytes exceeds ${MAX_DATAGRAM}`);
  return out;
}

/** One message in one datagram (tests and tools; the engine packs with DataPacker). */
export function encodeData(
  type: PacketType.Data | PacketType.Repair,
  sender: string,
  d: DataBody,
): Uint8Array {
  const p = new DataPacker(MAX_DATAGRAM);
  p.begin(type, sender, d.region, d.viewId, d.inc);
  p.add(d.seq, d.gi, d.groupSeq, d.payload);
  return p.finish();
}

function writeRanges(w: Writer, ranges: readonly SeqRange[]): void {
  w.u16(ranges.length);
  for (const r of ranges) w.u32(r.from).u32(r.to);
}

export function encodeToken(t: Omit<TokenPacket, 'type'>): Uint8Array {
  const w = begin(PacketType.Token, t.sender, 256 + t.records.length * 64);
  w.str(t.region).u53(t.viewId).u32(t.round).u8(t.level).u16(t.partition).u16(t.records.length);
  for (const r of t.records) {
    w.str(r.sender).u32(r.inc).u32(r.maxSeen).u32(r.prevContig).u16(r.prevBitCount);
    const nbytes = (r.prevBitCount + 7) >>> 3;
    for (let i = 0; i < nbytes; i++) w.u8(r.prevBits[i] ?? 0);
    w.u32(r.allContig);
    writeRanges(w, r.lost.slice(0, MAX_RANGES));
    w.u32(r.stable).u8(r.partContig.length);
    for (const p of r.partContig) w.u32(p);
    w.u8(r.flags);
  }
  return finish(w);
}

export function encodeNak(n: Omit<NakPacket, 'type'>): Uint8Array {
  const w = begin(PacketType.Nak, n.sender, 64 + n.ranges.length * 8);
  w.str(n.region).u53(n.viewId).str(n.origin).u32(n.inc);
  writeRanges(w, n.ranges.slice(0, MAX_RANGES));
  w.u8(n.flags);
  return finish(w);
}

export function encodeMaxContiguous(m: Omit<MaxContiguousPacket, 'type'>): Uint8Array {
  const w = begin(PacketType.MaxContiguous, m.sender, 96);
  w.str(m.region).u53(m.viewId).str(m.origin).u32(m.inc).u32(m.maxContiguous).u32(m.round);
  return finish(w);
}

function seq(r: Reader, allowZero: boolean): number {
  const v = r.u32();
  if (v > MAX_SEQ || (!allowZero && v === 0)) throw new WireError('absurd-seq');
  return v;
}

function incarnation(r: Reader): number {
  const v = r.u32();
  if (v === 0 || v > MAX_SEQ) throw new WireError('bad-incarnation');
  return v;
}

function readRanges(r: Reader): SeqRange[] {
  const n = r.u16();
  if (n > MAX_RANGES) throw new WireError('too-many-ranges');
  const out: SeqRange[] = [];
  for (let i = 0; i < n; i++) {
    const from = seq(r, false);
    const to = seq(r, false);
    if (to < from || to - from >= MAX_SPAN) throw new WireError('bad-range');
    out.push({ from, to });
  }
  return out;
}

function decodeBody(type: number, sender: string, r: Reader, buf: Uint8Array): Packet {
  switch (type) {
    case PacketType.Data:
    case PacketType.Repair: {
      const region = r.str();
      const viewId = r.u53();
      const inc = incarnation(r);
      const count = r.u16();
      if (count === 0) throw new WireError('no-messages');
      const msgs: DataMsg[] = new Array<DataMsg>(count);
      let last = 0;
      for (let i = 0; i < count; i++) {
        const s = seq(r, false);
        // Ascending within a datagram: a packer never repeats or reorders.
        if (s <= last) throw new WireError('bad-seq-order');
        last = s;
        const gi = r.u32();
        if (gi > MAX_GROUP_INDEX) throw new WireError('bad-group-index');
        const groupSeq = seq(r, false);
        const n = r.u32();
        if (n > MAX_DATAGRAM) throw new WireError('oversized');
        msgs[i] = new WireMsg(s, gi, groupSeq, buf, r.skip(n), n);
      }
      return { type, sender, region, viewId, inc, msgs };
    }
    case PacketType.Token: {
      const region = r.str();
      const viewId = r.u53();
      const round = r.u32();
      const level = r.u8();
      if (level !== TokenLevel.Partition && level !== TokenLevel.Region)
        throw new WireError('bad-token-level');
      const partition = r.u16();
      const count = r.u16();
      if (count > MAX_RECORDS) throw new WireError('too-many-records');
      const records: TokenRecord[] = [];
      for (let i = 0; i < count; i++) {
        const rs = r.str();
        const inc = incarnation(r);
        const maxSeen = seq(r, true);
        const prevContig = seq(r, true);
        const prevBitCount = r.u16();
        if (prevBitCount > MAX_BITMAP_BITS) throw new WireError('bad-bitmap');
        const nbytes = (prevBitCount + 7) >>> 3;
        const prevBits = new Uint8Array(nbytes);
        for (let j = 0; j < nbytes; j++) prevBits[j] = r.u8();
        const allContig = seq(r, true);
        const lost = readRanges(r);
        const stable = seq(r, true);
        const np = r.u8();
        if (np > MAX_PARTITIONS) throw new WireError('bad-partitions');
        const partContig: number[] = [];
        for (let j = 0; j < np; j++) partContig.push(seq(r, true));
        const flags = r.u8();
        // No bound on maxSeen - allContig: a record a partition adds for a sender the region
        // token lacked claims nothing stable yet (allContig 0) whatever the stream's length.
        if (allContig > maxSeen || prevContig > maxSeen) {
          throw new WireError('inconsistent-record');
        }
        records.push({
          sender: rs,
          inc,
          maxSeen,
          prevContig,
          prevBits,
          prevBitCount,
          allContig,
          lost,
          stable,
          partContig,
          flags,
        });
      }
      return { type, sender, region, viewId, round, level, partition, records };
    }
    case PacketType.Nak: {
      const region = r.str();
      const viewId = r.u53();
      const origin = r.str();
      const inc = incarnation(r);
      const ranges = readRanges(r);
      const flags = r.u8();
      return { type, sender, region, viewId, origin, inc, ranges, flags };
    }
    case PacketType.MaxContiguous: {
      const region = r.str();
      const viewId = r.u53();
      const origin = r.str();
      const inc = incarnation(r);
      const maxContiguous = seq(r, true);
      const round = r.u32();
      return { type, sender, region, viewId, origin, inc, maxContiguous, round };
    }
    default:
      throw new WireError('unknown-type');
  }
}

/** Parses one datagram. Failures carry a short reason used as a stats key. */
export function decode(buf: Uint8Array): DecodeResult {
  if (buf.length > MAX_DATAGRAM) return { ok: false, reason: 'oversized' };
  if (buf.length < HEADER + 2) return { ok: false, reason: 'truncated' };
  try {
    const r = new Reader(buf);
    if (r.u16() !== MAGIC) return { ok: false, reason: 'bad-magic' };
    if (r.u8() !== VERSION) return { ok: false, reason: 'bad-version' };
    const type = r.u8();
    const crc = r.u32();
    if (crc32(buf, HEADER) !== crc) return { ok: false, reason: 'bad-checksum' };
    const sender = r.str();
    const packet = decodeBody(type, sender, r, buf);
    if (r.remaining !== 0) return { ok: false, reason: 'trailing-bytes' };
    return { ok: true, packet };
  } catch (e) {
    return { ok: false, reason: e instanceof WireError ? e.reason : 'malformed' };
  }
}
