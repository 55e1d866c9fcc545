// Property-based fuzzing of the datagram decoder, seeded so that every CI run is the same and a
// failure can be replayed. Packets are built through the public encoders only and attacked as
// bytes (truncations, bit flips, splices, oversize, random garbage), so the properties hold
// whatever the header carries (checksum or authentication tag).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import { DataPacker } from './packer';
import {
  decode,
  encodeMaxContiguous,
  encodeNak,
  encodeProbe,
  encodeToken,
  encodeUnheard,
  HEADER,
  MAX_BITMAP_BITS,
  MAX_DATAGRAM,
  MAX_GROUP_INDEX,
  MAX_SEQ,
  MAX_SPAN,
  PacketType,
  TokenLevel,
  type DataMsg,
  type Packet,
  type SeqRange,
  type TokenRecord,
} from './packets';

/** One seed for the whole file: CI runs the same cases every time (change it to explore). */
const SEED = 0x51_53_20;
const RUNS = 2_000;
const params = { seed: SEED, numRuns: RUNS };

/** Node, region and sender ids as the engine makes them (at most 255 UTF-8 bytes). */
const id = fc.string({ minLength: 1, maxLength: 24, unit: fc.constantFrom(...'abcz019:/._-é'.split('')) });
const seqNo = (min = 1): fc.Arbitrary<number> => fc.integer({ min, max: MAX_SEQ });
const inc = fc.integer({ min: 1, max: MAX_SEQ });
const viewId = fc.maxSafeNat();
const u32 = fc.integer({ min: 0, max: 0xffffffff });

const range: fc.Arbitrary<SeqRange> = fc
  .tuple(seqNo(), fc.integer({ min: 0, max: MAX_SPAN - 1 }))
  .map(([from, span]) => ({ from, to: Math.min(MAX_SEQ, from + span) }));

const record: fc.Arbitrary<TokenRecord> = fc
  .record({
    sender: id,
    inc,
    maxSeen: seqNo(0),
    prevFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    allFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    prevBitCount: fc.integer({ min: 0, max: 64 }),
    lost: fc.array(range, { maxLength: 4 }),
    stable: seqNo(0),
    partContig: fc.array(seqNo(0), { maxLength: 4 }),
    flags: fc.integer({ min: 0, max: 3 }),
    bits: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  })
  .map((r) => ({
    sender: r.sender,
    inc: r.inc,
    maxSeen: r.maxSeen,
    prevContig: Math.floor(r.maxSeen * r.prevFraction),
    prevBits: r.bits.slice(0, (r.prevBitCount + 7) >>> 3),
    prevBitCount: r.prevBitCount,
    allContig: Math.floor(r.maxSeen * r.allFraction),
    lost: r.lost,
    stable: r.stable,
    partContig: r.partContig,
    flags: r.flags,
  }));

const message = fc.record({
  gi: fc.integer({ min: 0, max: MAX_GROUP_INDEX }),
  groupSeq: seqNo(),
  payload: fc.uint8Array({ maxLength: 64 }),
  frag: fc.integer({ min: 0, max: 3 }),
});

/** A valid packet, encoded, with what decoding it must give back. */
interface Sample {
  readonly bytes: Uint8Array;
  readonly packet: Packet;
}

const dataPacket: fc.Arbitrary<Sample> = fc
  .record({
    type: fc.constantFrom(PacketType.Data, PacketType.Repair),
    sender: id,
    region: id,
    viewId,
    inc,
    first: fc.integer({ min: 1, max: MAX_SEQ - 16 }),
    msgs: fc.array(message, { minLength: 1, maxLength: 6 }),
  })
  .map(({ type, sender, region, viewId, inc, first, msgs }) => {
    const p = new DataPacker(MAX_DATAGRAM);
    p.begin(type, sender, region, viewId, inc);
    const expected: DataMsg[] = msgs.map((m, i) => ({ ...m, seq: first + i }));
    for (const m of expected) p.add(m.seq, m.gi, m.groupSeq, m.payload, m.frag);
    return {
      bytes: new Uint8Array(p.finish()),
      packet: { type, sender, region, viewId, inc, msgs: expected },
    };
  });

const tokenPacket: fc.Arbitrary<Sample> = fc
  .record({
    sender: id,
    region: id,
    viewId,
    round: u32,
    level: fc.constantFrom(TokenLevel.Partition, TokenLevel.Region),
    partition: fc.integer({ min: 0, max: 0xffff }),
    parts: fc.integer({ min: 1, max: 8 }),
    partSeed: fc.nat(),
    records: fc.array(record, { maxLength: 4 }),
  })
  .map(({ partSeed, parts, ...t }) => {
    const fields = { ...t, parts, part: partSeed % parts };
    return { bytes: encodeToken(fields), packet: { type: PacketType.Token, ...fields } };
  });

const nakPacket: fc.Arbitrary<Sample> = fc
  .record({
    sender: id,
    region: id,
    viewId,
    origin: id,
    inc,
    ranges: fc.array(range, { maxLength: 6 }),
    flags: fc.integer({ min: 0, max: 1 }),
  })
  .map((n) => ({ bytes: encodeNak(n), packet: { type: PacketType.Nak, ...n } }));

const maxContiguousPacket: fc.Arbitrary<Sample> = fc
  .record({ sender: id, region: id, viewId, origin: id, inc, maxContiguous: seqNo(0), round: u32 })
  .map((m) => ({ bytes: encodeMaxContiguous(m), packet: { type: PacketType.MaxContiguous, ...m } }));

const probePacket: fc.Arbitrary<Sample> = fc
  .record({ sender: id, region: id, viewId, seq: seqNo() })
  .map((p) => ({ bytes: encodeProbe(p), packet: { type: PacketType.Probe, ...p } }));

const unheardPacket: fc.Arbitrary<Sample> = fc
  .record({ sender: id, region: id, origin: id, heard: seqNo(0) })
  .map((u) => ({ bytes: encodeUnheard(u), packet: { type: PacketType.Unheard, ...u } }));

const anyPacket = fc.oneof(
  dataPacket,
  tokenPacket,
  nakPacket,
  maxContiguousPacket,
  probePacket,
  unheardPacket,
);

/** A decoded packet as plain data (messages' payload views read out) to compare with. */
function plain(p: Packet): unknown {
  if (p.type !== PacketType.Data && p.type !== PacketType.Repair) return p;
  return {
    ...p,
    msgs: p.msgs.map((m) => ({
      seq: m.seq,
      gi: m.gi,
      groupSeq: m.groupSeq,
      payload: new Uint8Array(m.payload),
      frag: m.frag ?? 0,
    })),
  };
}

/** decode, which must never throw: a throw fails the property with the input that caused it. */
function decodes(bytes: Uint8Array): boolean {
  return decode(bytes).ok;
}

describe('packet decoder (property-based, seeded)', () => {
  it('gives back every valid packet it is given', () => {
    fc.assert(
      fc.property(anyPacket, ({ bytes, packet }) => {
        const r = decode(bytes);
        expect(r.ok).toBe(true);
        if (r.ok) expect(plain(r.packet)).toEqual(plain(packet));
      }),
      params,
    );
  });

  it('rejects every truncation of a valid packet', () => {
    fc.assert(
      fc.property(anyPacket, fc.nat(), ({ bytes }, cut) => {
        expect(decodes(bytes.subarray(0, cut % bytes.length))).toBe(false);
      }),
      params,
    );
  });

  it('rejects a valid packet with any one bit flipped', () => {
    fc.assert(
      fc.property(anyPacket, fc.nat(), fc.integer({ min: 0, max: 7 }), ({ bytes }, at, bit) => {
        const c = bytes.slice();
        c[at % c.length] = c[at % c.length]! ^ (1 << bit);
        expect(decodes(c)).toBe(false);
      }),
      params,
    );
  });

  it('rejects a valid packet with bytes appended, or spliced with another', () => {
    fc.assert(
      fc.property(anyPacket, anyPacket, fc.uint8Array({ minLength: 1, maxLength: 32 }), (a, b, extra) => {
        const appended = new Uint8Array(a.bytes.length + extra.length);
        appended.set(a.bytes);
        appended.set(extra, a.bytes.length);
        expect(decodes(appended)).toBe(false);
        const cut = Math.max(HEADER + 1, Math.floor(a.bytes.length / 2));
        const spliced = new Uint8Array([...a.bytes.subarray(0, cut), ...b.bytes.subarray(cut)]);
        if (!spliced.every((v, i) => v === a.bytes[i]) && !spliced.every((v, i) => v === b.bytes[i])) {
          expect(decodes(spliced)).toBe(false);
        }
      }),
      params,
    );
  });

  it('rejects random bytes, with or without a plausible header, and anything oversized', () => {
    const header = fc.constantFrom(...[0, 1, 2, 3, 4, 5].map((i) => anySampleHeader(i)));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), header, fc.boolean(), (body, head, withHeader) => {
        const bytes = withHeader ? new Uint8Array([...head, ...body]) : body;
        expect(decodes(bytes)).toBe(false);
      }),
      params,
    );
    expect(decodes(new Uint8Array(MAX_DATAGRAM + 1))).toBe(false);
  });

  it('never throws on a valid packet with its body mutated and its checksum recomputed', () => {
    // What an attacker who knows the format sends: the checksum authenticates nothing, so the
    // body's own checks must hold whatever it says (wire authentication adds a tag on top).
    let accepted = 0;
    fc.assert(
      fc.property(
        anyPacket,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        ({ bytes }, edits) => {
          const c = bytes.slice();
          for (const [at, x] of edits) {
            const i = HEADER + (at % (c.length - HEADER));
            c[i] = c[i]! ^ x;
          }
          new DataView(c.buffer).setUint32(4, crc32(c, HEADER));
          const r = decode(c);
          if (r.ok) {
            accepted++;
            checkBounds(r.packet);
          }
        },
      ),
      params,
    );
    // Some mutations (a payload byte, a flag bit) leave a valid packet: the check above ran.
    expect(accepted).toBeGreaterThan(0);
  });
});

/** The first bytes of a valid packet of each type (magic, version, type), for random bodies. */
function anySampleHeader(index: number): Uint8Array {
  const token = (level: TokenLevel): Uint8Array =>
    encodeToken({ sender: 's', region: 'r', viewId: 1, round: 1, level, partition: 0, records: [] });
  const samples = [
    encodeProbe({ sender: 's', region: 'r', viewId: 1, seq: 1 }),
    encodeUnheard({ sender: 's', region: 'r', origin: 'o', heard: 1 }),
    encodeNak({ sender: 's', region: 'r', viewId: 1, origin: 'o', inc: 1, ranges: [], flags: 0 }),
    encodeMaxContiguous({
      sender: 's',
      region: 'r',
      viewId: 1,
      origin: 'o',
      inc: 1,
      maxContiguous: 1,
      round: 1,
    }),
    token(TokenLevel.Region),
    token(TokenLevel.Partition),
  ];
  return samples[index]!.subarray(0, 4);
}

/** What the engine relies on in any packet decode() accepts. */
function checkBounds(p: Packet): void {
  const isSeq = (v: number, zero = true): boolean => Number.isInteger(v) && v <= MAX_SEQ && (zero || v > 0);
  switch (p.type) {
    case PacketType.Data:
    case PacketType.Repair:
      expect(isSeq(p.inc, false)).toBe(true);
      expect(p.msgs.length).toBeGreaterThan(0);
      for (const m of p.msgs) {
        expect(isSeq(m.seq, false) && isSeq(m.groupSeq, false) && m.gi <= MAX_GROUP_INDEX).toBe(true);
        expect(m.payload.length).toBeLessThanOrEqual(MAX_DATAGRAM);
      }
      break;
    case PacketType.Token:
      expect(p.part < p.parts).toBe(true);
      for (const r of p.records) {
        expect(
          r.allContig <= r.maxSeen && r.prevContig <= r.maxSeen && r.prevBitCount <= MAX_BITMAP_BITS,
        ).toBe(true);
        for (const l of r.lost) expect(l.from <= l.to && l.to - l.from < MAX_SPAN).toBe(true);
      }
      break;
    case PacketType.Nak:
      for (const l of p.ranges) expect(l.from > 0 && l.from <= l.to && l.to - l.from < MAX_SPAN).toBe(true);
      break;
    default:
      break;
  }
}
