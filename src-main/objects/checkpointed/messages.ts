// Wire format of the checkpointed channel's messages. They share the group channel, so each
// starts with a 3-byte header: magic, protocol version, message type. Unicast-like messages
// (request, not-ready, chunk) are multicast with a target member; others ignore them.

import type { MemberId } from '../channel/group-channel';
import { MalformedMessage, Reader, Writer } from './codec';
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

function header(type: number): Writer {
  return new Writer().u8(MAGIC).u8(PROTOCOL_VERSION).u8(type);
}

export function encodeMessage(message: Message): Uint8Array {
  switch (message.kind) {
    case 'update':
      return header(MessageType.update).uint(message.epoch).uint(message.seq).bytes(message.payload).finish();
    case 'status':
      return header(MessageType.status)
        .uint(message.epoch)
        .uint(message.lastSeq)
        .u8((message.ready ? 1 : 0) | (message.probe ? 2 : 0))
        .finish();
    case 'request': {
      const writer = header(MessageType.request).string(message.target).uint(message.transferId);
      message.needed.write(writer);
      writer.uint(message.departed.length);
      for (const member of message.departed) writer.string(member);
      return writer.finish();
    }
    case 'not-ready':
      return header(MessageType.notReady).string(message.target).uint(message.transferId).finish();
    case 'chunk':
      return header(MessageType.chunk)
        .string(message.target)
        .uint(message.transferId)
        .uint(message.index)
        .uint(message.count)
        .bytes(message.payload)
        .finish();
  }
}

/** Decodes a message; throws MalformedMessage on anything unexpected. */
export function decodeMessage(data: Uint8Array): Message {
  const reader = new Reader(data);
  if (reader.u8() !== MAGIC) throw new MalformedMessage('bad magic');
  const version = reader.u8();
  if (version !== PROTOCOL_VERSION) throw new MalformedMessage(`unsupported version ${version}`);
  const type = reader.u8();
  switch (type) {
    case MessageType.update: {
      const epoch = reader.uint();
      const seq = reader.uint();
      if (seq < 1) throw new MalformedMessage('update seq must be >= 1');
      return { kind: 'update', epoch, seq, payload: reader.rest() };
    }
    case MessageType.status: {
      const epoch = reader.uint();
      const lastSeq = reader.uint();
      const flags = reader.u8();
      if (flags > 3) throw new MalformedMessage('bad status flags');
      reader.end();
      return { kind: 'status', epoch, lastSeq, ready: (flags & 1) !== 0, probe: (flags & 2) !== 0 };
    }
    case MessageType.request: {
      const target = reader.string();
      const transferId = reader.uint();
      const needed = VersionVector.read(reader);
      const count = reader.uint();
      if (count > reader.remaining) throw new MalformedMessage('departed list too long');
      const departed: MemberId[] = [];
      for (let i = 0; i < count; i++) departed.push(reader.string());
      reader.end();
      return { kind: 'request', target, transferId, needed, departed };
    }
    case MessageType.notReady: {
      const target = reader.string();
      const transferId = reader.uint();
      reader.end();
      return { kind: 'not-ready', target, transferId };
    }
    case MessageType.chunk: {
      const target = reader.string();
      const transferId = reader.uint();
      const index = reader.uint();
      const count = reader.uint();
      if (count < 1 || count > MAX_CHUNKS || index >= count) throw new MalformedMessage('bad chunk index');
      return { kind: 'chunk', target, transferId, index, count, payload: reader.rest() };
    }
    default:
      throw new MalformedMessage(`unknown type ${type}`);
  }
}

/** A checkpoint as transferred: the covered version vector, then the client's opaque state. */
export function encodeCheckpoint(covered: VersionVector, state: Uint8Array): Uint8Array {
  const writer = new Writer();
  covered.write(writer);
  return writer.bytes(state).finish();
}

export function decodeCheckpoint(data: Uint8Array): { covered: VersionVector; state: Uint8Array } {
  const reader = new Reader(data);
  const covered = VersionVector.read(reader);
  return { covered, state: reader.rest() };
}
