import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import { DataPacker } from './packer';
import {
  decode,
  encodeData,
  encodeMaxContiguous,
  encodeNak,
  encodeNakParts,
  encodeProbe,
  encodeToken,
  encodeTokenParts,
  encodeUnheard,
  FRAG_CONT,
  FRAG_MORE,
  MAX_DATAGRAM,
  MAX_GROUP_INDEX,
  PacketType,
  TokenLevel,
  type DecodeResult,
  type TokenFields,
  type TokenRecord,
} from './packets';

const record: TokenRecord = {
  sender: 'n1',
  inc: 2,
  maxSeen: 40,
  prevContig: 30,
  prevBits: new Uint8Array([0b101]),
  prevBitCount: 3,
  allContig: 20,
  lost: [{ from: 21, to: 25 }],
  stable: 10,
  partContig: [20, 15],
  flags: 1,
};

const samples = (): Uint8Array[] => [
  encodeData(PacketType.Data, 'a:1/x', {
    region: 'r',
    viewId: 1795307805965,
    inc: 1,
    seq: 7,
    gi: 0,
    groupSeq: 3,
    payload: new Uint8Array([1, 2, 3]),
  }),
  encodeData(PacketType.Repair, 'a:1/x', {
    region: 'r',
    viewId: 2,
    inc: 1,
    seq: 9,
    gi: 0,
    groupSeq: 4,
    payload: new Uint8Array(0),
  }),
  encodeToken({
    sender: 's',
    region: 'r',
    viewId: 5,
    round: 9,
    level: TokenLevel.Region,
    partition: 1,
    records: [record],
  }),
  encodeNak({
    sender: 's',
    region: 'r',
    viewId: 5,
    origin: 'o',
    inc: 4,
    ranges: [{ from: 1, to: 4 }],
    flags: 1,
  }),
  encodeMaxContiguous({
    sender: 's',
    region: 'r',
    viewId: 5,
    origin: 'o',
    inc: 5,
    maxContiguous: 99,
    round: 3,
  }),
  encodeProbe({ sender: 's', region: 'r', viewId: 6, seq: 12 }),
  encodeUnheard({ sender: 's', region: 'r', origin: 'o', heard: 11 }),
  encodeData(PacketType.Data, 'a:1/x', {
    region: 'r',
    viewId: 3,
    inc: 1,
    seq: 8,
    gi: 2,
    groupSeq: 5,
    payload: new Uint8Array([9, 9]),
    frag: FRAG_MORE | FRAG_CONT,
  }),
  encodeToken({
    sender: 's',
    region: 'r',
    viewId: 5,
    round: 9,
    level: TokenLevel.Partition,
    partition: 0,
    part: 1,
    parts: 3,
    records: [record],
  }),
];

describe('wire codecs', () => {
  it('crc32 matches the IEEE check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips every packet type', () => {
    const [data, repair, token, nak, mc, probe, unheard, fragment, tokenPart] = samples().map((b) =>
      decode(b),
    );
    expect(data).toMatchObject({
      ok: true,
      packet: {
        type: PacketType.Data,
        sender: 'a:1/x',
        viewId: 1795307805965,
        inc: 1,
        msgs: [{ seq: 7, groupSeq: 3 }],
      },
    });
    expect(repair).toMatchObject({ ok: true, packet: { type: PacketType.Repair, msgs: [{ seq: 9 }] } });
    expect(token?.ok && token.packet.type === PacketType.Token && token.packet.records[0]).toMatchObject({
      sender: 'n1',
      inc: 2,
      maxSeen: 40,
      prevContig: 30,
      prevBitCount: 3,
      allContig: 20,
      lost: [{ from: 21, to: 25 }],
      partContig: [20, 15],
      flags: 1,
    });
    expect(nak).toMatchObject({
      ok: true,
      packet: { origin: 'o', inc: 4, ranges: [{ from: 1, to: 4 }], flags: 1 },
    });
    expect(mc).toMatchObject({ ok: true, packet: { inc: 5, maxContiguous: 99, round: 3 } });
    expect(probe).toEqual({
      ok: true,
      packet: { type: PacketType.Probe, sender: 's', region: 'r', viewId: 6, seq: 12 },
    });
    expect(unheard).toEqual({
      ok: true,
      packet: { type: PacketType.Unheard, sender: 's', region: 'r', origin: 'o', heard: 11 },
    });
    const msgOf = (r: DecodeResult | undefined) =>
      r?.ok && r.packet.type === PacketType.Data ? r.packet.msgs[0] : undefined;
    expect(msgOf(data)?.frag).toBe(0);
    expect(fragment).toMatchObject({
      ok: true,
      packet: { msgs: [{ seq: 8, gi: 2, groupSeq: 5, frag: FRAG_MORE | FRAG_CONT }] },
    });
    expect(msgOf(fragment)?.payload).toEqual(new Uint8Array([9, 9]));
    expect(token).toMatchObject({ ok: true, packet: { part: 0, parts: 1 } });
    expect(tokenPart).toMatchObject({ ok: true, packet: { part: 1, parts: 3, records: [{ sender: 'n1' }] } });
  });

  it('spreads a token or a NAK that does not fit a datagram over parts that do', () => {
    const records = Array.from({ length: 40 }, (_, i) => ({
      ...record,
      sender: `127.0.0.1:${4000 + i}/abcdef${i}`,
    }));
    const token = {
      sender: 's',
      region: 'r',
      viewId: 5,
      round: 9,
      level: TokenLevel.Region,
      partition: 0,
      records,
    };
    expect(encodeTokenParts(token, MAX_DATAGRAM)).toHaveLength(1);
    const parts = encodeTokenParts(token, 600).map((b) => decode(b));
    expect(parts.length).toBeGreaterThan(1);
    const got = parts.flatMap((r, i) => {
      if (!r.ok || r.packet.type !== PacketType.Token) throw new Error('part does not decode');
      expect(r.packet).toMatchObject({ part: i, parts: parts.length, round: 9 });
      return r.packet.records;
    });
    expect(got).toEqual(records);
    const ranges = Array.from({ length: 300 }, (_, i) => ({ from: 10 * i + 1, to: 10 * i + 5 }));
    const nak = { sender: 's', region: 'r', viewId: 5, origin: 'o', inc: 2, ranges, flags: 1 };
    const naks = encodeNakParts(nak, 1000).map((b) => decode(b));
    expect(naks.length).toBeGreaterThan(1);
    // At most 256 ranges, as a single NAK carries.
    expect(naks.flatMap((r) => (r.ok && r.packet.type === PacketType.Nak ? r.packet.ranges : []))).toEqual(
      ranges.slice(0, 256),
    );
    expect(naks.every((r) => r.ok && r.packet.type === PacketType.Nak && r.packet.flags === 1)).toBe(true);
  });

  it('packs several messages of several groups up to the packet size', () => {
    const pk = new DataPacker(1400);
    pk.begin(PacketType.Data, 'a:1/x', 'r', 3, 1);
    let seq = 1;
    while (pk.fits(100)) {
      pk.add(seq, seq % 2 ? 0 : 70_000, 100 + seq, new Uint8Array(100).fill(seq));
      seq++;
    }
    const b = pk.finish();
    expect(b.length).toBeLessThanOrEqual(1400);
    expect(seq - 1).toBe(11);
    const r = decode(b);
    expect(r.ok && r.packet.type === PacketType.Data && r.packet.msgs.length).toBe(11);
    if (r.ok && r.packet.type === PacketType.Data) {
      r.packet.msgs.forEach((m, i) => {
        expect(m).toMatchObject({ seq: i + 1, gi: (i + 1) % 2 ? 0 : 70_000, groupSeq: 101 + i });
        expect(m.payload.every((x) => x === i + 1)).toBe(true);
      });
    }
    // A message larger than the packet size still goes, alone.
    pk.begin(PacketType.Repair, 's', 'r', 1, 1);
    expect(pk.fits(5000)).toBe(true);
    pk.add(1, 0, 1, new Uint8Array(5000));
    expect(pk.fits(1)).toBe(false);
    expect(decode(pk.finish()).ok).toBe(true);
  });

  it('reads the messages of the datagram it finished back from a copy, across datagrams', () => {
    const pk = new DataPacker(64 * 1024);
    // 300 messages: past the packer's initial column capacity, and a smaller datagram after.
    for (const count of [300, 3]) {
      pk.begin(PacketType.Data, 'a:1/x', 'r', 3, 1);
      const slab = new Uint8Array(count * 24);
      for (let i = 0; i < count; i++) {
        slab.fill(i % 251, i * 24, i * 24 + 20);
        pk.addFrom(1000 + i, i % 7, 50 + i, slab, i * 24, 20);
      }
      const datagram = pk.finish();
      const copy = Uint8Array.from(datagram);
      datagram.fill(0); // the socket's buffer is reused: the copy is what the messages view
      const msgs = pk.messagesIn(copy);
      expect(msgs).toHaveLength(count);
      msgs.forEach((m, i) => {
        expect(m).toMatchObject({ seq: 1000 + i, gi: i % 7, groupSeq: 50 + i });
        expect(m.payload).toEqual(new Uint8Array(20).fill(i % 251));
      });
      // The same messages a receiver decodes from the datagram.
      const r = decode(copy);
      expect(r.ok && r.packet.type === PacketType.Data && r.packet.msgs.map((m) => m.seq)).toEqual(
        msgs.map((m) => m.seq),
      );
    }
    expect(() => pk.finish()).toThrow(/already finished/);
  });

  it('rejects truncations of every packet at every length', () => {
    for (const b of samples()) {
      for (let n = 0; n < b.length; n++) expect(decode(b.subarray(0, n)).ok).toBe(false);
    }
  });

  it('rejects every single-byte corruption (checksum or structure)', () => {
    for (const b of samples()) {
      for (let i = 0; i < b.length; i++) {
        const c = b.slice();
        c[i] = c[i]! ^ 0x5a;
        expect(decode(c).ok).toBe(false);
      }
    }
  });

  it('survives random bytes and random mutations without throwing', () => {
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const n = Math.floor(Math.random() * 200);
      const b = new Uint8Array(n);
      for (let j = 0; j < n; j++) b[j] = Math.floor(Math.random() * 256);
      if (i % 2 === 0 && n > 8) b.set([0x51, 0x53, 5, 1 + (i % 7)]);
      if (decode(b).ok) accepted++;
    }
    expect(accepted).toBe(0);
  });

  it('rejects forged values even with a valid checksum', () => {
    const reason = (b: Uint8Array): string => {
      const r = decode(b);
      return r.ok ? 'ok' : r.reason;
    };
    // Unknown type with a correct CRC.
    const unknown = samples()[0]!.slice();
    unknown[3] = 42;
    const view = new DataView(unknown.buffer);
    view.setUint32(4, crc32(unknown, 8));
    expect(reason(unknown)).toBe('unknown-type');
    const data = (over: { seq?: number; gi?: number }): Uint8Array =>
      encodeData(PacketType.Data, 's', {
        region: 'r',
        viewId: 1,
        inc: 1,
        seq: 1,
        gi: 0,
        groupSeq: 1,
        payload: new Uint8Array(1),
        ...over,
      });
    expect(reason(data({}))).toBe('ok');
    // Absurd sequence number (> 2^31), or 0.
    expect(reason(data({ seq: 0xfffffff0 }))).toBe('absurd-seq');
    expect(reason(data({ seq: 0 }))).toBe('absurd-seq');
    // Group index beyond any region's group count.
    expect(reason(data({ gi: MAX_GROUP_INDEX + 1 }))).toBe('bad-group-index');
    // Absurd NAK range.
    expect(
      reason(
        encodeNak({
          sender: 's',
          region: 'r',
          viewId: 1,
          origin: 'o',
          inc: 1,
          ranges: [{ from: 1, to: 1_000_000 }],
          flags: 0,
        }),
      ),
    ).toBe('bad-range');
    const token = (over: Partial<TokenFields>): Uint8Array =>
      encodeToken({
        sender: 's',
        region: 'r',
        viewId: 1,
        round: 1,
        level: TokenLevel.Partition,
        partition: 0,
        records: [record],
        ...over,
      });
    // Inconsistent token record.
    expect(reason(token({ records: [{ ...record, allContig: 50 }] }))).toBe('inconsistent-record');
    // But a record claiming nothing stable yet of a long stream is fine (a partition adds
    // such records for senders the region token lacked).
    const long = { ...record, maxSeen: 3_000_000, prevContig: 2_999_000, allContig: 0, lost: [] };
    const t = decode(token({ level: TokenLevel.Region, records: [long] }));
    expect(t.ok && t.packet.type === PacketType.Token && t.packet.records[0]).toMatchObject({
      maxSeen: 3_000_000,
      allContig: 0,
    });
    // Stream incarnation 0 (never handed out) or absurd.
    expect(
      reason(
        encodeMaxContiguous({
          sender: 's',
          region: 'r',
          viewId: 1,
          origin: 'o',
          inc: 0,
          maxContiguous: 1,
          round: 1,
        }),
      ),
    ).toBe('bad-incarnation');
    expect(reason(token({ records: [{ ...record, inc: 0xfffffff0 }] }))).toBe('bad-incarnation');
    // Token parts that cannot be.
    expect(reason(token({ part: 1, parts: 2 }))).toBe('ok');
    expect(reason(token({ part: 0, parts: 0 }))).toBe('bad-token-part');
    expect(reason(token({ part: 2, parts: 2 }))).toBe('bad-token-part');
    expect(reason(token({ part: 0, parts: 5000 }))).toBe('bad-token-part');
    // Probe number 0 (they start at 1) or absurd.
    expect(reason(encodeProbe({ sender: 's', region: 'r', viewId: 1, seq: 0 }))).toBe('absurd-seq');
    expect(reason(encodeUnheard({ sender: 's', region: 'r', origin: 'o', heard: 0xfffffff0 }))).toBe(
      'absurd-seq',
    );
    // A fragment's length bits still bound the payload.
    const frag = data({});
    new DataView(frag.buffer, frag.byteOffset).setUint32(frag.length - 5, 0x3fffffff);
    new DataView(frag.buffer, frag.byteOffset).setUint32(4, crc32(frag, 8));
    expect(reason(frag)).toBe('oversized');
    // Oversized datagram.
    expect(reason(new Uint8Array(MAX_DATAGRAM + 1))).toBe('oversized');
    // Trailing garbage after a valid body, CRC recomputed.
    const base = samples()[4]!;
    const trailing = new Uint8Array(base.length + 3);
    trailing.set(base);
    new DataView(trailing.buffer).setUint32(4, crc32(trailing, 8));
    expect(reason(trailing)).toBe('trailing-bytes');
  });
});
