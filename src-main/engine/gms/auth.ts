// GMS connections under a packet key (docs/gms.md): a handshake in which each end proves it
// holds the key, then a tag on every frame. The client opens with a fresh nonce; the server
// answers with its own nonce and a proof over both; the client checks it and sends its proof.
// Both proofs and both directions' frame keys are HMAC-SHA256 under a key derived from the
// packet key, over both nonces, so a recorded handshake or frame is worth nothing on another
// connection. Each frame after the handshake carries a 16-byte HMAC of (frame number, payload)
// under its direction's key: frames cannot be altered, dropped, reordered or replayed unseen.

import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { checkPacketKey } from '../wire/auth';

export const NONCE_BYTES = 32;
export const FRAME_TAG_BYTES = 16;
const GMS_LABEL = 'liveobjects gms v1';

/** The error a GmsClient's start() rejects with when the membership service and this node do
 * not hold the same key (or one holds one and the other none). */
export class MembershipRefusedError extends Error {
  override readonly name = 'MembershipRefusedError';
}

/** What a keyed end says about a peer that fails the handshake; the unkeyed end's message. */
export const REFUSAL_KEY_MISMATCH = 'the workspace key does not match';
export const REFUSAL_NO_KEY = 'it runs without a workspace key, and this node holds one';

/** The key GMS connections are authenticated under, derived from the packet key. */
export function gmsKey(packetKey: Uint8Array): Buffer {
  checkPacketKey(packetKey);
  return Buffer.from(hkdfSync('sha256', packetKey, Buffer.alloc(0), GMS_LABEL, 32));
}

function mac(key: Uint8Array, label: string, ...parts: Uint8Array[]): Buffer {
  const h = createHmac('sha256', key).update(label);
  for (const p of parts) h.update(p);
  return h.digest();
}

export function newNonce(): Buffer {
  return randomBytes(NONCE_BYTES);
}

export type HandshakeRole = 'client' | 'server';

/** One end's proof that it holds the key, bound to both nonces. */
export function proof(
  key: Uint8Array,
  role: HandshakeRole,
  clientNonce: Uint8Array,
  serverNonce: Uint8Array,
): Buffer {
  return mac(key, `proof ${role}`, clientNonce, serverNonce);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Tags and checks the frames of one direction of an authenticated connection. */
export class FrameMac {
  private frames = 0;
  private readonly counter = Buffer.alloc(8);

  constructor(private readonly key: Buffer) {}

  /** The key of frames sent by `from` on the connection with these nonces. */
  static direction(
    key: Uint8Array,
    from: HandshakeRole,
    clientNonce: Uint8Array,
    serverNonce: Uint8Array,
  ): FrameMac {
    return new FrameMac(mac(key, `frames ${from}`, clientNonce, serverNonce));
  }

  /** The tag of the next frame. */
  next(payload: Uint8Array): Buffer {
    const n = this.frames++;
    this.counter.writeUInt32BE(Math.floor(n / 0x100000000), 0);
    this.counter.writeUInt32BE(n >>> 0, 4);
    return createHmac('sha256', this.key)
      .update(this.counter)
      .update(payload)
      .digest()
      .subarray(0, FRAME_TAG_BYTES);
  }

  /** Whether `tag` is the next frame's (the frame number advances either way: a connection
   * that got a bad frame is closed). */
  check(payload: Uint8Array, tag: Uint8Array): boolean {
    return sameBytes(this.next(payload), tag);
  }
}
