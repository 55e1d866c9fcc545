// The cryptography of liveobjects.sealed: AES-256-GCM under per-sender keys derived from the
// object key (the `key` parameter of the reference, 32 random bytes).
//
// A sealed message is  version(1) | epoch(16) | counter(8, big-endian) | ciphertext | tag(16).
// - Each sealing instance (a channel opened by one member) draws a random 16-byte epoch and
//   derives its own key: HKDF-SHA256(object key, salt = epoch, info = label | group | sender).
//   The nonce is the counter, so a (key, nonce) pair never repeats: a restarted or reopened
//   sender draws a new epoch, hence a new key, and two senders never share a key.
// - The additional authenticated data is the header plus the group and the sender id, so a
//   message verifies only as sent by that member to that group: re-sent by another member it
//   fails, and within one (sender, epoch) a counter that is not higher than the last accepted
//   one is a replay.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

export const OBJECT_KEY_BYTES = 32;
const VERSION = 1;
const EPOCH_BYTES = 16;
const COUNTER_BYTES = 8;
const HEADER_BYTES = 1 + EPOCH_BYTES + COUNTER_BYTES;
const TAG_BYTES = 16;
const NONCE_BYTES = 12;
const CIPHER = 'aes-256-gcm';
const KEY_LABEL = 'liveobjects sealed v1';
/** Epochs remembered per sender (one per channel it opened since we first heard of it). */
const MAX_EPOCHS_PER_SENDER = 64;
/** Senders remembered; the oldest is forgotten beyond this. */
const MAX_SENDERS = 4096;

/** Why a message was dropped. */
export type RejectReason = 'malformed' | 'forged' | 'replayed';

export type Opened =
  { readonly ok: true; readonly data: Uint8Array } | { readonly ok: false; readonly reason: RejectReason };

/** Checks `key` is an object key; the message says what to do about a bad one. */
export function checkObjectKey(key: Uint8Array, where: string): void {
  if (key.length !== OBJECT_KEY_BYTES)
    throw new Error(
      `${where}: the key must be ${OBJECT_KEY_BYTES} bytes, this one has ${key.length}; ` +
        'use the reference the object was created with (or create a new object)',
    );
}

/** A fresh random object key. */
export function freshObjectKey(): Uint8Array {
  return new Uint8Array(randomBytes(OBJECT_KEY_BYTES));
}

/**
 * The object key for a secret of any length (qsm.channel's `key`): HKDF-SHA256 with a label of
 * its own, so the same bytes used as a liveobjects.sealed key give another key.
 */
export function objectKeyFromSecret(secret: Uint8Array): Uint8Array {
  if (secret.length === 0) throw new Error('a group key must not be empty');
  return new Uint8Array(
    hkdfSync('sha256', secret, new Uint8Array(0), 'liveobjects qsm.channel key v1', OBJECT_KEY_BYTES),
  );
}

/**
 * A short public name of a key: it tells two keys apart (so objects with different keys never
 * share a replica or saved state) and reveals nothing of the key.
 */
export function keyFingerprint(key: Uint8Array): string {
  return createHash('sha256')
    .update('liveobjects sealed fingerprint v1\0')
    .update(key)
    .digest('hex')
    .slice(0, 16);
}

function senderKey(objectKey: Uint8Array, epoch: Uint8Array, group: string, sender: string): Buffer {
  const info = Buffer.concat([Buffer.from(`${KEY_LABEL}\0`), lengthPrefixed(group), lengthPrefixed(sender)]);
  return Buffer.from(hkdfSync('sha256', objectKey, epoch, info, 32));
}

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const out = Buffer.alloc(4 + bytes.length);
  out.writeUInt32BE(bytes.length, 0);
  bytes.copy(out, 4);
  return out;
}

function nonceOf(counter: bigint): Buffer {
  const nonce = Buffer.alloc(NONCE_BYTES);
  nonce.writeBigUInt64BE(counter, NONCE_BYTES - COUNTER_BYTES);
  return nonce;
}

/** What the authenticated data adds after a message's header: made once per (group, sender). */
function aadTail(group: string, sender: string): Buffer {
  return Buffer.concat([lengthPrefixed(group), lengthPrefixed(sender)]);
}

/** Seals the messages of one member (`sender`) to one group, under a fresh epoch. */
export class Sealer {
  private readonly epoch = randomBytes(EPOCH_BYTES);
  private readonly key: Buffer;
  private readonly aadTail: Buffer;
  private counter = 0n;

  constructor(objectKey: Uint8Array, group: string, sender: string) {
    checkObjectKey(objectKey, 'liveobjects.sealed');
    this.key = senderKey(objectKey, this.epoch, group, sender);
    this.aadTail = aadTail(group, sender);
  }

  seal(data: Uint8Array): Uint8Array {
    this.counter++;
    const header = Buffer.alloc(HEADER_BYTES);
    header[0] = VERSION;
    this.epoch.copy(header, 1);
    header.writeBigUInt64BE(this.counter, 1 + EPOCH_BYTES);
    const cipher = createCipheriv(CIPHER, this.key, nonceOf(this.counter), { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.concat([header, this.aadTail]));
    const body = cipher.update(data);
    cipher.final();
    return Buffer.concat([header, body, cipher.getAuthTag()]);
  }
}

interface EpochState {
  readonly key: Buffer;
  readonly aadTail: Buffer;
  last: bigint;
}

/**
 * Opens the messages of one group, remembering per sender and epoch the highest counter
 * accepted: a message is delivered at most once, and only as from the member that sealed it.
 */
export class Opener {
  private readonly senders = new Map<string, Map<string, EpochState>>();

  constructor(
    private readonly objectKey: Uint8Array,
    private readonly group: string,
  ) {
    checkObjectKey(objectKey, 'liveobjects.sealed');
  }

  open(sender: string, packet: Uint8Array): Opened {
    if (packet.length < HEADER_BYTES + TAG_BYTES || packet[0] !== VERSION)
      return { ok: false, reason: 'malformed' };
    const bytes = Buffer.from(packet.buffer, packet.byteOffset, packet.length);
    const header = bytes.subarray(0, HEADER_BYTES);
    const epoch = header.subarray(1, 1 + EPOCH_BYTES);
    const counter = header.readBigUInt64BE(1 + EPOCH_BYTES);
    const epochs = this.senders.get(sender);
    const epochId = epoch.toString('hex');
    const known = epochs?.get(epochId);
    if (known && counter <= known.last) return { ok: false, reason: 'replayed' };
    const key = known?.key ?? senderKey(this.objectKey, epoch, this.group, sender);
    const tail = known?.aadTail ?? aadTail(this.group, sender);
    let data: Buffer;
    try {
      const decipher = createDecipheriv(CIPHER, key, nonceOf(counter), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.concat([header, tail]));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      data = Buffer.concat([
        decipher.update(bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      return { ok: false, reason: 'forged' };
    }
    // Only authentic messages create state, so forgeries cannot fill these maps.
    if (known) known.last = counter;
    else this.remember(sender, epochId, { key, aadTail: tail, last: counter });
    return { ok: true, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  }

  private remember(sender: string, epochId: string, state: EpochState): void {
    let epochs = this.senders.get(sender);
    if (!epochs) {
      if (this.senders.size >= MAX_SENDERS) this.senders.delete(this.senders.keys().next().value!);
      epochs = new Map();
      this.senders.set(sender, epochs);
    }
    if (epochs.size >= MAX_EPOCHS_PER_SENDER) epochs.delete(epochs.keys().next().value!);
    epochs.set(epochId, state);
  }
}
