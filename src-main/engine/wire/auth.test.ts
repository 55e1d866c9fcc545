import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DatagramOpener, DatagramSealer, REPLAY_WINDOW, nextEpoch } from './auth';
import { DataPacker } from './packer';
import {
  decode,
  decodeOpened,
  encodeNak,
  encodeProbe,
  encodeToken,
  MAX_DATAGRAM,
  PacketType,
  TokenLevel,
  type DataPacket,
  type TokenPacket,
} from './packets';

const KEY = randomBytes(32);
const ID = '127.0.0.1:4000/abcd';

const token = (): Uint8Array =>
  encodeToken({
    sender: ID,
    region: 'r-1',
    viewId: 7,
    round: 3,
    level: TokenLevel.Region,
    partition: 0,
    records: [
      {
        sender: 'n2',
        inc: 1,
        maxSeen: 40,
        prevContig: 30,
        prevBits: new Uint8Array([5]),
        prevBitCount: 3,
        allContig: 20,
        lost: [],
        stable: 10,
        partContig: [20],
        flags: 0,
      },
    ],
  });

const probe = (seq: number): Uint8Array => encodeProbe({ sender: ID, region: 'r-1', viewId: 7, seq });

function opened(opener: DatagramOpener, buf: Buffer): ReturnType<typeof decodeOpened> | string {
  const end = opener.open(buf);
  return end < 0 ? opener.reason : decodeOpened(buf, end);
}

describe('authenticated datagrams', () => {
  it('round-trips every kind of packet, and the plain decoder refuses them', () => {
    const sealer = new DatagramSealer(KEY, ID);
    const opener = new DatagramOpener(KEY);
    const plain = token();
    const sealed = sealer.sealCopy(plain);
    expect(sealed.length).toBe(plain.length + sealer.trailerBytes);
    const r = opened(opener, sealed);
    expect(r).toEqual(decode(plain));
    expect(r).toMatchObject({
      ok: true,
      packet: { type: PacketType.Token, round: 3 } as Partial<TokenPacket>,
    });
    expect(decode(sealed)).toEqual({ ok: false, reason: 'keyed-datagram' });
    const nak = sealer.sealCopy(
      encodeNak({
        sender: ID,
        region: 'r-1',
        viewId: 7,
        origin: 'n2',
        inc: 1,
        ranges: [{ from: 1, to: 2 }],
        flags: 0,
      }),
    );
    expect(opened(opener, nak)).toMatchObject({ ok: true, packet: { type: PacketType.Nak } });
  });

  it('seals packed data in place, within the packing limit', () => {
    const sealer = new DatagramSealer(KEY, ID);
    const pk = new DataPacker(1400, undefined, sealer);
    pk.begin(PacketType.Data, ID, 'r-1', 7, 1);
    let seq = 0;
    while (pk.fits(100)) pk.add(++seq, 0, seq, new Uint8Array(100).fill(seq));
    const buf = pk.finish();
    expect(buf.length).toBeLessThanOrEqual(1400);
    const r = opened(new DatagramOpener(KEY), buf);
    if (typeof r === 'string' || !r.ok) throw new Error(`not opened: ${JSON.stringify(r)}`);
    const p = r.packet as DataPacket;
    expect(p.msgs).toHaveLength(seq);
    expect([...p.msgs[seq - 1]!.payload]).toEqual(new Array(100).fill(seq));
    // The first message of a datagram may reach MAX_DATAGRAM, trailer included.
    const big = new DataPacker(1400, undefined, sealer);
    big.begin(PacketType.Data, ID, 'r-1', 7, 1);
    const most = MAX_DATAGRAM - sealer.trailerBytes - 8 - 1 - ID.length - 1 - 3 - 14 - 16;
    expect(big.fits(most)).toBe(true);
    expect(big.fits(most + 1)).toBe(false);
    big.add(1, 0, 1, new Uint8Array(most));
    expect(big.finish().length).toBe(MAX_DATAGRAM);
  });

  it('rejects a datagram with any byte changed', () => {
    const sealed = new DatagramSealer(KEY, ID).sealCopy(token());
    for (let i = 0; i < sealed.length; i++) {
      const forged = Buffer.from(sealed);
      forged[i]! ^= 0x01;
      const opener = new DatagramOpener(KEY);
      expect(opener.open(forged), `byte ${i}`).toBe(-1);
      expect(['auth-failed', 'unauthenticated']).toContain(opener.reason);
    }
    // Cut short or grown.
    expect(new DatagramOpener(KEY).open(sealed.subarray(0, sealed.length - 1))).toBe(-1);
    expect(new DatagramOpener(KEY).open(Buffer.concat([sealed, Buffer.of(0)]))).toBe(-1);
  });

  it('rejects plain datagrams and datagrams sealed under another key', () => {
    const opener = new DatagramOpener(KEY);
    expect(opened(opener, Buffer.from(token()))).toBe('unauthenticated');
    expect(opened(opener, new DatagramSealer(randomBytes(32), ID).sealCopy(token()))).toBe('auth-failed');
    // A forger who re-labels a datagram with another transmitter id gets nowhere either.
    const sealed = new DatagramSealer(KEY, ID).sealCopy(token());
    const relabelled = Buffer.from(sealed);
    const at = relabelled.length - 16 - 16 - 1 - ID.length;
    relabelled.write('127.0.0.1:4000/abce', at, 'latin1');
    expect(opened(opener, relabelled)).toBe('auth-failed');
  });

  it('rejects a replay, and a second copy of one datagram', () => {
    const sealer = new DatagramSealer(KEY, ID);
    const opener = new DatagramOpener(KEY);
    const a = sealer.sealCopy(probe(1));
    const b = sealer.sealCopy(probe(2));
    expect(opened(opener, a)).toMatchObject({ ok: true });
    expect(opened(opener, b)).toMatchObject({ ok: true });
    expect(opened(opener, a)).toBe('replay');
    expect(opened(opener, b)).toBe('replay');
  });

  it('accepts datagrams reordered within the window, not behind it', () => {
    const sealer = new DatagramSealer(KEY, ID);
    const opener = new DatagramOpener(KEY);
    // sent[i] carries counter i + 1.
    const sent = Array.from({ length: REPLAY_WINDOW + 2 }, (_, i) => sealer.sealCopy(probe(i + 1)));
    expect(opened(opener, sent[0]!)).toMatchObject({ ok: true });
    // The newest next, then the rest backwards but one: all pass, reordered by up to a window.
    expect(opened(opener, sent[REPLAY_WINDOW]!)).toMatchObject({ ok: true });
    for (let i = REPLAY_WINDOW - 1; i >= 2; i--)
      expect(opened(opener, sent[i]!), `#${i}`).toMatchObject({ ok: true });
    // One more moves the window past the one held back: now a whole window behind.
    expect(opened(opener, sent[REPLAY_WINDOW + 1]!)).toMatchObject({ ok: true });
    expect(opened(opener, sent[1]!)).toBe('replay');
    for (const s of sent) expect(opener.open(s)).toBe(-1);
  });

  it('takes nothing older than the first datagram it hears from a transmitter', () => {
    const sealer = new DatagramSealer(KEY, ID);
    const sent = Array.from({ length: 10 }, (_, i) => sealer.sealCopy(probe(i + 1)));
    const late = new DatagramOpener(KEY);
    expect(opened(late, sent[5]!)).toMatchObject({ ok: true });
    expect(opened(late, sent[2]!)).toBe('replay');
    expect(opened(late, sent[6]!)).toMatchObject({ ok: true });
  });

  it('keeps counters per counter space: control packets do not push data out of the window', () => {
    const sealer = new DatagramSealer(KEY, ID);
    const opener = new DatagramOpener(KEY);
    const pk = new DataPacker(1400, undefined, sealer);
    pk.begin(PacketType.Data, ID, 'r-1', 7, 1);
    pk.add(1, 0, 1, new Uint8Array(10));
    const data = pk.finish();
    for (let i = 0; i < REPLAY_WINDOW + 10; i++) opener.open(sealer.sealCopy(probe(i + 1)));
    expect(opened(opener, data)).toMatchObject({ ok: true });
  });

  it('takes a later epoch as a restart and rejects the earlier one from then on', () => {
    const opener = new DatagramOpener(KEY);
    const first = nextEpoch();
    const old = new DatagramSealer(KEY, ID, first);
    const restarted = new DatagramSealer(KEY, ID, nextEpoch());
    expect(restarted.epoch).toBeGreaterThan(first);
    const early = old.sealCopy(probe(1));
    const late = old.sealCopy(probe(2));
    expect(opened(opener, early)).toMatchObject({ ok: true });
    // The restarted node's counters start at 1 again.
    expect(opened(opener, restarted.sealCopy(probe(1)))).toMatchObject({ ok: true });
    expect(opened(opener, late)).toBe('stale-epoch');
    expect(opened(opener, restarted.sealCopy(probe(2)))).toMatchObject({ ok: true });
  });

  it('needs a 32-byte key', () => {
    expect(() => new DatagramSealer(new Uint8Array(16), ID)).toThrow(/32 bytes/);
    expect(() => new DatagramOpener(new Uint8Array(0))).toThrow(/32 bytes/);
  });
});
