// Datagram formats. Every datagram: magic "QS" (u16), version (u8), type (u8), CRC-32 (u32)
// of everything after the CRC, sender node id (short string), then a type-specific body. With
// a packet key the magic is "QA", the CRC's place holds a key id and an authentication trailer
// follows the body (auth.ts).
// Data and repair datagrams pack several messages of one (sender, region view) (packer.ts);
// a message too large for one datagram travels as fragments, and a token or NAK too large
// for one as parts (see the size functions at the end). Big-endian throughout. decode()
// validates structure and plausibility and never throws.

import { crc32 } from './crc32';
import { Reader, WireError, Writer } from './buffer';
import { DataPacker } from './packer';

export const MAGIC = 0x5153;
/** Magic of an authenticated datagram (auth.ts). */
export const AUTH_MAGIC = 0x5141;
export const VERSION = 6;
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
/** A token's records spread over at most this many datagrams (one record each at worst). */
const MAX_TOKEN_PARTS = MAX_RECORDS;
/** Group indices beyond any region's group count are forged (the GMS caps groups per node). */
export const MAX_GROUP_INDEX = 0xfffff;

export const enum PacketType {
  Data = 1,
  Token = 2,
  Nak = 3,
  Repair = 4,
  MaxContiguous = 5,
  /** A node's multicast probe into a region it sends to (transport/chooser.ts). */
  Probe = 6,
  /** A region member tells a node it has not heard that node's probes lately. */
  Unheard = 7,
}

/** DataMsg.frag bits: the message continues in the next seq (more), continues the previous
 * seq's message (cont). A whole message has neither; its fragments are first (more), middle
 * (more | cont) and last (cont). On the wire they are the top two bits of the length. */
export const FRAG_MORE = 1;
export const FRAG_CONT = 2;
const FRAG_SHIFT = 30;
const LENGTH_MASK = (1 << FRAG_SHIFT) - 1;

/** A message length with its fragment bits, as the wire carries it. */
export function lengthField(length: number, frag: number): number {
  return (length | (frag << FRAG_SHIFT)) >>> 0;
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
  /** FRAG_MORE / FRAG_CONT: a fragment of a message larger than a datagram (absent or 0:
   * a whole message). The fragments of one message have consecutive seqs and one groupSeq. */
  readonly frag?: number;
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
    readonly frag: number,
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
  /** A token whose records do not fit one datagram travels as `parts` datagrams, each with
   * some of the records (encodeTokenParts); the receiver acts on it once it has them all. */
  readonly part: number;
  readonly parts: number;
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

/** Multicast by a node into each region it sends to, every probe interval, whatever the
 * region's transport: members that hear it know the node's multicast reaches them. */
export interface ProbePacket {
  readonly type: PacketType.Probe;
  readonly sender: string;
  readonly region: string;
  readonly viewId: number;
  /** The node's probe number (rises by one per interval). */
  readonly seq: number;
}

/** Unicast by a region member to a node whose probes it has not heard lately. */
export interface UnheardPacket {
  readonly type: PacketType.Unheard;
  readonly sender: string;
  readonly region: string;
  /** The node whose probes did not arrive (the destination). */
  readonly origin: string;
  /** The last of its probe numbers heard (0: none). */
  readonly heard: number;
}

export type Packet = DataPacket | TokenPacket | NakPacket | MaxContiguousPacket | ProbePacket | UnheardPacket;

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
  p.add(d.seq, d.gi, d.groupSeq, d.payload, d.frag);
  return p.finish();
}

function writeRanges(w: Writer, ranges: readonly SeqRange[]): void {
  w.u16(ranges.length);
  for (const r of ranges) w.u32(r.from).u32(r.to);
}

/** A token's fields; `part`/`parts` default to a token in one datagram. */
export type TokenFields = Omit<TokenPacket, 'type' | 'part' | 'parts'> &
  Partial<Pick<TokenPacket, 'part' | 'parts'>>;

export function encodeToken(t: TokenFields): Uint8Array {
  const w = begin(PacketType.Token, t.sender, 256 + t.records.length * 64);
  w.str(t.region).u53(t.viewId).u32(t.round).u8(t.level).u16(t.partition);
  w.u16(t.part ?? 0)
    .u16(t.parts ?? 1)
    .u16(t.records.length);
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

export function encodeProbe(p: Omit<ProbePacket, 'type'>): Uint8Array {
  const w = begin(PacketType.Probe, p.sender, 64);
  w.str(p.region).u53(p.viewId).u32(p.seq);
  return finish(w);
}

export function encodeUnheard(u: Omit<UnheardPacket, 'type'>): Uint8Array {
  const w = begin(PacketType.Unheard, u.sender, 96);
  w.str(u.region).str(u.origin).u32(u.heard);
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
        const field = r.u32();
        const n = field & LENGTH_MASK;
        if (n > MAX_DATAGRAM) throw new WireError('oversized');
        msgs[i] = new WireMsg(s, gi, groupSeq, buf, r.skip(n), n, field >>> FRAG_SHIFT);
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
      const part = r.u16();
      const parts = r.u16();
      if (parts === 0 || part >= parts || parts > MAX_TOKEN_PARTS) throw new WireError('bad-token-part');
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
      return { type, sender, region, viewId, round, level, partition, part, parts, records };
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
    case PacketType.Probe: {
      const region = r.str();
      const viewId = r.u53();
      const probe = seq(r, false);
      return { type, sender, region, viewId, seq: probe };
    }
    case PacketType.Unheard: {
      const region = r.str();
      const origin = r.str();
      const heard = seq(r, true);
      return { type, sender, region, origin, heard };
    }
    default:
      throw new WireError('unknown-type');
  }
}

/** Parses one datagram. Failures carry a short reason used as a stats key. */
export function decode(buf: Uint8Array): DecodeResult {
  return decodeRange(buf, buf.length, true);
}

/** Parses an authenticated datagram whose trailer DatagramOpener.open checked: its plain part
 * ends at `end`, and the tag made the CRC-32 redundant (auth.ts). */
export function decodeOpened(buf: Uint8Array, end: number): DecodeResult {
  return decodeRange(buf, end, false);
}

function decodeRange(buf: Uint8Array, end: number, plain: boolean): DecodeResult {
  if (buf.length > MAX_DATAGRAM) return { ok: false, reason: 'oversized' };
  if (end < HEADER + 2) return { ok: false, reason: 'truncated' };
  try {
    const r = new Reader(buf, 0, end);
    const magic = r.u16();
    if (magic !== (plain ? MAGIC : AUTH_MAGIC))
      return { ok: false, reason: magic === AUTH_MAGIC ? 'keyed-datagram' : 'bad-magic' };
    if (r.u8() !== VERSION) return { ok: false, reason: 'bad-version' };
    const type = r.u8();
    const crc = r.u32();
    if (plain && crc32(buf, HEADER) !== crc) return { ok: false, reason: 'bad-checksum' };
    const sender = r.str();
    const packet = decodeBody(type, sender, r, buf);
    if (r.remaining !== 0) return { ok: false, reason: 'trailing-bytes' };
    return { ok: true, packet };
  } catch (e) {
    return { ok: false, reason: e instanceof WireError ? e.reason : 'malformed' };
  }
}

// ---- Sizes: what keeps every datagram within a limit (options.ts, datagramLimit) ----

/** Bytes of a wire string (length byte + UTF-8). */
function strSize(s: string): number {
  return 1 + Buffer.byteLength(s, 'utf8');
}

/** Bytes of a data or repair datagram before its messages. */
export function dataHeaderBytes(sender: string, region: string): number {
  return HEADER + strSize(sender) + strSize(region) + 8 + 4 + 2;
}

/** Per-message bytes besides the payload: seq, group index, group seq, length (u32 each). */
export const MSG_OVERHEAD = 16;

/** The largest payload of one message (or fragment) in a datagram of at most `limit` bytes
 * from `sender` into `region`: a longer message travels as fragments of this size. */
export function fragmentBytes(limit: number, sender: string, region: string): number {
  // Degenerate ids (hundreds of bytes) against a tiny limit still get somewhere.
  return Math.max(64, limit - dataHeaderBytes(sender, region) - MSG_OVERHEAD);
}

function tokenHeaderBytes(t: TokenFields): number {
  return HEADER + strSize(t.sender) + strSize(t.region) + 8 + 4 + 1 + 2 + 2 + 2 + 2;
}

function recordBytes(r: TokenRecord): number {
  const fixed = strSize(r.sender) + 4 + 4 + 4 + 2 + 4 + 2 + 4 + 1 + 1;
  return (
    fixed + ((r.prevBitCount + 7) >>> 3) + 8 * Math.min(r.lost.length, MAX_RANGES) + 4 * r.partContig.length
  );
}

/** `r`, or a copy cut down to `room` bytes: first its bitmap (the forwarding member's state
 * above its prefix: fewer bits only mean fewer pushes and pulls on this hop), then its lost
 * ranges (fewer reported lost by all: recovered in later rounds), then its per-partition
 * prefixes (a missing one reads as 0: nothing claimed stable there). Each only claims less. */
function fitRecord(r: TokenRecord, room: number): TokenRecord {
  if (recordBytes(r) <= room) return r;
  let left = room - recordBytes({ ...r, prevBitCount: 0, lost: [], partContig: [] });
  const partitions = Math.max(0, Math.min(r.partContig.length, Math.floor(left / 4)));
  left -= 4 * partitions;
  const lost = Math.max(0, Math.min(r.lost.length, MAX_RANGES, Math.floor(left / 8)));
  left -= 8 * lost;
  const bits = Math.max(0, Math.min(r.prevBitCount, left * 8));
  return {
    ...r,
    prevBits: r.prevBits.subarray(0, (bits + 7) >>> 3),
    prevBitCount: bits,
    lost: r.lost.slice(0, lost),
    partContig: r.partContig.slice(0, partitions),
  };
}

/** A token as datagrams of at most `limit` bytes: one when its records fit (always, on
 * loopback), else parts with consecutive records each, a record larger than a datagram's
 * room cut down to fit (fitRecord). */
export function encodeTokenParts(t: TokenFields, limit: number): Uint8Array[] {
  const room = limit - tokenHeaderBytes(t);
  const groups: TokenRecord[][] = [[]];
  let used = 0;
  for (const full of t.records) {
    const r = fitRecord(full, room);
    const n = recordBytes(r);
    if (used > 0 && used + n > room) {
      groups.push([]);
      used = 0;
    }
    groups[groups.length - 1]!.push(r);
    used += n;
  }
  if (groups.length === 1) return [encodeToken({ ...t, part: 0, parts: 1, records: groups[0]! })];
  return groups.map((records, part) => encodeToken({ ...t, part, parts: groups.length, records }));
}

/** A NAK as datagrams of at most `limit` bytes (its ranges, at most MAX_RANGES, spread over
 * as many as needed). */
export function encodeNakParts(n: Omit<NakPacket, 'type'>, limit: number): Uint8Array[] {
  const head = HEADER + strSize(n.sender) + strSize(n.region) + 8 + strSize(n.origin) + 4 + 2 + 1;
  const per = Math.max(1, Math.floor((limit - head) / 8));
  const ranges = n.ranges.slice(0, MAX_RANGES);
  if (ranges.length <= per) return [encodeNak({ ...n, ranges })];
  const out: Uint8Array[] = [];
  for (let i = 0; i < ranges.length; i += per)
    out.push(encodeNak({ ...n, ranges: ranges.slice(i, i + per) }));
  return out;
}
