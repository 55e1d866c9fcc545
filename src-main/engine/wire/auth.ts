// Authenticated datagrams: with a packet key every datagram carries a tag over all of its bytes
// that binds the node that transmitted it, that node's epoch (one per start) and a counter, so a
// receiver drops forged, altered, replayed and stale datagrams before anything acts on them.
//
//   magic "QA" u16 | version u8 | type u8 | key id u32 (0) | sender | body |
//   transmitter id bytes | id length u8 | epoch u64 | counter u64 | tag (16 bytes)
//
// The tag is AES-256-GCM with an empty plaintext (GMAC) over everything before it, under a
// subkey HKDF(packet key, salt = epoch, info = label + transmitter id), with the nonce
// (counter space, counter): one subkey per transmitter and epoch, and a counter that never
// repeats within it, so no nonce is ever used twice under one key. GMAC rather than HMAC-SHA256
// because on 32 KiB datagrams it costs less than half (and about what the CRC-32 it replaces
// costs); on 1.4 KiB the two cost the same (docs/engine.md). The transmitter is not always the
// datagram's sender: a repair carries its original sender's id and is sent by any member.
//
// Counters are kept per counter space (data, repairs, control), matching the receive lanes a
// datagram is queued on (scheduler.ts): control packets are processed ahead of a data backlog,
// and one counter across them would push queued data out of the replay window.

import { createCipheriv, hkdfSync, randomInt } from 'node:crypto';
import { internedString } from './buffer';
import { AUTH_MAGIC, PacketType } from './packets';

export const TAG_BYTES = 16;
/** Trailer bytes besides the transmitter id: its length, epoch, counter and tag. */
export const TRAILER_FIXED = 1 + 8 + 8 + TAG_BYTES;
/** Counters each receiver remembers per transmitter and counter space (IPsec-style window):
 * a datagram arriving up to this many behind the newest one is still accepted once. */
export const REPLAY_WINDOW = 4096;
/** Transmitters whose epochs and windows a receiver keeps (oldest forgotten first). */
const MAX_PEERS = 16_384;
const DATAGRAM_LABEL = 'liveobjects datagram v1 ';

/** Why an authenticated receiver dropped a datagram (NodeStats.dropped keys). */
export type AuthDrop = 'unauthenticated' | 'auth-failed' | 'replay' | 'stale-epoch';

function counterSpace(type: number): number {
  return type === PacketType.Data ? 2 : type === PacketType.Repair ? 1 : 0;
}

export function checkPacketKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== 32)
    throw new Error(
      `packetKey must be 32 bytes (got ${key instanceof Uint8Array ? key.length : typeof key})`,
    );
}

function subkey(key: Uint8Array, id: Uint8Array, epochHi: number, epochLo: number): Buffer {
  const salt = Buffer.allocUnsafe(8);
  salt.writeUInt32BE(epochHi, 0);
  salt.writeUInt32BE(epochLo, 4);
  const info = Buffer.concat([Buffer.from(DATAGRAM_LABEL), id]);
  return Buffer.from(hkdfSync('sha256', key, salt, info, 32));
}

let lastEpoch = 0;

/** A new epoch for a transmitter: milliseconds since 1970 × 1024 plus 10 random bits, rising
 * within a process. Later starts get higher epochs, which receivers take as a restart; two
 * starts of one id in one millisecond still differ (below 2^53 until the year 2248). */
export function nextEpoch(): number {
  lastEpoch = Math.max(Date.now() * 1024 + randomInt(1024), lastEpoch + 1);
  return lastEpoch;
}

/** The 16-byte GMAC of buf[0, end) under `key` with the nonce (counter space, counter). */
function gmac(key: Buffer, iv: Buffer, space: number, counter: number, buf: Uint8Array, end: number): Buffer {
  iv[0] = space;
  iv.writeUInt32BE(Math.floor(counter / 0x100000000), 4);
  iv.writeUInt32BE(counter >>> 0, 8);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(buf.subarray(0, end));
  c.final();
  return c.getAuthTag();
}

/** The sending side: seals datagrams in place or by copy. */
export class DatagramSealer {
  readonly epoch: number;
  /** Bytes sealing adds to a datagram. */
  readonly trailerBytes: number;
  private readonly id: Uint8Array;
  private readonly key: Buffer;
  private readonly iv = Buffer.alloc(12);
  private readonly counters = [0, 0, 0];

  constructor(packetKey: Uint8Array, transmitter: string, epoch = nextEpoch()) {
    checkPacketKey(packetKey);
    this.id = Buffer.from(transmitter, 'utf8');
    if (this.id.length === 0 || this.id.length > 255) throw new Error('node id must be 1-255 bytes');
    this.epoch = epoch;
    this.trailerBytes = this.id.length + TRAILER_FIXED;
    this.key = subkey(packetKey, this.id, Math.floor(epoch / 0x100000000), epoch >>> 0);
  }

  /** Seals the plain datagram in buf[0, end), which has `trailerBytes` of room after it:
   * sets the authenticated magic, the key id and the trailer. Returns the sealed length. */
  seal(buf: Buffer, end: number): number {
    buf.writeUInt16BE(AUTH_MAGIC, 0);
    buf.writeUInt32BE(0, 4);
    const space = counterSpace(buf[3]!);
    const counter = ++this.counters[space]!;
    let p = end;
    buf.set(this.id, p);
    p += this.id.length;
    buf[p++] = this.id.length;
    buf.writeUInt32BE(Math.floor(this.epoch / 0x100000000), p);
    buf.writeUInt32BE(this.epoch >>> 0, p + 4);
    buf.writeUInt32BE(Math.floor(counter / 0x100000000), p + 8);
    buf.writeUInt32BE(counter >>> 0, p + 12);
    p += 16;
    gmac(this.key, this.iv, space, counter, buf, p).copy(buf, p);
    return p + TAG_BYTES;
  }

  /** A sealed copy of a plain datagram (control packets, encoded without room to spare). */
  sealCopy(plain: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(plain.length + this.trailerBytes);
    out.set(plain, 0);
    this.seal(out, plain.length);
    return out;
  }
}

/** Counters seen from one transmitter in one counter space: the newest, and a bitmap of the
 * REPLAY_WINDOW below it. The first counter heard closes the window below it: a receiver that
 * joins late (or restarted) takes nothing older, which an eavesdropper could have recorded. */
class ReplayWindow {
  /** The newest counter seen; 0: none yet. */
  top = 0;
  private readonly bits = new Uint32Array(REPLAY_WINDOW / 32);

  /** Whether `c` was not seen yet and is not too old to tell. */
  fresh(c: number): boolean {
    if (c > this.top) return true;
    if (this.top - c >= REPLAY_WINDOW) return false;
    const i = c % REPLAY_WINDOW;
    return (this.bits[i >>> 5]! & (1 << (i & 31))) === 0;
  }

  /** Records `c` (fresh(c) was true). */
  mark(c: number): void {
    if (this.top === 0) {
      this.bits.fill(0xffffffff);
      this.top = c;
      return;
    }
    if (c > this.top) {
      if (c - this.top >= REPLAY_WINDOW) this.bits.fill(0);
      else
        for (let k = this.top + 1; k < c; k++) {
          const i = k % REPLAY_WINDOW;
          this.bits[i >>> 5]! &= ~(1 << (i & 31));
        }
      this.top = c;
    }
    const i = c % REPLAY_WINDOW;
    this.bits[i >>> 5]! |= 1 << (i & 31);
  }
}

class Peer {
  readonly windows = [new ReplayWindow(), new ReplayWindow(), new ReplayWindow()];
  constructor(
    readonly epoch: number,
    readonly key: Buffer,
  ) {}
}

/** The receiving side: checks a datagram's tag, transmitter epoch and counter. */
export class DatagramOpener {
  /** Set when open() returns -1. */
  reason: AuthDrop = 'auth-failed';
  private readonly key: Uint8Array;
  private readonly peers = new Map<string, Peer>();
  private readonly iv = Buffer.alloc(12);

  constructor(packetKey: Uint8Array) {
    checkPacketKey(packetKey);
    this.key = packetKey;
  }

  /** Checks a datagram and records its counter. Returns where its plain part ends (what the
   * decoder reads, past the header), or -1 with `reason` set: then nothing was recorded. */
  open(buf: Buffer): number {
    const n = buf.length;
    if (n < 8 + TRAILER_FIXED + 1 || buf.readUInt16BE(0) !== AUTH_MAGIC) return this.fail('unauthenticated');
    if (buf.readUInt32BE(4) !== 0) return this.fail('auth-failed');
    const t = n - TAG_BYTES - 16;
    const epochHi = buf.readUInt32BE(t);
    const counterHi = buf.readUInt32BE(t + 8);
    // Epochs and counters are below 2^53 (nextEpoch; a counter rises by one per datagram).
    if (epochHi >= 0x200000 || counterHi >= 0x200000) return this.fail('auth-failed');
    const epoch = epochHi * 0x100000000 + buf.readUInt32BE(t + 4);
    const counter = counterHi * 0x100000000 + buf.readUInt32BE(t + 12);
    if (counter === 0) return this.fail('auth-failed');
    const idLength = buf[t - 1]!;
    const idAt = t - 1 - idLength;
    if (idLength === 0 || idAt < 8) return this.fail('auth-failed');
    let id: string;
    try {
      id = internedString(buf, idAt, idLength);
    } catch {
      return this.fail('auth-failed');
    }
    const space = counterSpace(buf[3]!);
    let peer = this.peers.get(id);
    if (peer && epoch < peer.epoch) return this.fail('stale-epoch');
    if (peer && epoch === peer.epoch) {
      const w = peer.windows[space]!;
      if (!w.fresh(counter)) return this.fail('replay');
      if (!this.verify(peer.key, space, counter, buf)) return this.fail('auth-failed');
      w.mark(counter);
      return idAt;
    }
    // A transmitter not heard before, or restarted: its subkey is derived only for this.
    const key = subkey(this.key, buf.subarray(idAt, t - 1), epochHi, epoch >>> 0);
    if (!this.verify(key, space, counter, buf)) return this.fail('auth-failed');
    if (peer) this.peers.delete(id);
    else if (this.peers.size >= MAX_PEERS) this.peers.delete(this.peers.keys().next().value!);
    peer = new Peer(epoch, key);
    this.peers.set(id, peer);
    peer.windows[space]!.mark(counter);
    return idAt;
  }

  private verify(key: Buffer, space: number, counter: number, buf: Buffer): boolean {
    const end = buf.length - TAG_BYTES;
    const tag = gmac(key, this.iv, space, counter, buf, end);
    let diff = 0;
    for (let i = 0; i < TAG_BYTES; i++) diff |= tag[i]! ^ buf[end + i]!;
    return diff === 0;
  }

  private fail(reason: AuthDrop): number {
    this.reason = reason;
    return -1;
  }
}
