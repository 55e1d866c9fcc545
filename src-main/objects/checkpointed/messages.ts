// Wire format of the checkpointed channel's messages. They share the group channel, so each
// starts with a 3-byte header: magic, protocol version, message type. Unicast-like messages
// (request, not-ready, chunk) are multicast with a target member; others ignore them.

import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { MemberId } from '../channel/group-channel';
import {
  MalformedMessage,
  expectEnd,
  readByte,
  readRest,
  readString,
  readUint,
  remaining,
  writeUint,
} from './codec';
import { VersionVector } from './version-vector';

export const MAGIC = 0xc7;
export const PROTOCOL_VERSION = 1;

export const MessageType = {
  update: 1,
  status: 2,
  request: 3,
  notReady: 4,
  chunk: 5,
} as const;

/** Upper bound on chunks per transfer: bounds the memory a bogus header can make us reserve. */
export const MAX_CHUNKS = 1 << 20;

export type Message =
  /** A client update, numbered per stream (sender incarnation). */
  | { kind: 'update'; epoch: number; seq: number; payload: Uint8Array }
  /**
   * Sent on every view that adds members and on becoming ready. `lastSeq` is the sender's
   * last assigned seq: everything after it reaches every member of the view it was sent in.
   * `probe` asks every receiver to answer with its own status (a joiner that heard nothing).
   */
  | { kind: 'status'; epoch: number; lastSeq: number; ready: boolean; probe: boolean }
  /**
   * A joiner asks `target` for a checkpoint covering at least `needed`, taken after `target`
   * saw `departed` leave (members that left before the joiner heard from them).
   */
  | { kind: 'request'; target: MemberId; transferId: number; needed: VersionVector; departed: MemberId[] }
  | { kind: 'not-ready'; target: MemberId; transferId: number }
  | {
      kind: 'chunk';
      target: MemberId;
      transferId: number;
      index: number;
      count: number;
      payload: Uint8Array;
    };

function header(type: number): encoding.Encoder {
  const encoder = encoding.createEncoder();
  encoding.writeUint8(encoder, MAGIC);
  encoding.writeUint8(encoder, PROTOCOL_VERSION);
  encoding.writeUint8(encoder, type);
  return encoder;
}

function writeUints(encoder: encoding.Encoder, ...values: number[]): void {
  for (const value of values) writeUint(encoder, value);
}

export function encodeMessage(message: Message): Uint8Array {
  let encoder: encoding.Encoder;
  switch (message.kind) {
    case 'update':
      encoder = header(MessageType.update);
      writeUints(encoder, message.epoch, message.seq);
      encoding.writeUint8Array(encoder, message.payload);
      break;
    case 'status':
      encoder = header(MessageType.status);
      writeUints(encoder, message.epoch, message.lastSeq);
      encoding.writeUint8(encoder, (message.ready ? 1 : 0) | (message.probe ? 2 : 0));
      break;
    case 'request':
      encoder = header(MessageType.request);
      encoding.writeVarString(encoder, message.target);
      writeUint(encoder, message.transferId);
      message.needed.write(encoder);
      writeUint(encoder, message.departed.length);
      for (const member of message.departed) encoding.writeVarString(encoder, member);
      break;
    case 'not-ready':
      encoder = header(MessageType.notReady);
      encoding.writeVarString(encoder, message.target);
      writeUint(encoder, message.transferId);
      break;
    case 'chunk':
      encoder = header(MessageType.chunk);
      encoding.writeVarString(encoder, message.target);
      writeUints(encoder, message.transferId, message.index, message.count);
      encoding.writeUint8Array(encoder, message.payload);
      break;
  }
  return encoding.toUint8Array(encoder);
}

/** Decodes a message; throws MalformedMessage on anything unexpected. */
export function decodeMessage(data: Uint8Array): Message {
  const decoder = decoding.createDecoder(data);
  if (readByte(decoder) !== MAGIC) throw new MalformedMessage('bad magic');
  const version = readByte(decoder);
  if (version !== PROTOCOL_VERSION) throw new MalformedMessage(`unsupported version ${version}`);
  const type = readByte(decoder);
  switch (type) {
    case MessageType.update: {
      const epoch = readUint(decoder);
      const seq = readUint(decoder);
      if (seq < 1) throw new MalformedMessage('update seq must be >= 1');
      return { kind: 'update', epoch, seq, payload: readRest(decoder) };
    }
    case MessageType.status: {
      const epoch = readUint(decoder);
      const lastSeq = readUint(decoder);
      const flags = readByte(decoder);
      if (flags > 3) throw new MalformedMessage('bad status flags');
      expectEnd(decoder);
      return { kind: 'status', epoch, lastSeq, ready: (flags & 1) !== 0, probe: (flags & 2) !== 0 };
    }
    case MessageType.request: {
      const target = readString(decoder);
      const transferId = readUint(decoder);
      const needed = VersionVector.read(decoder);
      const count = readUint(decoder);
      if (count > remaining(decoder)) throw new MalformedMessage('departed list too long');
      const departed: MemberId[] = [];
      for (let i = 0; i < count; i++) departed.push(readString(decoder));
      expectEnd(decoder);
      return { kind: 'request', target, transferId, needed, departed };
    }
    case MessageType.notReady: {
      const target = readString(decoder);
      const transferId = readUint(decoder);
      expectEnd(decoder);
      return { kind: 'not-ready', target, transferId };
    }
    case MessageType.chunk: {
      const target = readString(decoder);
      const transferId = readUint(decoder);
      const index = readUint(decoder);
      const count = readUint(decoder);
      if (count < 1 || count > MAX_CHUNKS || index >= count) throw new MalformedMessage('bad chunk index');
      return { kind: 'chunk', target, transferId, index, count, payload: readRest(decoder) };
    }
    default:
      throw new MalformedMessage(`unknown type ${type}`);
  }
}

/** A checkpoint as transferred: the covered version vector, then the client's opaque state. */
export function encodeCheckpoint(covered: VersionVector, state: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  covered.write(encoder);
  encoding.writeUint8Array(encoder, state);
  return encoding.toUint8Array(encoder);
}

export function decodeCheckpoint(data: Uint8Array): { covered: VersionVector; state: Uint8Array } {
  const decoder = decoding.createDecoder(data);
  const covered = VersionVector.read(decoder);
  return { covered, state: readRest(decoder) };
}
