// Off loopback no datagram may exceed the interface's MTU less the IPv4 and UDP headers: the
// worst cases of every packet type the engine sends, at an MTU of 1500, with wire strings
// (node and region ids) of the longest length the format allows.

import { describe, expect, it } from 'vitest';
import { datagramLimit, DEFAULTS, packetLimit } from '../options';
import { DataPacker } from './packer';
import {
  decode,
  encodeMaxContiguous,
  encodeNakParts,
  encodeProbe,
  encodeTokenParts,
  encodeUnheard,
  FRAG_CONT,
  FRAG_MORE,
  fragmentBytes,
  MAX_BITMAP_BITS,
  PacketType,
  TokenLevel,
  type TokenRecord,
} from './packets';

const tun = { ...DEFAULTS, iface: '10.213.0.2', mtu: 1500 };
const LIMIT = 1472;
/** Wire strings are at most 255 bytes. */
const long = (c: string): string => c.repeat(255);
const SENDER = long('s');
const REGION = long('r');
const MAX_SEQ = 0x7fffffff;

describe('datagram sizes at MTU 1500', () => {
  it('the limit is the MTU less 28 bytes off loopback, 32 KiB packing on loopback', () => {
    expect(packetLimit(tun)).toBe(LIMIT);
    expect(datagramLimit(tun)).toBe(LIMIT);
    expect(packetLimit({ ...tun, mtu: 9000 })).toBe(8972);
    expect(packetLimit({ ...DEFAULTS })).toBe(32_768);
    expect(datagramLimit({ ...DEFAULTS })).toBe(65_000);
    expect(datagramLimit({ ...tun, packetBytes: 1200 })).toBe(1200);
  });

  it('data and repairs: the largest message goes as fragments, each in a datagram within the limit', () => {
    const frag = fragmentBytes(LIMIT, SENDER, REGION);
    const payload = new Uint8Array(60_000).map((_, i) => i & 0xff);
    const pk = new DataPacker(packetLimit(tun));
    const back: Uint8Array[] = [];
    let seq = 1;
    for (const type of [PacketType.Data, PacketType.Repair] as const) {
      for (let off = 0; off < payload.length; off += frag, seq++) {
        const len = Math.min(frag, payload.length - off);
        pk.begin(type, SENDER, REGION, Number.MAX_SAFE_INTEGER, MAX_SEQ);
        expect(pk.fits(len)).toBe(true);
        const bits = (off > 0 ? FRAG_CONT : 0) | (off + len < payload.length ? FRAG_MORE : 0);
        pk.add(seq, 0xfffff, MAX_SEQ, payload.subarray(off, off + len), bits);
        const b = pk.finish();
        expect(b.length).toBeLessThanOrEqual(LIMIT);
        const r = decode(b);
        if (!r.ok || (r.packet.type !== PacketType.Data && r.packet.type !== PacketType.Repair))
          throw new Error(`fragment does not decode: ${JSON.stringify(r)}`);
        expect(r.packet.msgs[0]!.frag).toBe(bits);
        if (type === PacketType.Data) back.push(r.packet.msgs[0]!.payload);
      }
    }
    expect(Buffer.concat(back)).toEqual(Buffer.from(payload));
    // With real ids (30-byte node ids, 14-byte region ids) a fragment carries 1,388 bytes.
    expect(fragmentBytes(LIMIT, '255.255.255.255:65535/ffffffff', 'r-0123456789ab')).toBe(1388);
  });

  it('tokens: 1024 records of the largest size, spread over parts within the limit', () => {
    const record = (i: number): TokenRecord => ({
      sender: `${i}`.padStart(255, 'n'),
      inc: MAX_SEQ,
      maxSeen: MAX_SEQ,
      prevContig: MAX_SEQ - MAX_BITMAP_BITS - 1,
      prevBits: new Uint8Array(MAX_BITMAP_BITS / 8).fill(0xaa),
      prevBitCount: MAX_BITMAP_BITS,
      allContig: 1,
      lost: Array.from({ length: 256 }, (_, j) => ({ from: 2 + 4 * j, to: 3 + 4 * j })),
      stable: 1,
      partContig: new Array<number>(255).fill(MAX_SEQ),
      flags: 3,
    });
    const records = Array.from({ length: 1024 }, (_, i) => record(i));
    const token = {
      sender: SENDER,
      region: REGION,
      viewId: Number.MAX_SAFE_INTEGER,
      round: 0xffffffff,
      level: TokenLevel.Region,
      partition: 0xffff,
      records,
    };
    const parts = encodeTokenParts(token, LIMIT);
    expect(Math.max(...parts.map((b) => b.length))).toBeLessThanOrEqual(LIMIT);
    const decoded = parts.map((b) => decode(b));
    const got = decoded.flatMap((r) => (r.ok && r.packet.type === PacketType.Token ? r.packet.records : []));
    // Every record arrives, each cut down only as far as it had to be.
    expect(got.map((r) => r.sender)).toEqual(records.map((r) => r.sender));
    for (const r of got) {
      expect(r).toMatchObject({ inc: MAX_SEQ, maxSeen: MAX_SEQ, allContig: 1, stable: 1, flags: 3 });
      expect(r.partContig.length + r.lost.length + r.prevBitCount).toBeGreaterThan(0);
    }
    // Records of a usual size (small bitmaps, a few ranges) all fit one datagram.
    const usual = Array.from({ length: 8 }, (_, i) => ({
      ...record(i),
      sender: `10.213.0.${i}:40000/abcdef12`,
      prevBits: new Uint8Array(8),
      prevBitCount: 64,
      lost: [{ from: 5, to: 9 }],
      partContig: [1, 2, 3],
    }));
    expect(
      encodeTokenParts({ ...token, sender: 'n', region: 'r-0123456789ab', records: usual }, LIMIT),
    ).toHaveLength(1);
  });

  it('NAKs: 256 ranges with the longest ids, spread over datagrams within the limit', () => {
    const ranges = Array.from({ length: 256 }, (_, i) => ({ from: 1 + 3 * i, to: 2 + 3 * i }));
    const parts = encodeNakParts(
      {
        sender: SENDER,
        region: REGION,
        viewId: Number.MAX_SAFE_INTEGER,
        origin: long('o'),
        inc: MAX_SEQ,
        ranges,
        flags: 1,
      },
      LIMIT,
    );
    expect(Math.max(...parts.map((b) => b.length))).toBeLessThanOrEqual(LIMIT);
    expect(
      parts.flatMap((b) => {
        const r = decode(b);
        return r.ok && r.packet.type === PacketType.Nak ? r.packet.ranges : [];
      }),
    ).toEqual(ranges);
  });

  it('MaxContiguous, probes and Unheard reports fit with the longest ids', () => {
    const sizes = [
      encodeMaxContiguous({
        sender: SENDER,
        region: REGION,
        viewId: Number.MAX_SAFE_INTEGER,
        origin: long('o'),
        inc: MAX_SEQ,
        maxContiguous: MAX_SEQ,
        round: 0xffffffff,
      }),
      encodeProbe({ sender: SENDER, region: REGION, viewId: Number.MAX_SAFE_INTEGER, seq: MAX_SEQ }),
      encodeUnheard({ sender: SENDER, region: REGION, origin: long('o'), heard: MAX_SEQ }),
    ].map((b) => b.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(LIMIT);
  });
});
